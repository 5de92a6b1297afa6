package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.gemm.Triangle;

/**
 * The triangular product C ← α·op(A)·op(B) + β·C restricted to one triangle, against the definition. The other
 * triangle is filled with NaN: it must come back bit for bit (not written) and must not leak into the result
 * (not read).
 */
class GemmtTest {
    private static final double U_F32 = 0x1p-24;
    private static final double U_F64 = 0x1p-52;
    private static final long SEED = 11L;
    private static final List<Linalg> INSTANCES = Cases.instances();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    private static void runCase(Linalg la, boolean f32, Triangle triangle, boolean ta, boolean tb, int n, int k,
                                double alpha, double beta, SplittableRandom rnd) {
        int lda = (ta ? n : k) + rnd.nextInt(3) + (n == 0 && !ta && k == 0 ? 1 : 0);
        int ldb = (tb ? k : n) + rnd.nextInt(3);
        int ldc = Math.max(1, n) + rnd.nextInt(3);
        lda = Math.max(1, lda);
        ldb = Math.max(1, ldb);
        int aRows = ta ? k : n, bRows = tb ? n : k;
        double[] a = Cases.window(rnd, aRows * lda + 1, 0, aRows, ta ? n : k, lda);
        double[] b = Cases.window(rnd, bRows * ldb + 1, 0, bRows, tb ? k : n, ldb);
        double[] c = Cases.window(rnd, n * ldc + 1, 0, n, n, ldc);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (!inTriangle(triangle, i, j)) {
                    c[i * ldc + j] = Double.NaN;
                }
            }
        }
        String what = la + (f32 ? " sgemmt " : " dgemmt ") + triangle + " ta=" + ta + " tb=" + tb + " n=" + n
                + " k=" + k + " alpha=" + alpha + " beta=" + beta + " (seed " + SEED + ")";
        double[] got;
        double[][] want;
        double u;
        if (f32) {
            float[] af = Cases.toFloat(a), bf = Cases.toFloat(b), cf = Cases.toFloat(c);
            want = NaiveBlas.gemm(ta, tb, n, n, k, (float) alpha, Cases.toDouble(af), 0, lda, Cases.toDouble(bf), 0,
                    ldb, (float) beta, Cases.toDouble(cf), 0, ldc);
            la.gemmF32().gemmt(triangle, ta, tb, n, k, (float) alpha, af, 0, lda, bf, 0, ldb, (float) beta, cf, 0, ldc);
            got = Cases.toDouble(cf);
            u = U_F32;
        } else {
            want = NaiveBlas.gemm(ta, tb, n, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
            got = c.clone();
            la.gemmF64().gemmt(triangle, ta, tb, n, k, alpha, a, 0, lda, b, 0, ldb, beta, got, 0, ldc);
            u = U_F64;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double g = got[i * ldc + j];
                if (!inTriangle(triangle, i, j)) {
                    assertTrue(Double.isNaN(g), what + ": C[" + i + "," + j + "] outside the triangle was written");
                    continue;
                }
                double bound = (k + 2) * u * want[1][i * n + j] + Double.MIN_NORMAL;
                if (!(Math.abs(g - want[0][i * n + j]) <= bound)) {
                    fail(what + ": C[" + i + "," + j + "] = " + g + ", expected " + want[0][i * n + j]);
                }
            }
            for (int j = n; j < ldc && i * ldc + j < got.length; j++) {
                assertEquals(c[i * ldc + j], got[i * ldc + j], 0.0, what + ": padding changed");
            }
        }
    }

    private static boolean inTriangle(Triangle triangle, int i, int j) {
        return triangle == Triangle.LOWER ? i >= j : i <= j;
    }

    @Test
    void bothTrianglesMatchTheDefinitionAndLeaveTheOtherAlone() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int[] ns = {0, 1, 2, 5, 7, 13, 33, 47};
        for (Linalg la : INSTANCES) {
            for (Triangle triangle : new Triangle[] {Triangle.LOWER, Triangle.UPPER}) {
                for (boolean f32 : new boolean[] {false, true}) {
                    for (int n : ns) {
                        boolean ta = rnd.nextBoolean(), tb = rnd.nextBoolean();
                        double[] ab = Cases.ALPHA_BETA[rnd.nextInt(Cases.ALPHA_BETA.length)];
                        runCase(la, f32, triangle, ta, tb, n, rnd.nextInt(1, 40), ab[0], ab[1], rnd);
                    }
                    runCase(la, f32, triangle, true, false, 90, 64, -1, 1, rnd);
                    runCase(la, f32, triangle, false, true, 71, 0, 1, 0.5, rnd);
                }
            }
        }
    }
}
