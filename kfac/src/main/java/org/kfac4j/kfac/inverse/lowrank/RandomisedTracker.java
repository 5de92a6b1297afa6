package org.kfac4j.kfac.inverse.lowrank;

import java.util.SplittableRandom;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.Tensor;

/**
 * RS-KFAC (Puiu, arXiv:2206.15397): the r leading eigenpairs of the formed factor by a randomised range finder —
 * {@code Y = F Ω} for a Gaussian Ω with r + p columns (p the oversampling), q power iterations
 * {@code Y ← F·orth(Y)}, then the small eigenproblem of F on {@code Q = orth(Y)}. O(d²·(r+p)·(q+1)) instead of
 * O(d³). The test matrix of refresh j is drawn from (seed, j), so results repeat across runs and thread counts.
 */
public final class RandomisedTracker implements SpectrumTracker {
    private final Linalg linalg;
    private final Spectrum spectrum;
    private final int oversampling;
    private final int powerIterations;
    private final long seed;

    /** Tracks a {@code dim × dim} factor keeping {@code rank} pairs; {@code seed} fixes the test matrices. */
    public RandomisedTracker(Linalg linalg, int dim, int rank, int oversampling,
                             int powerIterations, long seed) {
        this.linalg = linalg;
        this.spectrum = new Spectrum(dim, rank);
        this.oversampling = oversampling;
        this.powerIterations = powerIterations;
        this.seed = seed;
    }

    @Override
    public Spectrum spectrum() {
        return spectrum;
    }

    @Override
    public void refresh(Tensor factor) {
        refresh(linalg, spectrum, SpectrumTracker.dense(factor), oversampling, powerIterations, seed);
    }

    /** The randomised refresh of {@code spectrum} from the dense factor {@code f} (shared with B-R-KFAC). */
    static void refresh(Linalg linalg, Spectrum spectrum, double[] f, int oversampling,
                        int powerIterations, long seed) {
        int d = spectrum.dim();
        int b = Math.min(spectrum.capacity() + oversampling, d);
        SplittableRandom rng = new SplittableRandom(seed + spectrum.refreshes * 0x9E3779B97F4A7C15L);
        double[] omega = new double[b * d];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = rng.nextGaussian();
        }
        double trace = SpectrumTracker.trace(f, d);
        // rows of Yᵀ = Ωᵀ F (F symmetric): the sketch is kept as b rows of length d throughout
        double[] y = new double[b * d];
        linalg.dgemm(Transpose.N, Transpose.N, b, d, d, 1, omega, 0, d, f, 0, d, 0, y, 0, d);
        int rows = b;
        for (int q = 0; q < powerIterations; q++) {
            OrthonormalRows.Basis basis = OrthonormalRows.of(linalg, y, rows, d, null, 0);
            rows = basis.m();
            y = new double[rows * d];
            linalg.dgemm(Transpose.N, Transpose.N, rows, d, d, 1, basis.q(), 0, d, f, 0, d, 0, y, 0, d);
        }
        OrthonormalRows.Basis basis = OrthonormalRows.of(linalg, y, rows, d, null, 0);
        int m = basis.m();
        if (m == 0) { // F = 0: nothing to keep
            spectrum.rank = 0;
            spectrum.trace = trace;
            spectrum.continueFromTrace();
            spectrum.refreshes++;
            return;
        }
        double[] qf = new double[m * d];
        linalg.dgemm(Transpose.N, Transpose.N, m, d, d, 1, basis.q(), 0, d, f, 0, d, 0, qf, 0, d);
        double[] small = new double[m * m];
        linalg.dgemm(Transpose.N, Transpose.T, m, m, d, 1, qf, 0, d, basis.q(), 0, d, 0, small, 0, m);
        spectrum.assignFromBasis(linalg, basis.q(), Transpose.T, d, m, small);
        spectrum.trace = trace;
        spectrum.continueFromTrace();
        spectrum.refreshes++;
    }

    @Override
    public String label() {
        return "rs-kfac r=" + spectrum.capacity();
    }
}
