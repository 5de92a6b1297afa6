package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.kernel.Level1KernelF32;

/**
 * {@code addRows} and the float {@code axpy} against their definitions, summed in row order as specified, so the
 * comparison is exact (bitwise): widths around every vector length (tails, 0 and 1), 0 and 1 rows, strides and
 * offsets. Run on the selected backend, the scalar reference, and through the {@link Linalg} facade.
 */
class AddRowsTest {
    private static final long SEED = 12L;

    @Test
    void sumsOfRowsAreExactlyTheRowOrderSums() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Linalg linalg = Linalg.shared();
        for (Level1KernelF32 k : new Level1KernelF32[] {SimdBackend.selected().level1F32(),
                SimdBackend.scalar().level1F32()}) {
            for (int n = 0; n <= 70; n++) {
                for (int rows : new int[] {0, 1, 2, 7}) {
                    int ldx = n + rnd.nextInt(3);
                    int xo = rnd.nextInt(4);
                    int yo = rnd.nextInt(4);
                    float[] x = new float[xo + rows * ldx + n];
                    float[] y = new float[yo + n];
                    double[] xd = new double[x.length];
                    double[] yd = new double[y.length];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextDouble(-1, 1);
                        xd[i] = x[i];
                    }
                    for (int i = 0; i < y.length; i++) {
                        y[i] = (float) rnd.nextDouble(-1, 1);
                        yd[i] = y[i];
                    }
                    float[] want = y.clone();
                    double[] wantD = yd.clone();
                    for (int i = 0; i < n; i++) {
                        for (int r = 0; r < rows; r++) {
                            want[yo + i] += x[xo + r * ldx + i];
                            wantD[yo + i] += xd[xo + r * ldx + i];
                        }
                    }
                    String what = k.getClass().getSimpleName() + " n=" + n + " rows=" + rows + " (seed " + SEED + ")";
                    float[] got = y.clone();
                    k.addRows(rows, n, x, xo, ldx, got, yo);
                    assertArrayEquals(want, got, what);
                    float[] facade = y.clone();
                    linalg.saddRows(rows, n, x, xo, ldx, facade, yo);
                    assertArrayEquals(want, facade, "Linalg.saddRows " + what);
                    double[] gotD = yd.clone();
                    linalg.daddRows(rows, n, xd, xo, ldx, gotD, yo);
                    assertArrayEquals(wantD, gotD, "Linalg.daddRows " + what);

                    float alpha = (float) rnd.nextDouble(-2, 2);
                    float[] axpy = y.clone();
                    k.axpy(n, alpha, x, xo, axpy, yo);
                    for (int i = 0; i < n; i++) {
                        double exact = (double) y[yo + i] + (double) alpha * x[xo + i];
                        // an FMA rounds once, the scalar loop twice: within 2u of the terms' magnitude
                        double bound = 0x1p-23 * (Math.abs(y[yo + i]) + Math.abs((double) alpha * x[xo + i]));
                        assertTrue(Math.abs(axpy[yo + i] - exact) <= bound + Float.MIN_NORMAL, what + " axpy");
                    }
                }
            }
        }
    }

    @Test
    void blocksThatDoNotFitAreRejected() {
        Linalg linalg = Linalg.shared();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linalg.saddRows(3, 4, new float[11], 0, 4, new float[4], 0));
        assertTrue(e.getMessage().contains("x holds 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> linalg.saddRows(2, 4, new float[8], 0, 3, new float[4], 0));
        assertThrows(IllegalArgumentException.class, () -> linalg.daddRows(1, 4, new double[4], 0, 4, new double[3], 1));
    }
}
