package org.kfac4j.linalg.kernel;

/** The level-1 operations in plain Java arithmetic, summed left to right. */
public final class ScalarLevel1KernelF64 implements Level1KernelF64 {

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public double dotAxpy(int n, double[] a, int aOff, double[] x, int xOff, double alpha, double[] y, int yOff) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double ai = a[aOff + i];
            sum += ai * x[xOff + i];
            y[yOff + i] += alpha * ai;
        }
        return sum;
    }

    @Override
    public void scale(int n, double alpha, double[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void rot(int n, double[] x, int xOff, double[] y, int yOff, double c, double s) {
        for (int i = 0; i < n; i++) {
            double xi = x[xOff + i], yi = y[yOff + i];
            x[xOff + i] = c * xi + s * yi;
            y[yOff + i] = c * yi - s * xi;
        }
    }
}
