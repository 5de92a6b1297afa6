package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The symmetric eigensolver against the definitions: residual ‖A·V − V·Λ‖_F and orthogonality ‖VᵀV − I‖_F in
 * units of n·ε·‖A‖_F (the bound is 10 of them), eigenvalues against a known spectrum or the Jacobi oracle within
 * the same bound, on the matrices that break eigensolvers.
 */
class SymmetricEigenTest {
    private static final double EPS = 0x1p-52;
    private static final double BOUND = 10;
    private static final long SEED = 20261123L;
    /** The selected backend on 1 and 3 threads (parallel from the first flop) and the scalar reference. */
    private static final List<Linalg> INSTANCES = List.of(
            Linalg.create(LinalgConfig.defaults().withThreads(1)),
            Linalg.create(LinalgConfig.defaults().withThreads(3).withMinParallelFlops(0)),
            Linalg.create(LinalgConfig.defaults().withThreads(1).withBackend(SimdBackend.scalar())));

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    /** Decomposes A on every instance and checks the residual, orthogonality, order, preservation of A and λ. */
    private static void check(String what, int n, double[] a, double[] expectedValues) {
        // Residuals are formed on A·2^s, exact, so that their squares neither overflow nor underflow.
        int s = powerOfTwoScale(a);
        double[] aScaled = scaled(a, Math.scalb(1.0, s));
        double normA = TestMatrices.frobenius(n, aScaled);
        int lda = Math.max(1, n);
        for (Linalg la : INSTANCES) {
            String where = what + " n=" + n + " on " + la + " (seed " + SEED + ")";
            double[] copy = a.clone();
            double[] values = new double[n];
            double[] v = new double[n * n];
            SymmetricEigen.of(la).decompose(n, a, 0, lda, values, 0, v, 0, lda);
            assertArrayEquals(copy, a, 0.0, where + ": A was modified");
            for (int i = 1; i < n; i++) {
                assertTrue(values[i - 1] <= values[i], where + ": values not ascending at " + i);
            }
            double residual = residual(n, aScaled, scaled(values, Math.scalb(1.0, s)), v);
            double unit = Math.max(1, n) * EPS * normA;
            assertTrue(residual <= BOUND * unit, where + ": ‖AV − VΛ‖ = " + residual / unit + " n·ε·‖A‖");
            double orth = orthogonality(n, v);
            assertTrue(orth <= BOUND * Math.max(1, n) * EPS, where + ": ‖VᵀV − I‖ = " + orth / (Math.max(1, n) * EPS)
                    + " n·ε");
            double[] onlyValues = new double[n];
            SymmetricEigen.of(la).eigenvalues(n, a, 0, lda, onlyValues, 0);
            for (int i = 0; i < n; i++) {
                double scale = BOUND * Math.scalb(unit, -s);
                assertEquals(expectedValues[i], values[i], scale, where + ": eigenvalue " + i);
                assertEquals(expectedValues[i], onlyValues[i], scale, where + ": eigenvalue " + i + " (values only)");
            }
        }
    }

    private static void check(String what, int n, double[] a) {
        check(what, n, a, JacobiEigen.eigenvalues(n, a, 0, n));
    }

    /** ‖A·V − V·Λ‖_F in double, by the definition. */
    static double residual(int n, double[] a, double[] values, double[] v) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i * n + k] * v[k * n + j];
                }
                double r = av - v[i * n + j] * values[j];
                sum += r * r;
            }
        }
        return Math.sqrt(sum);
    }

    /** ‖VᵀV − I‖_F. */
    static double orthogonality(int n, double[] v) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[k * n + i] * v[k * n + j];
                }
                double r = s - (i == j ? 1 : 0);
                sum += r * r;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void emptyAndOneByOne() {
        check("empty", 0, new double[0], new double[0]);
        check("1x1", 1, new double[] {-3.5}, new double[] {-3.5});
    }

    @Test
    void randomMatricesAroundTheLeafAndBlockSizes() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int n : new int[] {2, 3, 5, 17, 31, 32, 33, 63, 64, 65, 97, 130, 200}) {
            check("random", n, TestMatrices.random(n, rnd));
        }
    }

    @Test
    void identityZeroAndDiagonal() {
        int n = 70;
        double[] identity = new double[n * n];
        double[] ones = new double[n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
            ones[i] = 1;
        }
        check("identity", n, identity, ones);
        check("zero", n, new double[n * n], new double[n]);
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] diag = new double[n * n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = rnd.nextDouble(-5, 5);
            diag[i * n + i] = values[i];
        }
        Arrays.sort(values);
        check("diagonal", n, diag, values);
    }

    @Test
    void repeatedAndTightlyClusteredEigenvalues() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        int n = 120;
        double[] repeated = new double[n];
        double[] clustered = new double[n];
        for (int i = 0; i < n; i++) {
            repeated[i] = i < n / 2 ? 1 : (i < 3 * n / 4 ? -2 : 3);
            clustered[i] = 1 + i * 1e-13 * (i % 3);
        }
        Arrays.sort(repeated);
        Arrays.sort(clustered);
        check("repeated", n, TestMatrices.withSpectrum(repeated, rnd), repeated);
        check("clustered", n, TestMatrices.withSpectrum(clustered, rnd), clustered);
        check("Wilkinson W+", 101, TestMatrices.wilkinson(101));
    }

    /**
     * Clusters whose members differ by 1e-8..1e-12: too far apart to deflate, so the secular roots lie within a few
     * ulps of the poles. Without Gu and Eisenstat's recomputed ẑ, ‖VᵀV − I‖ reaches 10⁵..10⁹ n·ε on these.
     */
    @Test
    void clustersTooWideToDeflateStayOrthogonal() {
        SplittableRandom rnd = new SplittableRandom(SEED + 8);
        int n = 200;
        for (double gap : new double[] {1e-8, 1e-12}) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = (i % 4 == 0 ? 1 : 0) + i * gap;
            }
            Arrays.sort(values);
            check("clusters " + gap + " apart", n, TestMatrices.withSpectrum(values, rnd), values);
            double[] geometric = new double[n];
            for (int i = 0; i < n; i++) {
                geometric[i] = Math.pow(gap, (double) i / n);
            }
            Arrays.sort(geometric);
            check("spectrum 1.." + gap, n, TestMatrices.withSpectrum(geometric, rnd), geometric);
        }
        check("glued Wilkinson 1e-10", 210, TestMatrices.gluedWilkinson(10, 1e-10));
        check("glued Wilkinson 1e-14", 210, TestMatrices.gluedWilkinson(10, 1e-14));
    }

    @Test
    void rankDeficientGramMatrices() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        check("XᵀX, 10 rows", 90, TestMatrices.gram(90, 10, rnd));
        check("XᵀX, 1 row", 40, TestMatrices.gram(40, 1, rnd));
        check("XᵀX, 150 rows", 90, TestMatrices.gram(90, 150, rnd));
    }

    @Test
    void gradedEntriesFrom1eMinus150To1e150() {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        check("graded 1e-150..1e150", 60, TestMatrices.graded(60, -150, 150, rnd));
        check("graded 1e150..1e-150", 60, reverse(60, TestMatrices.graded(60, -150, 150, rnd)));
        check("tiny entries", 45, scaled(TestMatrices.random(45, rnd), 1e-300));
        check("huge entries", 45, scaled(TestMatrices.random(45, rnd), 1e300));
    }

    @Test
    void symmetricOnlyUpToRoundingIsTreatedAsItsSymmetricPart() {
        SplittableRandom rnd = new SplittableRandom(SEED + 4);
        int n = 80;
        double[] a = TestMatrices.random(n, rnd);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] *= 1 + 4 * EPS * rnd.nextDouble(-1, 1);
            }
        }
        check("nearly symmetric", n, a);
    }

    @Test
    void sameBitsForEveryThreadCount() {
        SplittableRandom rnd = new SplittableRandom(SEED + 5);
        int n = 300;
        double[] a = TestMatrices.random(n, rnd);
        double[][] results = new double[2][];
        double[][] vectors = new double[2][];
        int t = 0;
        for (Linalg la : INSTANCES.subList(0, 2)) {
            results[t] = new double[n];
            vectors[t] = new double[n * n];
            SymmetricEigen.of(la).decompose(n, a, 0, n, results[t], 0, vectors[t], 0, n);
            t++;
        }
        assertArrayEquals(results[0], results[1], 0.0, "eigenvalues differ between 1 and 3 threads");
        assertArrayEquals(vectors[0], vectors[1], 0.0, "eigenvectors differ between 1 and 3 threads");
    }

    @Test
    void offsetsLeadingDimensionsAndOutputOverTheInput() {
        SplittableRandom rnd = new SplittableRandom(SEED + 6);
        int n = 50, lda = 53, off = 7;
        double[] dense = TestMatrices.random(n, rnd);
        double[] a = new double[off + n * lda];
        for (int i = 0; i < n; i++) {
            System.arraycopy(dense, i * n, a, off + i * lda, n);
        }
        double[] expected = new double[n];
        double[] expectedV = new double[n * n];
        Linalg la = INSTANCES.get(0);
        SymmetricEigen eig = SymmetricEigen.of(la);
        eig.decompose(n, dense, 0, n, expected, 0, expectedV, 0, n);
        double[] values = new double[n + 3];
        eig.decompose(n, a, off, lda, values, 3, a, off, lda); // vectors written over A
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], values[3 + i], 0.0);
            for (int j = 0; j < n; j++) {
                assertEquals(expectedV[i * n + j], a[off + i * lda + j], 0.0, "V(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void singlePrecisionMeetsTheFloatBound() {
        SplittableRandom rnd = new SplittableRandom(SEED + 7);
        int n = 90;
        double[] a = TestMatrices.random(n, rnd);
        float[] af = new float[n * n];
        double[] ad = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            af[i] = (float) a[i];
            ad[i] = af[i];
        }
        float[] values = new float[n];
        float[] v = new float[n * n];
        SymmetricEigen.of(INSTANCES.get(0)).decompose(n, af, 0, n, values, 0, v, 0, n);
        double[] vd = new double[n * n];
        double[] valuesD = new double[n];
        for (int i = 0; i < n * n; i++) {
            vd[i] = v[i];
        }
        for (int i = 0; i < n; i++) {
            valuesD[i] = values[i];
        }
        double epsF = 0x1p-23;
        double normA = TestMatrices.frobenius(n, ad);
        assertTrue(residual(n, ad, valuesD, vd) <= BOUND * n * epsF * normA);
        assertTrue(orthogonality(n, vd) <= BOUND * n * epsF);
        double[] expected = JacobiEigen.eigenvalues(n, ad, 0, n);
        float[] onlyValues = new float[n];
        SymmetricEigen.of(INSTANCES.get(0)).eigenvalues(n, af, 0, n, onlyValues, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], values[i], BOUND * n * epsF * normA);
            assertEquals(values[i], onlyValues[i], BOUND * n * epsF * normA);
        }
    }

    @Test
    void nonFiniteInputIsATypedErrorNamingTheElement() {
        SymmetricEigen eig = SymmetricEigen.of(INSTANCES.get(0));
        int n = 6;
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] a = TestMatrices.random(n, new SplittableRandom(SEED));
            a[4 * n + 2] = bad;
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                    () -> eig.decompose(n, a, 0, n, new double[n], 0, new double[n * n], 0, n));
            assertEquals(4, e.row());
            assertEquals(2, e.column());
            assertThrows(NonFiniteValueException.class, () -> eig.eigenvalues(n, a, 0, n, new double[n], 0));
        }
        float[] af = new float[n * n];
        af[n + 1] = Float.NaN;
        assertThrows(NonFiniteValueException.class, () -> eig.eigenvalues(n, af, 0, n, new float[n], 0));
    }

    @Test
    void badShapesNameTheArgument() {
        SymmetricEigen eig = SymmetricEigen.of(INSTANCES.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> eig.decompose(4, new double[15], 0, 4, new double[4], 0, new double[16], 0, 4));
        assertTrue(e.getMessage().contains("A is too short"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> eig.decompose(4, new double[16], 0, 4, new double[3], 0, new double[16], 0, 4));
        assertTrue(e.getMessage().contains("values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> eig.decompose(4, new double[16], 0, 4, new double[4], 0, new double[16], 0, 3));
        assertTrue(e.getMessage().contains("ldv"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> eig.eigenvalues(-1, new double[0], 0, 1, new double[0], 0));
    }

    /** s such that the largest |entry|·2^s lies in [1/2, 1). */
    private static int powerOfTwoScale(double[] a) {
        double max = 0;
        for (double x : a) {
            max = Math.max(max, Math.abs(x));
        }
        return max == 0 ? 0 : -Math.getExponent(max) - 1;
    }

    private static double[] scaled(double[] a, double s) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] *= s;
        }
        return b;
    }

    private static double[] reverse(int n, double[] a) {
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = a[(n - 1 - i) * n + (n - 1 - j)];
            }
        }
        return b;
    }

    static List<Linalg> instances() {
        return new ArrayList<>(INSTANCES);
    }
}
