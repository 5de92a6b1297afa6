package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.kernel.Level1KernelF32;

/**
 * The column operations of batch normalisation against their definitions, written out here as plain loops in the
 * specified order, so the comparison is exact (bitwise): widths around every vector length (tails, 0 and 1), 0, 1
 * and a few rows, offsets, and inputs with NaN, ±∞, −0 and pre-activations of exactly 0 (where the ReLU mask
 * decides). Run on the selected backend, the scalar reference and through the {@link Linalg} facade.
 */
class ColumnKernelsTest {
    private static final long SEED = 21L;
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f};

    private static float[] values(SplittableRandom rnd, int length, boolean special) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = special && rnd.nextInt(8) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                    : (float) rnd.nextDouble(-2, 2);
        }
        return v;
    }

    private static double[] doubles(SplittableRandom rnd, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = rnd.nextDouble(-1, 1);
        }
        return v;
    }

    /** g where x·scale + shift &gt; 0 (or always without the ReLU), else 0: the definition of the mask. */
    private static float masked(float g, float x, float scale, float shift, boolean relu) {
        return !relu || x * scale + shift > 0 ? g : 0f;
    }

    @Test
    void everyColumnOperationIsExactlyItsDefinition() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Level1KernelF32[] kernels = {SimdBackend.selected().level1F32(), SimdBackend.scalar().level1F32()};
        Linalg linalg = Linalg.shared();
        for (int n = 0; n <= 70; n++) {
            for (int rows : new int[] {0, 1, 2, 9}) {
                for (boolean special : new boolean[] {false, true}) {
                    for (boolean relu : new boolean[] {false, true}) {
                        int xo = rnd.nextInt(4), go = rnd.nextInt(4), yo = rnd.nextInt(4);
                        float[] x = values(rnd, xo + rows * n, special);
                        float[] g = values(rnd, go + rows * n, special);
                        float[] scale = values(rnd, n, false), shift = values(rnd, n, false);
                        float[] a = values(rnd, n, false), k = values(rnd, n, false), b = values(rnd, n, false);
                        for (int j = 0; j < n && rows > 0; j += 3) { // pre-activations of exactly 0 in row 0
                            scale[j] = 1f;
                            shift[j] = -x[xo + j];
                        }
                        double[] shiftD = doubles(rnd, n), sum0 = doubles(rnd, n), sq0 = doubles(rnd, n);

                        double[] sum = sum0.clone(), sq = sq0.clone(), sumG = sum0.clone(), sumGx = sq0.clone();
                        float[] y = new float[yo + rows * n], dx = new float[yo + rows * n];
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < n; j++) {
                                float v = x[xo + r * n + j];
                                double d = v - shiftD[j];
                                sum[j] += d;
                                sq[j] += d * d;
                                float pre = v * scale[j] + shift[j];
                                y[yo + r * n + j] = relu ? Math.max(pre, 0f) : pre;
                                float gm = masked(g[go + r * n + j], v, scale[j], shift[j], relu);
                                sumG[j] += gm;
                                sumGx[j] += gm * (double) v;
                                dx[yo + r * n + j] = a[j] * gm + k[j] * v + b[j];
                            }
                        }

                        String what = "n=" + n + " rows=" + rows + " relu=" + relu + " special=" + special
                                + " (seed " + SEED + ")";
                        for (Level1KernelF32 kernel : kernels) {
                            String who = kernel.getClass().getSimpleName() + " " + what;
                            double[] s1 = sum0.clone(), s2 = sq0.clone();
                            kernel.columnMoments(rows, n, x, xo, shiftD, s1, s2);
                            assertArrayEquals(sum, s1, who + ": moment sums");
                            assertArrayEquals(sq, s2, who + ": moment squares");

                            float[] out = new float[y.length];
                            kernel.columnAffine(rows, n, x, xo, scale, shift, relu, out, yo);
                            assertArrayEquals(y, out, who + ": affine");
                            float[] inPlace = x.clone(); // the same run as input and output
                            kernel.columnAffine(rows, n, inPlace, xo, scale, shift, relu, inPlace, xo);
                            for (int i = 0; i < rows * n; i++) {
                                assertTrue(Float.compare(y[yo + i], inPlace[xo + i]) == 0, who + ": affine in place");
                            }

                            double[] gs = sum0.clone(), gx = sq0.clone();
                            kernel.columnGradientSums(rows, n, x, xo, g, go, scale, shift, relu, gs, gx);
                            assertArrayEquals(sumG, gs, who + ": gradient sums");
                            assertArrayEquals(sumGx, gx, who + ": gradient·input sums");

                            float[] grad = new float[dx.length];
                            kernel.columnAffineGradient(rows, n, x, xo, g, go, scale, shift, relu, a, k, b, grad, yo);
                            assertArrayEquals(dx, grad, who + ": input gradient");
                        }
                        float[] out = new float[y.length];
                        linalg.scolumnAffine(rows, n, x, xo, scale, shift, relu, out, yo);
                        assertArrayEquals(y, out, "Linalg.scolumnAffine " + what);
                        double[] gs = sum0.clone(), gx = sq0.clone();
                        linalg.scolumnGradientSums(rows, n, x, xo, g, go, scale, shift, relu, gs, gx);
                        assertArrayEquals(sumGx, gx, "Linalg.scolumnGradientSums " + what);
                    }
                }
            }
        }
    }

    @Test
    void blocksOrColumnArraysThatDoNotFitAreRejectedByName() {
        Linalg la = Linalg.shared();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> la.scolumnMoments(3, 4, new float[11], 0, new double[4], new double[4], new double[4]));
        assertTrue(e.getMessage().contains("x holds 11"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> la.scolumnMoments(3, 4, new float[12], 0, new double[4], new double[3], new double[4]));
        assertTrue(e.getMessage().contains("sum holds 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> la.scolumnAffine(2, 4, new float[8], 0,
                new float[4], new float[4], true, new float[8], 1));
        assertTrue(e.getMessage().contains("y holds 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> la.scolumnGradientSums(2, 4, new float[8], 0,
                new float[8], 0, new float[4], null, true, new double[4], new double[4]));
        assertTrue(e.getMessage().contains("shift"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> la.scolumnAffineGradient(2, 4, new float[8], 0,
                new float[8], 0, new float[4], new float[4], false, new float[4], new float[2], new float[4],
                new float[8], 0));
        assertTrue(e.getMessage().contains("k holds 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> la.scolumnAffine(-1, 4, new float[8], 0, new float[4],
                new float[4], false, new float[8], 0));
    }
}
