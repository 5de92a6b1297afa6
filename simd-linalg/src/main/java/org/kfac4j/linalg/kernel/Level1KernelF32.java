package org.kfac4j.linalg.kernel;

/**
 * BLAS level-1 operations on contiguous runs of {@code float}s: the elementwise inner loops of the network layers and
 * of K-FAC's per-example sums. Unchecked: callers guarantee every index is in range. Each output element is formed
 * in a fixed order (the order of the rows or terms), so results are the same on every backend.
 */
public interface Level1KernelF32 {

    /** y[i] ← y[i] + α·x[i] over i in [0, n). */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** y[i] ← y[i] + Σ_r x[xOff + r·ldx + i] over r in [0, rows), i in [0, n): the sum of a block of rows. */
    void addRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff);
}
