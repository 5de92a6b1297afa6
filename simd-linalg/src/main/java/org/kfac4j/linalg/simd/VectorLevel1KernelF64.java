package org.kfac4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * The level-1 operations on the process's vector width. Reductions keep four vector accumulators so that four
 * FMAs are in flight (the FMA latency is 3-5 cycles on x86 and NEON cores); the lanes are summed once at the end,
 * in lane order. Tails past the last whole vector run in scalar code.
 *
 * <p>Not {@code reduceLanes(ADD)}: the Vector API leaves the order of a floating-point lane reduction open, and
 * the interpreter and C2's intrinsic do use different orders, so a result would change in its last bits once
 * the method is compiled. Every operation here is exactly specified, so every run gives the same bits.
 */
public final class VectorLevel1KernelF64 implements Level1KernelF64 {
    private static final VectorSpecies<Double> S = VectorWidth.DOUBLE;
    private static final int V = S.length();

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S), s3 = DoubleVector.zero(S);
        int i = 0;
        for (int bound = n - 4 * V; i <= bound; i += 4 * V) {
            s0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), s0);
            s1 = DoubleVector.fromArray(S, x, xOff + i + V).fma(DoubleVector.fromArray(S, y, yOff + i + V), s1);
            s2 = DoubleVector.fromArray(S, x, xOff + i + 2 * V).fma(DoubleVector.fromArray(S, y, yOff + i + 2 * V), s2);
            s3 = DoubleVector.fromArray(S, x, xOff + i + 3 * V).fma(DoubleVector.fromArray(S, y, yOff + i + 3 * V), s3);
        }
        for (int bound = n - V; i <= bound; i += V) {
            s0 = DoubleVector.fromArray(S, x, xOff + i).fma(DoubleVector.fromArray(S, y, yOff + i), s0);
        }
        double sum = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    /** The lanes of v added left to right. */
    private static double sumLanes(DoubleVector v) {
        double sum = 0;
        for (int lane = 0; lane < V; lane++) {
            sum += v.lane(lane);
        }
        return sum;
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        DoubleVector a = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector.fromArray(S, x, xOff + i).fma(a, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public double dotAxpy(int n, double[] a, int aOff, double[] x, int xOff, double alpha, double[] y, int yOff) {
        DoubleVector al = DoubleVector.broadcast(S, alpha);
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        int i = 0;
        for (int bound = n - 2 * V; i <= bound; i += 2 * V) {
            DoubleVector a0 = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector a1 = DoubleVector.fromArray(S, a, aOff + i + V);
            s0 = a0.fma(DoubleVector.fromArray(S, x, xOff + i), s0);
            s1 = a1.fma(DoubleVector.fromArray(S, x, xOff + i + V), s1);
            a0.fma(al, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
            a1.fma(al, DoubleVector.fromArray(S, y, yOff + i + V)).intoArray(y, yOff + i + V);
        }
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector a0 = DoubleVector.fromArray(S, a, aOff + i);
            s0 = a0.fma(DoubleVector.fromArray(S, x, xOff + i), s0);
            a0.fma(al, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        double sum = sumLanes(s0.add(s1));
        for (; i < n; i++) {
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
        DoubleVector al0 = DoubleVector.broadcast(S, alpha0), al1 = DoubleVector.broadcast(S, alpha1);
        DoubleVector al2 = DoubleVector.broadcast(S, alpha2), al3 = DoubleVector.broadcast(S, alpha3);
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        DoubleVector s2 = DoubleVector.zero(S), s3 = DoubleVector.zero(S);
        int r1 = aOff + lda, r2 = r1 + lda, r3 = r2 + lda;
        int i = 0;
        // Per vector of x: four row loads, one load of x, one load and one store of y, eight FMAs.
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector xv = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector a0 = DoubleVector.fromArray(S, a, aOff + i);
            DoubleVector a1 = DoubleVector.fromArray(S, a, r1 + i);
            DoubleVector a2 = DoubleVector.fromArray(S, a, r2 + i);
            DoubleVector a3 = DoubleVector.fromArray(S, a, r3 + i);
            s0 = a0.fma(xv, s0);
            s1 = a1.fma(xv, s1);
            s2 = a2.fma(xv, s2);
            s3 = a3.fma(xv, s3);
            a0.fma(al0, a1.fma(al1, a2.fma(al2, a3.fma(al3, DoubleVector.fromArray(S, y, yOff + i)))))
                    .intoArray(y, yOff + i);
        }
        double d0 = sumLanes(s0), d1 = sumLanes(s1), d2 = sumLanes(s2), d3 = sumLanes(s3);
        for (; i < n; i++) {
            double a0 = a[aOff + i], a1 = a[r1 + i], a2 = a[r2 + i], a3 = a[r3 + i];
            double xi = x[xOff + i];
            d0 += a0 * xi;
            d1 += a1 * xi;
            d2 += a2 * xi;
            d3 += a3 * xi;
            y[yOff + i] += alpha0 * a0 + alpha1 * a1 + alpha2 * a2 + alpha3 * a3;
        }
        dots[dotsOff] = d0;
        dots[dotsOff + 1] = d1;
        dots[dotsOff + 2] = d2;
        dots[dotsOff + 3] = d3;
    }

    @Override
    public void secularSums(int n, double[] z, int off, double[] delta, double tau, double[] out, int outOff) {
        DoubleVector tv = DoubleVector.broadcast(S, tau);
        DoubleVector sum = DoubleVector.zero(S), slope = DoubleVector.zero(S), error = DoubleVector.zero(S);
        int i = 0;
        // Lane-wise sums: the divisions pipeline instead of waiting on one serial chain of additions.
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector zv = DoubleVector.fromArray(S, z, off + i);
            DoubleVector t = zv.div(DoubleVector.fromArray(S, delta, off + i).sub(tv));
            sum = zv.fma(t, sum);
            slope = t.fma(t, slope);
            error = error.add(sum.abs());
        }
        double s = 0, partialMagnitudes = 0;
        for (int lane = 0; lane < V; lane++) {
            s += sum.lane(lane);
            partialMagnitudes += Math.abs(s);
        }
        double sl = sumLanes(slope);
        double e = sumLanes(error) + partialMagnitudes;
        for (; i < n; i++) {
            double t = z[off + i] / (delta[off + i] - tau);
            s += z[off + i] * t;
            sl += t * t;
            e += Math.abs(s);
        }
        out[outOff] = s;
        out[outOff + 1] = sl;
        out[outOff + 2] = e;
    }

    @Override
    public int firstNonFinite(int n, double[] x, int off) {
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            if (!DoubleVector.fromArray(S, x, off + i).test(VectorOperators.IS_FINITE).allTrue()) {
                break; // the scalar loop below finds which lane
            }
        }
        for (; i < n; i++) {
            if (!Double.isFinite(x[off + i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void scale(int n, double alpha, double[] x, int xOff) {
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void rot(int n, double[] x, int xOff, double[] y, int yOff, double c, double s) {
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            DoubleVector xv = DoubleVector.fromArray(S, x, xOff + i);
            DoubleVector yv = DoubleVector.fromArray(S, y, yOff + i);
            xv.mul(c).add(yv.mul(s)).intoArray(x, xOff + i);
            yv.mul(c).sub(xv.mul(s)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            double xi = x[xOff + i], yi = y[yOff + i];
            x[xOff + i] = c * xi + s * yi;
            y[yOff + i] = c * yi - s * xi;
        }
    }
}
