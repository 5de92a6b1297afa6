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
    public void dotAxpy4(int n, double[] a, int aOff, int lda, double[] x, int xOff,
                         double alpha0, double alpha1, double alpha2, double alpha3, double[] y, int yOff,
                         double[] dots, int dotsOff) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int r1 = aOff + lda, r2 = r1 + lda, r3 = r2 + lda;
        for (int i = 0; i < n; i++) {
            double a0 = a[aOff + i], a1 = a[r1 + i], a2 = a[r2 + i], a3 = a[r3 + i];
            double xi = x[xOff + i];
            s0 += a0 * xi;
            s1 += a1 * xi;
            s2 += a2 * xi;
            s3 += a3 * xi;
            y[yOff + i] += alpha0 * a0 + alpha1 * a1 + alpha2 * a2 + alpha3 * a3;
        }
        dots[dotsOff] = s0;
        dots[dotsOff + 1] = s1;
        dots[dotsOff + 2] = s2;
        dots[dotsOff + 3] = s3;
    }

    @Override
    public void secularSums(int n, double[] z, int off, double[] delta, double tau, double[] out, int outOff) {
        double sum = 0, slope = 0, error = 0;
        for (int i = off; i < off + n; i++) {
            double t = z[i] / (delta[i] - tau);
            sum += z[i] * t;
            slope += t * t;
            error += Math.abs(sum);
        }
        out[outOff] = sum;
        out[outOff + 1] = slope;
        out[outOff + 2] = error;
    }

    @Override
    public int firstNonFinite(int n, double[] x, int off) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[off + i])) {
                return i;
            }
        }
        return -1;
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
