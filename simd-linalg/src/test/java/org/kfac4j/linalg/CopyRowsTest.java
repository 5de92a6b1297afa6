package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code scopyRows} / {@code dcopyRows} against their definition, exactly: widths around every vector length (tails,
 * 0 and 1), 0, 1 and several rows, source strides from 0 (every row the same run) through overlapping rows (the
 * sliding windows im2col copies) to gaps, destination strides with gaps whose elements must stay as they were. On
 * the selected backend and the scalar one, through the {@link Linalg} facade.
 */
class CopyRowsTest {
    private static final long SEED = 21L;
    private static final float UNTOUCHED = -7.25f;
    private static final List<Linalg> BACKENDS = List.of(
            Linalg.create(LinalgConfig.defaults().withThreads(1)),
            Linalg.create(LinalgConfig.defaults().withThreads(1).withBackend(SimdBackend.scalar())));

    @AfterAll
    static void close() {
        BACKENDS.forEach(Linalg::close);
    }

    @Test
    void everyRowIsCopiedAndNothingElseWritten() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (Linalg linalg : BACKENDS) {
            for (int n = 0; n <= 70; n++) {
                for (int rows : new int[] {0, 1, 2, 5}) {
                    for (int ldx : new int[] {0, Math.max(1, n / 3), n, n + 2}) {
                        int ldy = n + rnd.nextInt(3);
                        int xo = rnd.nextInt(4);
                        int yo = rnd.nextInt(4);
                        String what = linalg.config().backend() + " n=" + n + " rows=" + rows + " ldx=" + ldx
                                + " ldy=" + ldy + " (seed " + SEED + ")";
                        float[] x = new float[xo + Math.max(0, rows - 1) * ldx + n + 1];
                        double[] xd = new double[x.length];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) rnd.nextDouble(-1, 1);
                            xd[i] = x[i];
                        }
                        float[] y = new float[yo + rows * ldy + 2];
                        double[] yd = new double[y.length];
                        java.util.Arrays.fill(y, UNTOUCHED);
                        java.util.Arrays.fill(yd, UNTOUCHED);
                        linalg.scopyRows(rows, n, x, xo, ldx, y, yo, ldy);
                        linalg.dcopyRows(rows, n, xd, xo, ldx, yd, yo, ldy);
                        for (int q = 0; q < y.length; q++) {
                            int r = (q - yo) / ldyOrOne(ldy);
                            int i = (q - yo) - r * ldy;
                            boolean copied = q >= yo && r < rows && i < n;
                            float want = copied ? x[xo + r * ldx + i] : UNTOUCHED;
                            assertEquals(want, y[q], 0f, what + " f32 y[" + q + "]");
                            assertEquals(want, yd[q], 0.0, what + " f64 y[" + q + "]");
                        }
                    }
                }
            }
        }
    }

    private static int ldyOrOne(int ldy) {
        return Math.max(1, ldy);
    }

    @Test
    void blocksThatDoNotFitOrOverlapAreRejected() {
        Linalg linalg = Linalg.shared();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linalg.scopyRows(3, 4, new float[9], 0, 3, new float[12], 0, 4));
        assertTrue(e.getMessage().contains("x holds 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> linalg.scopyRows(2, 4, new float[8], 0, 4, new float[8], 0, 3));
        assertTrue(e.getMessage().contains("stride must be >= n"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> linalg.dcopyRows(2, 4, new double[8], 0, 4, new double[7], 0, 4));
        assertTrue(e.getMessage().contains("y holds 7"), e.getMessage());
        float[] same = new float[16];
        e = assertThrows(IllegalArgumentException.class, () -> linalg.scopyRows(1, 4, same, 0, 4, same, 8, 4));
        assertTrue(e.getMessage().contains("same array"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> linalg.dcopyRows(2, 4, new double[8], 0, -1, new double[8], 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> linalg.scopyRows(-1, 4, new float[8], 0, 4, new float[8], 0, 4));
    }
}
