package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** SYRK and the fused K-FAC moving average against the definitions. */
class SyrkTest {
    private static final double U_F32 = 0x1p-24;
    private static final double U_F64 = 0x1p-52;
    private static final List<Linalg> INSTANCES = Cases.instances();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    /**
     * C ← α·op(A)ᵀop(A) + β·C; the upper triangle of C is filled with NaN beforehand, since only the lower
     * triangle may be read; afterwards C must be exactly symmetric and match the definition.
     */
    static void runCase(Linalg la, boolean f32, Transpose trans, int n, int k, double alpha, double beta,
                        SplittableRandom rnd) {
        int aRows = trans.transposed() ? k : n, aCols = trans.transposed() ? n : k;
        int lda = Math.max(1, aCols) + rnd.nextInt(3);
        int ldc = Math.max(1, n) + rnd.nextInt(3);
        int aOff = rnd.nextInt(4), cOff = rnd.nextInt(4);
        double[] a = Cases.window(rnd, aOff + aRows * lda + 2, aOff, aRows, aCols, lda);
        double[] c = Cases.window(rnd, cOff + n * ldc + 2, cOff, n, n, ldc);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j > i || beta == 0) {
                    c[cOff + i * ldc + j] = Double.NaN;
                }
            }
        }
        // The definition reads the lower triangle of C, mirrored.
        double[] cSym = c.clone();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                cSym[cOff + i * ldc + j] = cSym[cOff + j * ldc + i];
            }
        }
        Transpose other = trans.transposed() ? Transpose.N : Transpose.T;
        String what = la + (f32 ? " ssyrk " : " dsyrk ") + trans + " n=" + n + " k=" + k + " alpha=" + alpha
                + " beta=" + beta;
        double[] got;
        double[][] want;
        double u;
        if (f32) {
            float[] af = Cases.toFloat(a), cf = Cases.toFloat(c);
            double[] ad = Cases.toDouble(af);
            double[] cSymF = Cases.toDouble(Cases.toFloat(cSym));
            want = NaiveBlas.gemm(trans.transposed(), other.transposed(), n, n, k, (float) alpha,
                    ad, aOff, lda, ad, aOff, lda, (float) beta, cSymF, cOff, ldc);
            la.ssyrk(trans, n, k, (float) alpha, af, aOff, lda, (float) beta, cf, cOff, ldc);
            got = Cases.toDouble(cf);
            u = U_F32;
        } else {
            want = NaiveBlas.gemm(trans.transposed(), other.transposed(), n, n, k, alpha,
                    a, aOff, lda, a, aOff, lda, beta, cSym, cOff, ldc);
            la.dsyrk(trans, n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
            got = c;
            u = U_F64;
        }
        double[] before = f32 ? Cases.toDouble(Cases.toFloat(cSym)) : cSym;
        Cases.check(what, got, before, cOff, n, n, ldc, k, want, u);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(got[cOff + i * ldc + j], got[cOff + j * ldc + i], 0.0, what + ": not symmetric");
            }
        }
    }

    @Test
    void bothFormsMatchTheDefinitionOnSmallShapes() {
        int[] ns = {0, 1, 2, 5, 6, 7, 13, 33, 40};
        int[] ks = {0, 1, 4, 17, 40};
        SplittableRandom rnd = new SplittableRandom(21);
        int cases = 0;
        for (Linalg la : INSTANCES) {
            for (boolean f32 : new boolean[] {true, false}) {
                for (Transpose trans : Transpose.values()) {
                    for (int n : ns) {
                        for (int k : ks) {
                            double[] ab = Cases.ALPHA_BETA[cases++ % Cases.ALPHA_BETA.length];
                            runCase(la, f32, trans, n, k, ab[0], ab[1], rnd);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largerFactorShapesMatchTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(22);
        for (Linalg la : INSTANCES) {
            runCase(la, true, Transpose.T, 131, 300, 1.0 / 300, 0, rnd);
            runCase(la, false, Transpose.T, 97, 211, 0.5, 0.9, rnd);
            runCase(la, false, Transpose.N, 75, 140, 1, 1, rnd);
        }
    }

    @Test
    void movingAverageIsRhoTimesOldPlusOneMinusRhoTimesScaledGram() {
        SplittableRandom rnd = new SplittableRandom(23);
        int n = 37, k = 50;
        double rho = 0.95, scale = 1.0 / k;
        double[] a = Cases.window(rnd, k * n, 0, k, n, n);
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                c[i * n + j] = c[j * n + i] = rnd.nextDouble();
            }
        }
        for (Linalg la : INSTANCES) {
            double[] got = c.clone();
            la.dsyrkMovingAverage(Transpose.T, n, k, rho, scale, a, 0, n, got, 0, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double gram = 0;
                    for (int p = 0; p < k; p++) {
                        gram += a[p * n + i] * a[p * n + j];
                    }
                    double want = rho * c[i * n + j] + (1 - rho) * scale * gram;
                    assertEquals(want, got[i * n + j], 4 * k * U_F64, "element " + i + "," + j);
                }
            }
        }
        GemmTest.assertMessage("rho", () -> Linalg.shared().dsyrkMovingAverage(Transpose.T, 1, 1, 1.5, 1,
                new double[1], 0, 1, new double[1], 0, 1));
        GemmTest.assertMessage("scale", () -> Linalg.shared().ssyrkMovingAverage(Transpose.T, 1, 1, 0.5f,
                Float.NaN, new float[1], 0, 1, new float[1], 0, 1));
        GemmTest.assertMessage("lda", () -> Linalg.shared().dsyrk(Transpose.T, 4, 2, 1, new double[8], 0, 3,
                0, new double[16], 0, 4));
    }
}
