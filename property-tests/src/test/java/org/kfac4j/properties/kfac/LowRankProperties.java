package org.kfac4j.properties.kfac;

import static org.kfac4j.properties.kfac.DenseReference.kron;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.kfac.inverse.lowrank.BrandTracker;
import org.kfac4j.kfac.inverse.lowrank.KroneckerSpectra;
import org.kfac4j.kfac.inverse.lowrank.Spectrum;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The low-rank inverses over random shapes (orders from 1, ranks from 1 to beyond the order, batch terms of 1 to 9
 * rows, decays from 0): Brand updates against the explicitly formed moving average, and the four-block damped inverse
 * of two truncated factors against a dense solve of the system they represent.
 */
class LowRankProperties {
    private static final double EPS = 0x1p-52;

    /**
     * After any sequence of Brand updates, F − UΛUᵀ is positive semi-definite and its trace, its nuclear norm, is the
     * discarded mass c·(d − k) (zero when nothing was truncated), and U is orthonormal to 2(d + r + n)·ε (each update
     * rotates U by the eigenvectors of an order-(k + m) problem, k ≤ r, m ≤ n, in GEMMs of inner length d or k + m).
     */
    @Property
    void brandUpdatesTrackTheMovingAverageUpToTheDiscardedMass(
            @ForAll @IntRange(min = 1, max = 30) int d, @ForAll @IntRange(min = 1, max = 32) int rank,
            @ForAll @IntRange(min = 1, max = 9) int rows, @ForAll @IntRange(min = 1, max = 8) int updates,
            @ForAll @DoubleRange(min = 0, max = 0.99) double rho, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BrandTracker tracker = new BrandTracker(Linalg.shared(), d, rank, BrandTracker.Refresh.NONE, 0, 0, seed);
        double[] f = new double[d * d];
        for (int t = 0; t < updates; t++) {
            double scale = Math.pow(10, rnd.nextInt(-2, 3));
            Tensor x = Tensor.zeros(DType.F64, rows, d);
            for (int i = 0; i < x.size(); i++) {
                x.set(i, scale * rnd.nextGaussian() * Math.pow(0.8, (i % d) / 2.0));
            }
            double effective = t == 0 ? 0 : rho;
            double s = 1.0 / rows;
            for (int i = 0; i < d * d; i++) {
                f[i] *= effective;
            }
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        f[i * d + j] += (1 - effective) * s * x.get(r * d + i) * x.get(r * d + j);
                    }
                }
            }
            tracker.observe(new BatchTerm(List.of(x), s), effective);
        }
        Spectrum sp = tracker.spectrum();
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += f[i * d + i];
        }
        double[] error = f.clone();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < sp.rank(); k++) {
                    error[i * d + j] -= sp.vector(i, k) * sp.value(k) * sp.vector(j, k);
                }
            }
        }
        double[] values = new double[d];
        SymmetricEigen.of(Linalg.shared()).eigenvalues(d, error, 0, d, values, 0);
        double tol = 1e-11 * trace;
        check(values[0] >= -tol, "F − UΛUᵀ has eigenvalue " + values[0] + " (tolerance " + tol + ")");
        double errorTrace = 0;
        for (int i = 0; i < d; i++) {
            errorTrace += error[i * d + i];
        }
        double discarded = sp.continuation() * (d - sp.rank());
        check(Math.abs(errorTrace - discarded) <= tol, "tr(F − UΛUᵀ) = " + errorTrace + ", discarded mass "
                + discarded);
        double orthonormality = 2 * (d + rank + rows) * EPS;
        check(sp.orthonormalityError() <= orthonormality, "‖UᵀU − I‖max = " + sp.orthonormalityError() + " > "
                + orthonormality);
    }

    /**
     * {@code (G̃ ⊗ Ã + δI)⁻¹∇} by the four blocks equals the dense solve with the factors the spectra represent,
     * {@code F̃ = UΛUᵀ + c(I − UUᵀ)}, within the backward-stable solve's c·n·ε·κ.
     */
    @Property
    void theFourBlockInverseSolvesTheRepresentedSystem(
            @ForAll @IntRange(min = 1, max = 12) int dOut, @ForAll @IntRange(min = 1, max = 12) int dIn,
            @ForAll @IntRange(min = 1, max = 13) int rankG, @ForAll @IntRange(min = 1, max = 13) int rankA,
            @ForAll @IntRange(min = -6, max = 0) int dampingDecades, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Spectrum g = spectrum(dOut, rankG, rnd);
        Spectrum a = spectrum(dIn, rankA, rnd);
        double damping = Math.pow(10, dampingDecades);
        double[] grad = new double[dOut * dIn];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = rnd.nextGaussian();
        }
        double[] out = new double[grad.length];
        new KroneckerSpectra(dOut, dIn, g.capacity(), a.capacity()).precondition(Linalg.shared(), g, a, damping, grad,
                out);
        int n = dOut * dIn;
        double[] system = kron(g.toDense(), dOut, a.toDense(), dIn);
        for (int i = 0; i < n; i++) {
            system[i * n + i] += damping;
        }
        // F̃ is positive semi-definite, so the exact solution is no longer than ‖∇‖/δ: a check needing no dense solve
        double limit = DenseReference.norm(grad) / damping * (1 + 1e-8);
        check(DenseReference.norm(out) <= limit, "‖(F̃ + δI)⁻¹∇‖ = " + DenseReference.norm(out) + " > ‖∇‖/δ = " + limit);
        double[] expected = DenseReference.solve(system, n, grad);
        if (!Arrays.stream(expected).allMatch(Double::isFinite)) {
            // Elimination in double met an exactly zero pivot: with δ below the rounding of the largest entries
            // (κ·ε > 1) the system is singular in double, and the reference, not the preconditioner, has no answer.
            check(largestEntry(system, n) * EPS > damping, "the dense solve failed on a system double can resolve");
            return;
        }
        double largest = Math.max(g.largest(), g.continuation()) * Math.max(a.largest(), a.continuation());
        double kappa = (largest + damping) / damping;
        double bound = 100 * (dOut + dIn) * EPS * kappa;
        double error = DenseReference.relativeError(out, expected);
        check(error <= bound, "four-block inverse vs dense solve: relative error " + error + " > " + bound);
    }

    private static double largestEntry(double[] m, int n) {
        double max = 0;
        for (int i = 0; i < n * n; i++) {
            max = Math.max(max, Math.abs(m[i]));
        }
        return max;
    }

    /** A spectrum tracked by Brand updates from random rows, so every state it can reach is drawn from. */
    private static Spectrum spectrum(int d, int rank, SplittableRandom rnd) {
        BrandTracker tracker = new BrandTracker(Linalg.shared(), d, rank, BrandTracker.Refresh.NONE, 0, 0, 0);
        int rows = 1 + rnd.nextInt(2 * d + 1);
        Tensor x = Tensor.zeros(DType.F64, rows, d);
        double scale = Math.pow(10, rnd.nextInt(-3, 4));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, scale * rnd.nextGaussian());
        }
        tracker.observe(new BatchTerm(List.of(x), 1.0 / rows), 0);
        return tracker.spectrum();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
