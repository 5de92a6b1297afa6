package org.kfac4j.linalg.kernel;

/**
 * BLAS level-1 operations on contiguous runs of {@code double}s: the inner loops of the factorisations
 * (Householder tridiagonalisation, rotations, triangular substitution). Unchecked: callers guarantee every
 * index is in range. Implementations may sum in any fixed order, so results can differ between backends in
 * the last bits, never between calls on one backend.
 */
public interface Level1KernelF64 {

    /** Σ x[i]·y[i] over i in [0, n). */
    double dot(int n, double[] x, int xOff, double[] y, int yOff);

    /** y[i] ← y[i] + α·x[i]. */
    void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff);

    /**
     * One pass over a row of a symmetric matrix stored as one triangle: y[i] ← y[i] + α·a[i], and returns
     * Σ a[i]·x[i]. A symmetric matrix-vector product reads each stored element once this way.
     */
    double dotAxpy(int n, double[] a, int aOff, double[] x, int xOff, double alpha, double[] y, int yOff);

    /**
     * Four rows of a symmetric matrix stored as one triangle, in one pass over their common part: for the runs
     * a_k[i] = a[aOff + k·lda + i] (k = 0..3), y[i] ← y[i] + Σ_k α_k·a_k[i] and dots[dotsOff + k] = Σ_i a_k[i]·x[i].
     * Each load of x and each update of y then serves four matrix elements instead of one.
     */
    void dotAxpy4(int n, double[] a, int aOff, int lda, double[] x, int xOff,
                  double alpha0, double alpha1, double alpha2, double alpha3, double[] y, int yOff,
                  double[] dots, int dotsOff);

    /**
     * One part of a secular function at τ: with t_i = z[i]/(delta[i] − τ) over i in [0, n), writes
     * out[outOff] = Σ z_i·t_i, out[outOff+1] = Σ t_i² and out[outOff+2] = the sum of the magnitudes of the partial
     * sums the first was formed from (in this implementation's order): ε times it bounds its rounding error.
     */
    void secularSums(int n, double[] z, int off, double[] delta, double tau, double[] out, int outOff);

    /** The first i in [0, n) with x[off + i] NaN or ±Inf, or −1 if every entry is finite. */
    int firstNonFinite(int n, double[] x, int off);

    /** x[i] ← α·x[i]. */
    void scale(int n, double alpha, double[] x, int xOff);

    /** The plane rotation of two runs: (x[i], y[i]) ← (c·x[i] + s·y[i], c·y[i] − s·x[i]). */
    void rot(int n, double[] x, int xOff, double[] y, int yOff, double c, double s);
}
