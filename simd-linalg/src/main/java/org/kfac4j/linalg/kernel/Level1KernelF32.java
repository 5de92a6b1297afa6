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
}
