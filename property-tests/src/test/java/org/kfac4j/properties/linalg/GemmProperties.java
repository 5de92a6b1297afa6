package org.kfac4j.properties.linalg;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;

/**
 * GEMM equals the naive product for arbitrary shapes (tails, 1-sized and empty dimensions), transposes,
 * offsets, padded leading dimensions and α, β; SYRK output is exactly symmetric. Written from the definition,
 * sharing no code with simd-linalg's own tests. jqwik prints the seed of a failing run.
 */
class GemmProperties {

    @Property
    void gemmEqualsTheNaiveProduct(@ForAll @IntRange(min = 0, max = 70) int m,
                                   @ForAll @IntRange(min = 0, max = 70) int n,
                                   @ForAll @IntRange(min = 0, max = 70) int k,
                                   @ForAll boolean transA, @ForAll boolean transB,
                                   @ForAll @IntRange(min = 0, max = 3) int pad,
                                   @ForAll @IntRange(min = -2, max = 2) int alphaHalves,
                                   @ForAll @IntRange(min = -2, max = 2) int betaHalves,
                                   @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double alpha = alphaHalves / 2.0, beta = betaHalves / 2.0;
        int lda = Math.max(1, transA ? m : k) + pad, ldb = Math.max(1, transB ? k : n) + pad, ldc = Math.max(1, n) + pad;
        int off = pad;
        double[] a = random(rnd, off + (transA ? k : m) * lda);
        double[] b = random(rnd, off + (transB ? n : k) * ldb);
        double[] c = random(rnd, off + m * ldc);
        double[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? a[off + p * lda + i] : a[off + i * lda + p])
                            * (transB ? b[off + j * ldb + p] : b[off + p * ldb + j]);
                }
                int idx = off + i * ldc + j;
                expected[idx] = (alpha == 0 ? 0 : alpha * sum) + (beta == 0 ? 0 : beta * c[idx]);
            }
        }
        double[] got = c.clone();
        Linalg.shared().dgemm(transA ? Transpose.T : Transpose.N, transB ? Transpose.T : Transpose.N, m, n, k,
                alpha, a, off, lda, b, off, ldb, beta, got, off, ldc);
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - off;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside && got[idx] != c[idx]) {
                throw new AssertionError("element " + idx + " outside C was written");
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = off + i * ldc + j;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    mag += Math.abs((transA ? a[off + p * lda + i] : a[off + i * lda + p])
                            * (transB ? b[off + j * ldb + p] : b[off + p * ldb + j]));
                }
                // rounding bound of a length-k dot product, for the kernel and this oracle both
                double bound = 2 * (k + 2) * 0x1p-53 * (Math.abs(alpha) * mag + Math.abs(beta * c[idx]))
                        + Double.MIN_NORMAL;
                if (!(Math.abs(got[idx] - expected[idx]) <= bound)) {
                    throw new AssertionError("C[" + i + "," + j + "] = " + got[idx] + ", expected " + expected[idx]
                            + " within " + bound);
                }
            }
        }
    }

    @Property
    void syrkIsSymmetricAndEqualsTheGramMatrix(@ForAll @IntRange(min = 0, max = 60) int n,
                                               @ForAll @IntRange(min = 0, max = 90) int k,
                                               @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] c = new float[n * n];
        Linalg.shared().ssyrk(Transpose.T, n, k, 1f, a, 0, Math.max(1, n), 0f, c, 0, Math.max(1, n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double gram = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    gram += (double) a[p * n + i] * a[p * n + j];
                    abs += Math.abs((double) a[p * n + i] * a[p * n + j]);
                }
                if (c[i * n + j] != c[j * n + i]) {
                    throw new AssertionError("C[" + i + "," + j + "] != C[" + j + "," + i + "]");
                }
                if (!(Math.abs(c[i * n + j] - gram) <= (k + 2) * 0x1p-24 * abs + Float.MIN_NORMAL)) {
                    throw new AssertionError("C[" + i + "," + j + "] = " + c[i * n + j] + ", expected " + gram);
                }
            }
        }
    }

    private static double[] random(SplittableRandom rnd, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
