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

/**
 * Cholesky against the definitions: ‖L·Lᵀ − A‖_F ≤ 10·n·u·‖A‖_F (backward stability, the bound in units of n·u),
 * the strict upper triangle untouched, ‖A·X − B‖_F ≤ 10·n·u·‖A‖_F·‖X‖_F for solves, ‖A·A⁻¹ − I‖_F ≤ 10·n·u·κ(A) for
 * the inverse, log det against a known spectrum, and the failing pivot named where it is known exactly.
 */
class CholeskyTest {
    private static final long SEED = 314L;
    private static final double BOUND = 10;
    private static final List<Linalg> INSTANCES = Cases.instances();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    /** XᵀX/rows + shift·I: SPD with condition number about (max + shift)/shift. */
    static double[] spd(int n, double shift, SplittableRandom rnd) {
        double[] a = TestMatrices.gram(n, n + 3, rnd);
        for (int i = 0; i < n * n; i++) {
            a[i] /= n + 3;
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += shift;
        }
        return a;
    }

    private static double[] withLd(double[] dense, int n, int ld, double fill) {
        double[] a = new double[Math.max(1, n * ld)];
        Arrays.fill(a, fill);
        for (int i = 0; i < n; i++) {
            System.arraycopy(dense, i * n, a, i * ld, n);
        }
        return a;
    }

    @Test
    void factorIsBackwardStableAndLeavesTheUpperTriangleAlone() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (Linalg la : INSTANCES) {
            Cholesky chol = Cholesky.of(la);
            for (int n : new int[] {0, 1, 2, 5, 17, 127, 128, 129, 260}) {
                double[] a = spd(n, 0.1, rnd);
                int ld = Math.max(1, n) + rnd.nextInt(3);
                for (boolean f32 : new boolean[] {false, true}) {
                    double[] stored = withLd(a, n, ld, Double.NaN);
                    for (int i = 0; i < n; i++) {
                        for (int j = i + 1; j < n; j++) {
                            stored[i * ld + j] = Double.NaN; // must be neither read nor written
                        }
                    }
                    double[] l;
                    double u;
                    double[] aRead;
                    if (f32) {
                        float[] af = Cases.toFloat(stored);
                        aRead = Cases.toDouble(af);
                        chol.factor(n, af, 0, ld);
                        l = Cases.toDouble(af);
                        u = 0x1p-24;
                    } else {
                        aRead = stored.clone();
                        l = stored;
                        chol.factor(n, l, 0, ld);
                        u = 0x1p-53;
                    }
                    String what = la + (f32 ? " float" : " double") + " n=" + n + " (seed " + SEED + ")";
                    double err = 0, norm = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            if (j > i) {
                                assertTrue(Double.isNaN(l[i * ld + j]), what + ": upper triangle written at " + i + "," + j);
                                continue;
                            }
                            double s = 0;
                            for (int p = 0; p <= j; p++) {
                                s += l[i * ld + p] * l[j * ld + p];
                            }
                            double aij = aRead[i * ld + j];
                            err += (s - aij) * (s - aij) * (i == j ? 1 : 2);
                            norm += aij * aij * (i == j ? 1 : 2);
                        }
                    }
                    assertTrue(Math.sqrt(err) <= BOUND * Math.max(1, n) * u * Math.sqrt(norm),
                            what + ": ‖LLᵀ − A‖ = " + Math.sqrt(err) / (Math.max(1, n) * u * Math.sqrt(norm)) + " n·u·‖A‖");
                }
            }
        }
    }

    @Test
    void solveAndInverseMatchTheDefinitions() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        double u = 0x1p-53;
        for (Linalg la : INSTANCES) {
            Cholesky chol = Cholesky.of(la);
            for (int n : new int[] {1, 3, 96, 200}) {
                double[] a = spd(n, 1.0, rnd); // κ(A) ≤ ~5
                double[] l = a.clone();
                chol.factor(n, l, 0, n);
                int nrhs = 1 + rnd.nextInt(40);
                double[] b = Cases.window(rnd, n * nrhs, 0, n, nrhs, nrhs);
                double[] x = b.clone();
                chol.solve(n, nrhs, l, 0, n, x, 0, nrhs);
                double res = 0, normX = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < nrhs; j++) {
                        double s = 0;
                        for (int p = 0; p < n; p++) {
                            s += a[i * n + p] * x[p * nrhs + j];
                        }
                        res += (s - b[i * nrhs + j]) * (s - b[i * nrhs + j]);
                        normX += x[i * nrhs + j] * x[i * nrhs + j];
                    }
                }
                double normA = TestMatrices.frobenius(n, a);
                assertTrue(Math.sqrt(res) <= BOUND * n * u * normA * Math.sqrt(normX), la + " solve n=" + n);

                double[] inv = l.clone();
                chol.invert(n, inv, 0, n);
                double dev = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(inv[i * n + j], inv[j * n + i], 0.0, "inverse not symmetric");
                        double s = 0;
                        for (int p = 0; p < n; p++) {
                            s += a[i * n + p] * inv[p * n + j];
                        }
                        dev += (s - (i == j ? 1 : 0)) * (s - (i == j ? 1 : 0));
                    }
                }
                assertTrue(Math.sqrt(dev) <= BOUND * n * u * 5 * Math.sqrt(n), la + " inverse n=" + n + ": ‖AA⁻¹ − I‖ = "
                        + Math.sqrt(dev));
            }
        }
    }

    @Test
    void singlePrecisionSolveAndInverse() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        int n = 150;
        double[] a = spd(n, 1.0, rnd);
        float[] l = Cases.toFloat(a);
        Cholesky chol = Cholesky.of(INSTANCES.get(0));
        chol.factor(n, l, 0, n);
        float[] inv = l.clone();
        chol.invert(n, inv, 0, n);
        double[] ad = Cases.toDouble(Cases.toFloat(a));
        double dev = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += ad[i * n + p] * inv[p * n + j];
                }
                dev += (s - (i == j ? 1 : 0)) * (s - (i == j ? 1 : 0));
            }
        }
        assertTrue(Math.sqrt(dev) <= BOUND * n * 0x1p-24 * 5 * Math.sqrt(n), "‖AA⁻¹ − I‖ = " + Math.sqrt(dev));
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        chol.solve(n, 1, l, 0, n, x, 0, 1);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < n; p++) {
                s += ad[i * n + p] * x[p];
            }
            assertEquals(1.0, s, BOUND * n * 0x1p-24 * 5);
        }
    }

    @Test
    void logDeterminantIsTheSumOfLogEigenvalues() {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        int n = 140;
        double[] lambda = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.exp(rnd.nextDouble(-8, 8));
            expected += Math.log(lambda[i]);
        }
        double[] a = TestMatrices.withSpectrum(lambda, rnd);
        Cholesky chol = Cholesky.of(INSTANCES.get(0));
        double[] l = a.clone();
        chol.factor(n, l, 0, n);
        // log det is as accurate as the eigenvalues: κ·n·u relative in each, summed
        assertEquals(expected, chol.logDeterminant(n, l, 0, n), 1e-6);
        float[] lf = Cases.toFloat(a);
        chol.factor(n, lf, 0, n);
        assertEquals(expected, chol.logDeterminant(n, lf, 0, n), 0.5);
    }

    @Test
    void notPositiveDefiniteNamesTheFailingPivot() {
        Cholesky chol = Cholesky.of(INSTANCES.get(0));
        int n = 300;
        for (int bad : new int[] {0, 5, 127, 128, 299}) {
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                a[i * n + i] = i == bad ? -1 : 1 + i;
            }
            NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                    () -> chol.factor(n, a, 0, n));
            assertEquals(bad, e.pivot());
            assertEquals(-1, e.value(), 0.0);
        }
        // [[1, 2], [2, 1]]: the second pivot is 1 − 2² = −3 after eliminating the first row.
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> chol.factor(2, new double[] {1, 2, 2, 1}, 0, 2));
        assertEquals(1, e.pivot());
        assertEquals(-3, e.value(), 1e-15);
        assertTrue(e.getMessage().contains("pivot 1 of 2"), e.getMessage());
        // rank-deficient PSD: XᵀX with 3 rows, order 10 fails at a pivot past the rank
        double[] gram = TestMatrices.gram(10, 3, new SplittableRandom(SEED));
        e = assertThrows(NotPositiveDefiniteException.class, () -> chol.factor(10, gram, 0, 10));
        assertTrue(e.pivot() >= 3, "pivot " + e.pivot());
    }

    @Test
    void nonFiniteInputAndBadFactorsAreTypedErrors() {
        Cholesky chol = Cholesky.of(INSTANCES.get(0));
        double[] a = {4, 0, 0, Double.NaN, 4, 0, 1, 1, 4};
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> chol.factor(3, a, 0, 3));
        assertEquals(1, e.row());
        assertEquals(0, e.column());
        double[] upperNaN = {4, Double.NaN, 0, 4};
        chol.factor(2, upperNaN, 0, 2); // the upper triangle is not read
        assertEquals(2, upperNaN[0], 0.0);
        assertThrows(IllegalArgumentException.class, () -> chol.invert(2, new double[] {1, 0, 0, -1}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> chol.logDeterminant(2, new double[] {1, 0, 0, 0}, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> chol.factor(3, new double[8], 0, 3));
    }

    @Test
    void sameBitsForEveryThreadCount() {
        SplittableRandom rnd = new SplittableRandom(SEED + 4);
        int n = 333;
        double[] a = spd(n, 0.5, rnd);
        double[] l1 = a.clone(), l3 = a.clone();
        Cholesky.of(INSTANCES.get(0)).factor(n, l1, 0, n);
        Cholesky.of(INSTANCES.get(1)).factor(n, l3, 0, n);
        assertArrayEquals(l1, l3, 0.0);
    }
}
