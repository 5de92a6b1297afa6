package org.kfac4j.kfac.inverse.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** RS-KFAC's randomised eigendecomposition against the factor's exact spectrum. */
class RandomisedTrackerTest {
    /** A factor of rank ≤ r is recovered exactly; a full-rank one within a stated multiple of the best rank-r error. */
    @ParameterizedTest(name = "d={0} r={1} samples={2} decay={3} q={4}")
    @CsvSource({
            "50, 10, 8, 1.0, 0",
            "200, 64, 64, 0.95, 1",
            "120, 16, 500, 0.9, 2",
            "300, 32, 1000, 0.97, 2",
            "65, 1, 200, 0.5, 2"})
    void recoversTheLeadingSpectrum(int d, int r, int samples, double decay, int q) {
        SplittableRandom rng = new SplittableRandom(d * 7L + r);
        double[] f = new double[d * d];
        Dense.movingAverage(f, 0, Dense.rows(rng, samples, d, decay), samples, d);
        for (int i = 0; i < f.length; i++) {
            f[i] /= samples;
        }
        RandomisedTracker tracker = new RandomisedTracker(Dense.LINALG, d, r, 10, q, 3);
        tracker.refresh(Tensor.wrap(f.clone(), d, d));
        Spectrum s = tracker.spectrum();
        double[] exact = Dense.eigenvalues(f, d);
        double error = Dense.frobenius(Dense.minus(s.toDense(), f));
        if (samples <= r) {
            assertTrue(error <= 1e-11 * Dense.frobenius(f), "rank " + samples + " ≤ r: error " + error);
        } else {
            // Halko, Martinsson & Tropp: with p = 10 oversampling and q power iterations the range error is a small
            // multiple of σ_{r+1}; over these spectra the represented factor stays within 1.5× the best error
            double best = bestError(exact, r);
            assertTrue(error <= 1.5 * best + 1e-12 * exact[0], "error " + error + " vs the best " + best);
        }
        assertTrue(s.orthonormalityError() <= d * Math.ulp(1.0), "‖UᵀU − I‖max = " + s.orthonormalityError());
    }

    /** The test matrix comes from (seed, refresh count): the same factor gives the same result on every run. */
    @ParameterizedTest(name = "float factor: {0}")
    @CsvSource({"false", "true"})
    void isReproducible(boolean single) {
        int d = 80;
        SplittableRandom rng = new SplittableRandom(2);
        double[] f = new double[d * d];
        Dense.movingAverage(f, 0, Dense.rows(rng, 100, d, 0.9), 100, d);
        Tensor factor = Tensor.wrap(f, d, d);
        if (single) {
            factor = factor.to(DType.F32);
        }
        RandomisedTracker one = new RandomisedTracker(Dense.LINALG, d, 8, 4, 1, 11);
        RandomisedTracker two = new RandomisedTracker(Dense.LINALG, d, 8, 4, 1, 11);
        one.refresh(factor);
        two.refresh(factor);
        assertArrayEquals(one.spectrum().toDense(), two.spectrum().toDense());
    }

    /** A zero factor (a layer whose inputs were all zero) gives an empty spectrum, not an error. */
    @Test
    void aZeroFactorGivesAnEmptySpectrum() {
        RandomisedTracker tracker = new RandomisedTracker(Dense.LINALG, 50, 8, 4, 2, 1);
        tracker.refresh(Tensor.zeros(DType.F64, 50, 50));
        assertEquals(0, tracker.spectrum().rank());
        assertEquals(0, tracker.spectrum().continuation());
        assertTrue(tracker.ready());
    }

    /** The Frobenius error of the best rank-r representation: exact top pairs, c the mean of the rest. */
    static double bestError(double[] descending, int r) {
        int d = descending.length;
        double mean = 0;
        for (int i = r; i < d; i++) {
            mean += descending[i];
        }
        mean /= Math.max(1, d - r);
        double s = 0;
        for (int i = r; i < d; i++) {
            s += (descending[i] - mean) * (descending[i] - mean);
        }
        return Math.sqrt(s);
    }
}
