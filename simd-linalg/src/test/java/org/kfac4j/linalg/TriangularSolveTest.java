package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * trsm against its definition: after X ← α·op(L)⁻¹·B (or α·B·op(L)⁻¹), op(L)·X (or X·op(L)) must give back α·B
 * within (order + 2)·u·(|op(L)|·|X|) elementwise, the forward-error-free residual bound of substitution. L is
 * random lower triangular with a dominant diagonal; the strict upper triangle of L holds NaN and must not be read.
 */
class TriangularSolveTest {
    private static final long SEED = 97L;
    private static final List<Linalg> INSTANCES = Cases.instances();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    static double[] lowerTriangular(int order, int ld, SplittableRandom rnd) {
        double[] l = new double[Math.max(1, order * ld)];
        java.util.Arrays.fill(l, Double.NaN);
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < i; j++) {
                l[i * ld + j] = rnd.nextDouble(-1, 1);
            }
            l[i * ld + i] = (rnd.nextBoolean() ? 1 : -1) * (2 + rnd.nextDouble());
        }
        return l;
    }

    private static void runCase(Linalg la, boolean f32, Side side, Transpose trans, int m, int n, double alpha,
                                SplittableRandom rnd) {
        int order = side == Side.LEFT ? m : n;
        int ldl = Math.max(1, order) + rnd.nextInt(3);
        int ldb = Math.max(1, n) + rnd.nextInt(3);
        double[] l = lowerTriangular(order, ldl, rnd);
        double[] b = Cases.window(rnd, Math.max(1, m * ldb), 0, m, n, ldb);
        String what = la + (f32 ? " strsm " : " dtrsm ") + side + " " + trans + " m=" + m + " n=" + n + " alpha="
                + alpha + " (seed " + SEED + ")";
        double[] x;
        double[] lRead;
        double[] bRead;
        double u;
        if (f32) {
            float[] lf = Cases.toFloat(l), bf = Cases.toFloat(b);
            lRead = Cases.toDouble(lf);
            bRead = Cases.toDouble(bf);
            la.strsm(side, trans, m, n, (float) alpha, lf, 0, ldl, bf, 0, ldb);
            x = Cases.toDouble(bf);
            u = 0x1p-24;
        } else {
            lRead = l;
            bRead = b.clone();
            x = b;
            la.dtrsm(side, trans, m, n, alpha, l, 0, ldl, x, 0, ldb);
            u = 0x1p-53;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, abs = 0;
                for (int p = 0; p < order; p++) {
                    // (op(L)·X)[i][j] on the left, (X·op(L))[i][j] on the right
                    double lv = side == Side.LEFT ? entry(lRead, ldl, trans, i, p) : entry(lRead, ldl, trans, p, j);
                    double xv = side == Side.LEFT ? x[p * ldb + j] : x[i * ldb + p];
                    if (lv != 0 || !Double.isNaN(lv)) {
                        sum += lv * xv;
                        abs += Math.abs(lv * xv);
                    }
                }
                double want = alpha * bRead[i * ldb + j];
                double bound = 4 * (order + 2) * u * (abs + Math.abs(want)) + Double.MIN_NORMAL;
                if (!(Math.abs(sum - want) <= bound)) {
                    fail(what + ": residual at (" + i + ", " + j + ") = " + Math.abs(sum - want) + " > " + bound);
                }
            }
        }
    }

    /** op(L)[i][p] with zeros above the diagonal (where the array holds NaN). */
    private static double entry(double[] l, int ldl, Transpose trans, int i, int p) {
        int r = trans.transposed() ? p : i, c = trans.transposed() ? i : p;
        return c > r ? 0 : l[r * ldl + c];
    }

    @Test
    void allFourFormsMatchTheDefinitionAcrossBlockSizes() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {5, 3}, {95, 7}, {96, 40}, {97, 130}, {200, 33}, {33, 200}};
        for (Linalg la : INSTANCES) {
            for (Side side : Side.values()) {
                for (Transpose trans : Transpose.values()) {
                    for (boolean f32 : new boolean[] {false, true}) {
                        for (int[] s : shapes) {
                            double alpha = rnd.nextInt(4) == 0 ? -0.5 : 1;
                            runCase(la, f32, side, trans, s[0], s[1], alpha, rnd);
                        }
                    }
                }
            }
        }
    }

    @Test
    void alphaZeroGivesZerosWithoutReadingL() {
        Linalg la = INSTANCES.get(0);
        double[] b = {1, 2, Double.NaN, 4};
        double[] l = {1, 0, 7, 1};
        la.dtrsm(Side.LEFT, Transpose.N, 2, 2, 0.0, l, 0, 2, b, 0, 2);
        assertArrayEquals(new double[] {0, 0, 0, 0}, b, 0.0);
    }

    @Test
    void sameBitsForEveryThreadCount() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        int m = 300, n = 260;
        double[] l = lowerTriangular(m, m, rnd);
        double[] b = Cases.window(rnd, m * n, 0, m, n, n);
        double[] x1 = b.clone(), x3 = b.clone();
        INSTANCES.get(0).dtrsm(Side.LEFT, Transpose.T, m, n, 1.0, l, 0, m, x1, 0, n);
        INSTANCES.get(1).dtrsm(Side.LEFT, Transpose.T, m, n, 1.0, l, 0, m, x3, 0, n);
        assertArrayEquals(x1, x3, 0.0);
    }

    @Test
    void singularOrNonFiniteDiagonalAndBadShapesAreNamed() {
        Linalg la = INSTANCES.get(0);
        double[] l = {1, 0, 0, 2, 5, 0, 3, 4, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> la.dtrsm(Side.LEFT, Transpose.N, 3, 1, 1.0, l, 0, 3, new double[3], 0, 1));
        assertTrue(e.getMessage().contains("singular") && e.getMessage().contains("(2, 2)"), e.getMessage());
        float[] lf = {1, 0, 3, Float.NaN};
        NonFiniteValueException nf = assertThrows(NonFiniteValueException.class,
                () -> la.strsm(Side.RIGHT, Transpose.T, 2, 2, 1f, lf, 0, 2, new float[4], 0, 2));
        assertEquals(1, nf.row());
        e = assertThrows(IllegalArgumentException.class,
                () -> la.dtrsm(Side.RIGHT, Transpose.N, 2, 3, 1.0, new double[8], 0, 3, new double[6], 0, 3));
        assertTrue(e.getMessage().contains("L is too short"), e.getMessage());
    }
}
