package org.kfac4j.linalg.kernel;

/** The reference {@link Level1KernelF32}: plain loops. */
public final class ScalarLevel1KernelF32 implements Level1KernelF32 {

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void addRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float sum = y[yOff + i];
            for (int r = 0; r < rows; r++) {
                sum += x[xOff + r * ldx + i];
            }
            y[yOff + i] = sum;
        }
    }

    @Override
    public void exp(int n, float shift, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i] - shift);
        }
    }
}
