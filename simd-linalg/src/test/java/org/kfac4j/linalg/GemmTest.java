package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** GEMM against the naive definition, on every backend and blocking under test. */
class GemmTest {
    private static final double U_F32 = 0x1p-24;
    /** The double oracle rounds too: allow the roundoff of both sides. */
    private static final double U_F64 = 0x1p-52;
    private static final List<Linalg> INSTANCES = Cases.instances();
    private static final Transpose[] OPS = Transpose.values();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    /** One call with random operands; checks the result and that nothing outside C's window was written. */
    static void runCase(Linalg la, boolean f32, Transpose ta, Transpose tb, int m, int n, int k,
                        double alpha, double beta, SplittableRandom rnd, boolean padded) {
        int aRows = ta.transposed() ? k : m, aCols = ta.transposed() ? m : k;
        int bRows = tb.transposed() ? n : k, bCols = tb.transposed() ? k : n;
        int lda = Math.max(1, aCols) + (padded ? rnd.nextInt(4) : 0);
        int ldb = Math.max(1, bCols) + (padded ? rnd.nextInt(4) : 0);
        int ldc = Math.max(1, n) + (padded ? rnd.nextInt(4) : 0);
        int aOff = padded ? rnd.nextInt(5) : 0, bOff = padded ? rnd.nextInt(5) : 0, cOff = padded ? rnd.nextInt(5) : 0;
        double[] a = Cases.window(rnd, aOff + aRows * lda + 3, aOff, aRows, aCols, lda);
        double[] b = Cases.window(rnd, bOff + bRows * ldb + 3, bOff, bRows, bCols, ldb);
        double[] c = Cases.window(rnd, cOff + m * ldc + 3, cOff, m, n, ldc);
        if (beta == 0) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Double.NaN); // must not be read
            }
        }
        String what = la + (f32 ? " sgemm " : " dgemm ") + ta + tb + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
        if (f32) {
            float[] af = Cases.toFloat(a), bf = Cases.toFloat(b), cf = Cases.toFloat(c);
            double[] before = Cases.toDouble(cf);
            double[][] want = NaiveBlas.gemm(ta.transposed(), tb.transposed(), m, n, k, (float) alpha,
                    Cases.toDouble(af), aOff, lda, Cases.toDouble(bf), bOff, ldb, (float) beta, before, cOff, ldc);
            la.sgemm(ta, tb, m, n, k, (float) alpha, af, aOff, lda, bf, bOff, ldb, (float) beta, cf, cOff, ldc);
            Cases.check(what, Cases.toDouble(cf), before, cOff, m, n, ldc, k, want, U_F32);
        } else {
            double[] before = c.clone();
            double[][] want = NaiveBlas.gemm(ta.transposed(), tb.transposed(), m, n, k, alpha,
                    a, aOff, lda, b, bOff, ldb, beta, before, cOff, ldc);
            la.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            Cases.check(what, c, before, cOff, m, n, ldc, k, want, U_F64);
        }
    }

    @Test
    void everyTransposePairAndSmallShapeMatchesTheDefinition() {
        int[] mn = {0, 1, 2, 3, 5, 6, 7, 8, 13, 17, 33, 40};
        int[] ks = {0, 1, 3, 8, 17, 40};
        SplittableRandom rnd = new SplittableRandom(11);
        int cases = 0;
        for (Linalg la : INSTANCES) {
            for (boolean f32 : new boolean[] {true, false}) {
                for (Transpose ta : OPS) {
                    for (Transpose tb : OPS) {
                        for (int m : mn) {
                            for (int n : mn) {
                                for (int k : ks) {
                                    double[] ab = Cases.ALPHA_BETA[cases++ % Cases.ALPHA_BETA.length];
                                    runCase(la, f32, ta, tb, m, n, k, ab[0], ab[1], rnd, (cases & 1) == 0);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void squareSizesZeroToFortyMatchTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (Linalg la : INSTANCES) {
            for (int s = 0; s <= 40; s++) {
                Transpose ta = OPS[s % 2], tb = OPS[(s / 2) % 2];
                double[] ab = Cases.ALPHA_BETA[s % Cases.ALPHA_BETA.length];
                runCase(la, true, ta, tb, s, s, s, ab[0], ab[1], rnd, true);
                runCase(la, false, tb, ta, s, s, s, ab[0], ab[1], rnd, true);
            }
        }
    }

    @Test
    void randomLargerShapesWithOffsetsAndPaddedLeadingDimensionsMatchTheDefinition() {
        long seed = 13;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Linalg la : INSTANCES) {
            for (int t = 0; t < 6; t++) {
                int m = 1 + rnd.nextInt(160), n = 1 + rnd.nextInt(160), k = 1 + rnd.nextInt(420);
                double[] ab = Cases.ALPHA_BETA[rnd.nextInt(Cases.ALPHA_BETA.length)];
                runCase(la, t % 2 == 0, OPS[rnd.nextInt(2)], OPS[rnd.nextInt(2)], m, n, k, ab[0], ab[1], rnd, true);
            }
        }
    }

    /**
     * A row-major B exactly one micro-panel wide (n = ldb = NR) is read in place rather than packed: n over every
     * NR a backend has (4 to 32), deep enough for several depth blocks, both op(A), C split between threads by rows.
     */
    @Test
    void aBOneMicroPanelWideMatchesTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(15);
        int cases = 0;
        for (Linalg la : INSTANCES) {
            for (int n : new int[] {4, 8, 16, 32}) {
                for (Transpose ta : OPS) {
                    for (int k : new int[] {1, 7, 900}) {
                        double[] ab = Cases.ALPHA_BETA[cases++ % Cases.ALPHA_BETA.length];
                        runCase(la, true, ta, Transpose.N, 37, n, k, ab[0], ab[1], rnd, false);
                        runCase(la, false, ta, Transpose.N, 37, n, k, ab[0], ab[1], rnd, false);
                    }
                }
            }
        }
    }

    @Test
    void resultsAreBitwiseIdenticalForOneTwoAndThreeThreads() {
        SplittableRandom rnd = new SplittableRandom(14);
        int m = 97, n = 131, k = 450;
        double[] a = Cases.window(rnd, m * k, 0, m, k, k);
        double[] b = Cases.window(rnd, k * n, 0, k, n, n);
        float[] af = Cases.toFloat(a), bf = Cases.toFloat(b);
        for (Transpose tb : OPS) {
            int ldb = tb.transposed() ? k : n;
            double[] ref64 = null;
            float[] ref32 = null;
            for (int threads = 1; threads <= 3; threads++) {
                try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(threads).withMinParallelFlops(0))) {
                    double[] c = new double[m * n];
                    float[] cf = new float[m * n];
                    la.dgemm(Transpose.N, tb, m, n, k, 1, a, 0, k, b, 0, ldb, 0, c, 0, n);
                    la.sgemm(Transpose.N, tb, m, n, k, 1, af, 0, k, bf, 0, ldb, 0, cf, 0, n);
                    // and the transposed problem, which is split by rows (m > n)
                    double[] ct = new double[n * m];
                    la.dgemm(tb.transposed() ? Transpose.N : Transpose.T, Transpose.T, n, m, k, 1,
                            b, 0, ldb, a, 0, k, 0, ct, 0, m);
                    if (ref64 == null) {
                        ref64 = c;
                        ref32 = cf;
                    } else {
                        assertArrayEquals(ref64, c, "dgemm with " + threads + " threads differs from 1 thread");
                        assertArrayEquals(ref32, cf, "sgemm with " + threads + " threads differs from 1 thread");
                    }
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(c[i * n + j], ct[j * m + i], 1e-12, "(AB)ᵀ = BᵀAᵀ");
                        }
                    }
                }
            }
        }
    }

    @Test
    void nanAndInfInTheOperandsPropagateAsInBlas() {
        for (Linalg la : INSTANCES) {
            int m = 9, n = 35, k = 7;
            double[] a = new double[m * k];
            double[] b = new double[k * n];
            Arrays.fill(a, 1);
            Arrays.fill(b, 1);
            a[3 * k + 2] = Double.NaN;   // row 3 of C becomes NaN
            b[4 * n + 30] = Double.POSITIVE_INFINITY; // column 30 becomes +Inf (except row 3)
            double[] c = new double[m * n];
            la.dgemm(Transpose.N, Transpose.N, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double v = c[i * n + j];
                    if (i == 3) {
                        assertTrue(Double.isNaN(v), "row with NaN in A: " + v);
                    } else if (j == 30) {
                        assertEquals(Double.POSITIVE_INFINITY, v);
                    } else {
                        assertEquals(k, v);
                    }
                }
            }
            // α = 0: A and B are not read, so their NaN does not reach C = β·C
            double[] c2 = new double[m * n];
            Arrays.fill(c2, 2);
            la.dgemm(Transpose.N, Transpose.N, m, n, k, 0, a, 0, k, b, 0, n, 0.5, c2, 0, n);
            for (double v : c2) {
                assertEquals(1.0, v);
            }
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheArgument() {
        Linalg la = Linalg.shared();
        float[] x = new float[12];
        assertMessage("lda", () -> la.sgemm(Transpose.N, Transpose.N, 3, 4, 3, 1, x, 0, 2, x, 0, 4, 0, x, 0, 4));
        assertMessage("ldb", () -> la.sgemm(Transpose.N, Transpose.T, 3, 4, 3, 1, x, 0, 3, x, 0, 2, 0, x, 0, 4));
        assertMessage("ldc", () -> la.sgemm(Transpose.N, Transpose.N, 3, 4, 3, 1, x, 0, 3, x, 0, 4, 0, x, 0, 3));
        assertMessage("A is too short", () -> la.sgemm(Transpose.N, Transpose.N, 4, 3, 4, 1, x, 0, 4, x, 0, 3, 0, x, 0, 3));
        assertMessage("B is too short", () -> la.sgemm(Transpose.N, Transpose.N, 1, 4, 4, 1, x, 0, 4, x, 0, 4, 0, x, 0, 4));
        assertMessage("C is too short", () -> la.sgemm(Transpose.N, Transpose.N, 3, 4, 1, 1, x, 0, 1, x, 0, 4, 0, x, 2, 4));
        assertMessage("C offset", () -> la.sgemm(Transpose.N, Transpose.N, 1, 1, 1, 1, x, 0, 1, x, 0, 1, 0, x, -1, 1));
        assertMessage("m must be >= 0", () -> la.sgemm(Transpose.N, Transpose.N, -1, 1, 1, 1, x, 0, 1, x, 0, 1, 0, x, 0, 1));
        assertMessage("k must be >= 0", () -> la.dgemm(Transpose.N, Transpose.N, 1, 1, -2, 1, new double[1], 0, 1,
                new double[1], 0, 1, 0, new double[1], 0, 1));
        assertMessage("transA", () -> la.sgemm(null, Transpose.N, 1, 1, 1, 1, x, 0, 1, x, 0, 1, 0, x, 0, 1));
        assertMessage("B must not be null", () -> la.sgemm(Transpose.N, Transpose.N, 1, 1, 1, 1, x, 0, 1, null, 0, 1, 0, x, 0, 1));
        // empty problems are legal and touch nothing
        la.sgemm(Transpose.N, Transpose.N, 0, 0, 0, 1, new float[0], 0, 1, new float[0], 0, 1, 0, new float[0], 0, 1);
    }

    static void assertMessage(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
