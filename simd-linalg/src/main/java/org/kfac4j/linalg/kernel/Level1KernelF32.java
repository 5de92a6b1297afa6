package org.kfac4j.linalg.kernel;

/**
 * BLAS level-1 operations on contiguous runs of {@code float}s: the elementwise inner loops of the network layers and
 * of K-FAC's per-example sums. Unchecked: callers guarantee every index is in range. Each output element of the
 * sums is formed in a fixed order (the order of the rows or terms), so their results are the same on every backend;
 * {@link #exp} is within a few ulps of {@link Math#exp} on every backend, not bitwise the same.
 */
public interface Level1KernelF32 {

    /** y[i] ← y[i] + α·x[i] over i in [0, n). */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** y[i] ← y[i] + Σ_r x[xOff + r·ldx + i] over r in [0, rows), i in [0, n): the sum of a block of rows. */
    void addRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff);

    /**
     * y[i] ← e^{x[i] − shift} over i in [0, n): the exponentials of softmax (shift = the row maximum) and of GELU.
     * The vector backends use the JDK's vector math library (SVML on x86, SLEEF on ARM where present), within a few
     * ulps of {@link Math#exp}; overflow gives +∞, underflow 0 and NaN stays NaN, as {@code Math.exp}. {@code x} and
     * {@code y} may be the same run.
     */
    void exp(int n, float shift, float[] x, int xOff, float[] y, int yOff);

    /**
     * The per-column sums of batch statistics over a block of rows (row r, column j at x[xOff + r·n + j]), in double:
     * with d = x − shift[j] formed in double, sum[j] ← sum[j] + Σ_r d and squares[j] ← squares[j] + Σ_r d·d over r in
     * [0, rows), j in [0, n), each added in row order, a product then a sum (no FMA): the same bits on every backend.
     */
    void columnMoments(int rows, int n, float[] x, int xOff, double[] shift, double[] sum, double[] squares);

    /**
     * The per-column affine map y = x·scale[j] + shift[j] (a product then a sum) over a block of rows stored as
     * above, followed by max(·, 0) when {@code relu} (as {@link Math#max}: NaN stays NaN). x and y may be the same
     * run.
     */
    void columnAffine(int rows, int n, float[] x, int xOff, float[] scale, float[] shift, boolean relu,
                      float[] y, int yOff);

    /**
     * The per-column gradient sums of an affine map: with g̃ = g, or when {@code relu} g̃ = g where x·scale[j] +
     * shift[j] &gt; 0 (recomputed as {@link #columnAffine} computes it) and 0 elsewhere, sumG[j] ← sumG[j] + Σ_r g̃
     * and sumGx[j] ← sumGx[j] + Σ_r g̃·x in double, added in row order (the same bits on every backend).
     */
    void columnGradientSums(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                            float[] shift, boolean relu, double[] sumG, double[] sumGx);

    /**
     * dx = (a[j]·g̃ + k[j]·x) + b[j] per column, g̃ as in {@link #columnGradientSums}: BatchNorm's input gradient.
     * Products and sums rounded one by one (no FMA): the same bits on every backend.
     */
    void columnAffineGradient(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                              float[] shift, boolean relu, float[] a, float[] k, float[] b, float[] dx, int dxOff);
}
