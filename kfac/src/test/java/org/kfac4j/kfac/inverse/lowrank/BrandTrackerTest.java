package org.kfac4j.kfac.inverse.lowrank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Brand updates against the explicitly formed moving average {@code F ← ρF + CᵀC}.
 *
 * <p>The truncation bound tested: each update discards a PSD part D_t of the small problem, so
 * {@code E = F − UΛUᵀ = Σ_t ρ^{T−t} D_t} is PSD and its trace, its nuclear norm, equals the tracked trace minus the
 * kept eigenvalues, i.e. c·(d − k): ‖E‖₂ ≤ ‖E‖_* = discarded mass. It is also at least the optimal rank-k error
 * Σ_{i>k} λ_i(F).
 */
class BrandTrackerTest {
    /** Nothing truncated (k·n ≤ r): the tracked pairs are F's eigendecomposition, and U stays orthonormal. */
    @ParameterizedTest(name = "d={0} r={1} n={2} updates={3} ρ={4}")
    @CsvSource({
            "40, 30, 5, 6, 0.9",
            "33, 32, 1, 32, 0.95",
            "100, 64, 16, 4, 0.5",
            "7, 6, 2, 3, 0.0",
            "257, 100, 33, 3, 0.99"})
    void withoutTruncationTheTrackedPairsAreTheMovingAverageEigendecomposition(int d, int r, int n, int updates,
                                                                              double rho) {
        SplittableRandom rng = new SplittableRandom(31L * d + n);
        BrandTracker tracker = new BrandTracker(Dense.LINALG, d, r, BrandTracker.Refresh.NONE, 0, 0, 1);
        double[] f = new double[d * d];
        for (int t = 0; t < updates; t++) {
            double[] c = Dense.rows(rng, n, d, 0.9);
            double effective = t == 0 ? 0 : rho;
            Dense.movingAverage(f, effective, c, n, d);
            tracker.update(c.clone(), n, effective);
        }
        Spectrum s = tracker.spectrum();
        double scale = Dense.frobenius(f);
        double error = Dense.frobenius(Dense.minus(s.toDense(), f)) / scale;
        assertTrue(error <= 1e-12, "‖UΛUᵀ + c(I−UUᵀ) − F‖/‖F‖ = " + error);
        double[] exact = Dense.eigenvalues(f, d);
        for (int i = 0; i < s.rank(); i++) {
            assertEquals(exact[i], s.value(i), 1e-12 * exact[0], "eigenvalue " + i);
        }
        assertTrue(s.orthonormalityError() <= d * Math.ulp(1.0), "‖UᵀU − I‖max = " + s.orthonormalityError()
                + " > d·ε");
        assertEquals(Dense.trace(f, d), s.trace(), 1e-12 * Dense.trace(f, d));
    }

    /** With truncation: F − UΛUᵀ is PSD with trace = the discarded mass, between the optimal error and the bound. */
    @ParameterizedTest(name = "d={0} r={1} n={2} updates={3} ρ={4} decay={5}")
    @CsvSource({
            "60, 8, 4, 20, 0.9, 0.7",
            "128, 16, 32, 10, 0.95, 0.9",
            "300, 64, 128, 6, 0.95, 0.97",
            "50, 1, 1, 30, 0.8, 0.5",
            "80, 20, 7, 40, 0.99, 1.0"})
    void theTruncationErrorIsPsdAndItsTraceIsTheDiscardedMass(int d, int r, int n, int updates, double rho,
                                                              double decay) {
        SplittableRandom rng = new SplittableRandom(17L * d + r);
        BrandTracker tracker = new BrandTracker(Dense.LINALG, d, r, BrandTracker.Refresh.NONE, 0, 0, 1);
        double[] f = new double[d * d];
        for (int t = 0; t < updates; t++) {
            double[] c = Dense.rows(rng, n, d, decay);
            double effective = t == 0 ? 0 : rho;
            Dense.movingAverage(f, effective, c, n, d);
            tracker.update(c.clone(), n, effective);
            assertTrue(tracker.spectrum().orthonormalityError() <= d * Math.ulp(1.0),
                    "update " + t + ": ‖UᵀU − I‖max = " + tracker.spectrum().orthonormalityError());
        }
        Spectrum s = tracker.spectrum();
        double[] kept = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < s.rank(); k++) {
                    sum += s.vector(i, k) * s.value(k) * s.vector(j, k);
                }
                kept[i * d + j] = sum;
            }
        }
        double[] error = Dense.minus(f, kept);
        double[] errorSpectrum = Dense.eigenvalues(error, d);
        double tol = 1e-11 * Dense.trace(f, d);
        assertTrue(errorSpectrum[d - 1] >= -tol, "F − UΛUᵀ has eigenvalue " + errorSpectrum[d - 1]);
        double discarded = s.continuation() * (d - s.rank());
        assertEquals(Dense.trace(error, d), discarded, tol, "tr(F − UΛUᵀ) vs the discarded mass c·(d − k)");
        assertTrue(errorSpectrum[0] <= discarded + tol, "‖F − UΛUᵀ‖₂ = " + errorSpectrum[0] + " > " + discarded);
        double[] exact = Dense.eigenvalues(f, d);
        double optimal = 0;
        for (int i = s.rank(); i < d; i++) {
            optimal += exact[i];
        }
        assertTrue(optimal <= discarded + tol, "the optimal rank-k error " + optimal + " exceeds " + discarded);
    }

    /** The refreshes of B-R-KFAC and B-KFAC-c against the formed factor. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"RANDOMISED", "RAYLEIGH_RITZ"})
    void theRefreshesCorrectTowardsTheFormedFactor(BrandTracker.Refresh refresh) {
        int d = 90;
        int r = 12;
        int n = 6;
        SplittableRandom rng = new SplittableRandom(5);
        BrandTracker tracker = new BrandTracker(Dense.LINALG, d, r, refresh, 10, 2, 9);
        double[] f = new double[d * d];
        for (int t = 0; t < 25; t++) {
            double[] c = Dense.rows(rng, n, d, 0.8);
            double effective = t == 0 ? 0 : 0.9;
            Dense.movingAverage(f, effective, c, n, d);
            tracker.update(c.clone(), n, effective);
        }
        Spectrum s = tracker.spectrum();
        double before = Dense.frobenius(Dense.minus(s.toDense(), f));
        double[] values = new double[r];
        for (int i = 0; i < r; i++) {
            values[i] = s.value(i);
        }
        tracker.refresh(Tensor.wrap(f.clone(), d, d));
        double after = Dense.frobenius(Dense.minus(s.toDense(), f));
        double[] exact = Dense.eigenvalues(f, d);
        if (refresh == BrandTracker.Refresh.RAYLEIGH_RITZ) {
            // Ritz values on span(U) are the best values for that subspace: no farther from F's than before
            for (int i = 0; i < r; i++) {
                assertTrue(s.value(i) <= exact[i] * (1 + 1e-12), "Ritz value " + i + " above the eigenvalue");
            }
        }
        if (refresh == BrandTracker.Refresh.RAYLEIGH_RITZ) {
            // for a fixed U, Ritz pairs and c from the true trace minimise ‖F − F̃‖_F: never worse than before
            assertTrue(after <= before * (1 + 1e-12), refresh + ": error " + before + " → " + after);
        } else {
            // a fresh randomised decomposition: within 10% of the best rank-r representation's error
            double best = RandomisedTrackerTest.bestError(exact, r);
            assertTrue(after <= 1.1 * best, refresh + ": error " + after + " vs the best " + best);
        }
        assertTrue(s.orthonormalityError() <= d * Math.ulp(1.0), "‖UᵀU − I‖max = " + s.orthonormalityError());
        assertEquals(Dense.trace(f, d), s.trace(), 1e-12 * Dense.trace(f, d));
    }

    /**
     * Degenerate batches: an all-zero term leaves an empty spectrum (rank 0, c = 0), under which the damped inverse is
     * ∇/δ; a later term of rank 1 in a one-dimensional subspace is tracked exactly; a term with a repeated row adds
     * one direction, not two.
     */
    @Test
    void zeroAndRankDeficientTermsAreTrackedExactly() {
        int d = 20;
        BrandTracker tracker = new BrandTracker(Dense.LINALG, d, 5, BrandTracker.Refresh.NONE, 0, 0, 1);
        tracker.update(new double[3 * d], 3, 0);
        Spectrum s = tracker.spectrum();
        assertEquals(0, s.rank());
        assertEquals(0, s.continuation());
        double[] grad = new double[4 * d];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = i % 7 - 3;
        }
        Spectrum g = new Spectrum(4, 4);
        double[] out = new double[grad.length];
        new KroneckerSpectra(4, d, g.capacity(), s.capacity()).precondition(Dense.LINALG, g, s, 0.5, grad, out);
        for (int i = 0; i < grad.length; i++) {
            assertEquals(grad[i] / 0.5, out[i], 1e-15, "element " + i);
        }
        double[] c = new double[2 * d];
        for (int j = 0; j < d; j++) {
            c[j] = j + 1;
            c[d + j] = j + 1; // the same row twice: rank 1
        }
        double[] f = new double[d * d];
        Dense.movingAverage(f, 0.9, c, 2, d);
        tracker.update(c.clone(), 2, 0.9);
        assertEquals(1, s.rank(), "a repeated row adds one direction");
        double error = Dense.frobenius(Dense.minus(s.toDense(), f)) / Dense.frobenius(f);
        assertTrue(error <= 1e-14, "error " + error);
    }
}
