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

    @Override
    public void columnMoments(int rows, int n, float[] x, int xOff, double[] shift, double[] sum, double[] squares) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double d = x[xOff + r * n + j] - shift[j];
                sum[j] += d;
                squares[j] += d * d;
            }
        }
    }

    @Override
    public void columnAffine(int rows, int n, float[] x, int xOff, float[] scale, float[] shift, boolean relu,
                             float[] y, int yOff) {
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY; // max(v, −∞) is v, NaN included
        for (int r = 0; r < rows; r++) {
            for (int j = 0, i = r * n; j < n; j++, i++) {
                y[yOff + i] = Math.max(x[xOff + i] * scale[j] + shift[j], floor);
            }
        }
    }

    @Override
    public void columnGradientSums(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                   float[] shift, boolean relu, double[] sumG, double[] sumGx) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float v = x[xOff + r * n + j];
                float gm = masked(g[gOff + r * n + j], v, scale[j], shift[j], relu);
                sumG[j] += gm;
                sumGx[j] += gm * (double) v;
            }
        }
    }

    @Override
    public void columnAffineGradient(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                     float[] shift, boolean relu, float[] a, float[] k, float[] b, float[] dx,
                                     int dxOff) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, i = r * n; j < n; j++, i++) {
                float v = x[xOff + i];
                float gm = masked(g[gOff + i], v, scale[j], shift[j], relu);
                dx[dxOff + i] = a[j] * gm + k[j] * v + b[j];
            }
        }
    }

    /** g where the ReLU after v·scale + shift passes its input (or always without one), else 0. */
    private static float masked(float g, float v, float scale, float shift, boolean relu) {
        return !relu || v * scale + shift > 0 ? g : 0f;
    }
}
