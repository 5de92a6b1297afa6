package org.kfac4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kfac4j.linalg.kernel.Level1KernelF32;

/**
 * The float level-1 operations on the process's vector width; tails past the last whole vector in scalar code.
 * Every output element is summed in the same order as by {@link org.kfac4j.linalg.kernel.ScalarLevel1KernelF32}.
 *
 * <p>The column operations of batch normalisation sum in double: each float vector is widened to two double vectors
 * of {@code VD} lanes, its low and its high half.
 */
public final class VectorLevel1KernelF32 implements Level1KernelF32 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int V = S.length();
    private static final VectorSpecies<Double> D = VectorWidth.DOUBLE;
    private static final int VD = D.length();

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void addRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff) {
        int i = 0;
        // one vector of y stays in a register while every row's slice is added to it, in row order
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector sum = FloatVector.fromArray(S, y, yOff + i);
            for (int r = 0; r < rows; r++) {
                sum = sum.add(FloatVector.fromArray(S, x, xOff + r * ldx + i));
            }
            sum.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float sum = y[yOff + i];
            for (int r = 0; r < rows; r++) {
                sum += x[xOff + r * ldx + i];
            }
            y[yOff + i] = sum;
        }
    }

    @Override
    public void exp(int n, float shift, float[] x, int xOff, float[] y, int yOff) {
        FloatVector s = FloatVector.broadcast(S, shift);
        int i = 0;
        // EXP is an intrinsic (one call into the JDK's vector math stubs per vector) where the platform has one
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector.fromArray(S, x, xOff + i).sub(s).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i] - shift);
        }
    }

    @Override
    public void columnMoments(int rows, int n, float[] x, int xOff, double[] shift, double[] sum, double[] squares) {
        int j = 0;
        // V = 2·VD columns per sweep down the rows: their four running sums stay in registers across all the rows
        for (; j <= n - V; j += V) {
            DoubleVector k0 = DoubleVector.fromArray(D, shift, j), k1 = DoubleVector.fromArray(D, shift, j + VD);
            DoubleVector s0 = DoubleVector.fromArray(D, sum, j), s1 = DoubleVector.fromArray(D, sum, j + VD);
            DoubleVector q0 = DoubleVector.fromArray(D, squares, j), q1 = DoubleVector.fromArray(D, squares, j + VD);
            for (int r = 0, p = xOff + j; r < rows; r++, p += n) {
                FloatVector xv = FloatVector.fromArray(S, x, p);
                DoubleVector d0 = widen(xv, 0).sub(k0), d1 = widen(xv, 1).sub(k1);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                q0 = q0.add(d0.mul(d0));
                q1 = q1.add(d1.mul(d1));
            }
            s0.intoArray(sum, j);
            s1.intoArray(sum, j + VD);
            q0.intoArray(squares, j);
            q1.intoArray(squares, j + VD);
        }
        for (; j < n; j++) {
            for (int r = 0; r < rows; r++) {
                double d = x[xOff + r * n + j] - shift[j];
                sum[j] += d;
                squares[j] += d * d;
            }
        }
    }

    @Override
    public void columnAffine(int rows, int n, float[] x, int xOff, float[] scale, float[] shift, boolean relu,
                             float[] y, int yOff) {
        // row by row, as the data lie: the per-column parameters are re-read from L1 for every row
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n, yr = yOff + r * n;
            int j = 0;
            for (; j <= n - V; j += V) {
                FloatVector v = FloatVector.fromArray(S, x, xr + j).mul(FloatVector.fromArray(S, scale, j))
                        .add(FloatVector.fromArray(S, shift, j));
                (relu ? v.max(0f) : v).intoArray(y, yr + j);
            }
            for (; j < n; j++) {
                float v = x[xr + j] * scale[j] + shift[j];
                y[yr + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    @Override
    public void columnGradientSums(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                   float[] shift, boolean relu, double[] sumG, double[] sumGx) {
        int j = 0;
        // V = 2·VD columns per sweep down the rows, four running sums in registers; the mask at full float width
        // (where every backend width has float masks), then each half widened to doubles
        for (; j <= n - V; j += V) {
            FloatVector a = FloatVector.fromArray(S, scale, j), b = FloatVector.fromArray(S, shift, j);
            DoubleVector s0 = DoubleVector.fromArray(D, sumG, j), s1 = DoubleVector.fromArray(D, sumG, j + VD);
            DoubleVector t0 = DoubleVector.fromArray(D, sumGx, j), t1 = DoubleVector.fromArray(D, sumGx, j + VD);
            for (int r = 0, p = xOff + j, q = gOff + j; r < rows; r++, p += n, q += n) {
                FloatVector xv = FloatVector.fromArray(S, x, p);
                FloatVector gv = FloatVector.fromArray(S, g, q);
                if (relu) {
                    gv = passed(gv, xv, a, b);
                }
                DoubleVector g0 = widen(gv, 0), g1 = widen(gv, 1);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                t0 = t0.add(g0.mul(widen(xv, 0)));
                t1 = t1.add(g1.mul(widen(xv, 1)));
            }
            s0.intoArray(sumG, j);
            s1.intoArray(sumG, j + VD);
            t0.intoArray(sumGx, j);
            t1.intoArray(sumGx, j + VD);
        }
        for (; j < n; j++) {
            for (int r = 0; r < rows; r++) {
                float v = x[xOff + r * n + j];
                float gm = !relu || v * scale[j] + shift[j] > 0 ? g[gOff + r * n + j] : 0f;
                sumG[j] += gm;
                sumGx[j] += gm * (double) v;
            }
        }
    }

    @Override
    public void columnAffineGradient(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                     float[] shift, boolean relu, float[] a, float[] k, float[] b, float[] dx,
                                     int dxOff) {
        // row by row, as columnAffine
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * n, gr = gOff + r * n, dr = dxOff + r * n;
            int j = 0;
            for (; j <= n - V; j += V) {
                FloatVector xv = FloatVector.fromArray(S, x, xr + j);
                FloatVector gv = FloatVector.fromArray(S, g, gr + j);
                if (relu) {
                    gv = passed(gv, xv, FloatVector.fromArray(S, scale, j), FloatVector.fromArray(S, shift, j));
                }
                FloatVector.fromArray(S, a, j).mul(gv).add(FloatVector.fromArray(S, k, j).mul(xv))
                        .add(FloatVector.fromArray(S, b, j)).intoArray(dx, dr + j);
            }
            for (; j < n; j++) {
                float v = x[xr + j];
                float gm = !relu || v * scale[j] + shift[j] > 0 ? g[gr + j] : 0f;
                dx[dr + j] = a[j] * gm + k[j] * v + b[j];
            }
        }
    }

    /** The lanes of g where the ReLU after x·scale + shift passes its input (> 0), zero elsewhere (NaN included). */
    private static FloatVector passed(FloatVector g, FloatVector x, FloatVector scale, FloatVector shift) {
        return g.blend(0f, x.mul(scale).add(shift).compare(VectorOperators.GT, 0f).not());
    }

    /** Half {@code part} (0: the low VD lanes, 1: the high ones) of v as doubles (exact). */
    private static DoubleVector widen(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
    }
}
