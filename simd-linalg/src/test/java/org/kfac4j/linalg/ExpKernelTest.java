package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.kernel.Level1KernelF32;

/**
 * The float exponential of the selected backend and of the scalar reference against {@code Math.exp} in double: on
 * lengths around every vector width (tails, 0 and 1), at offsets, in place, over the range softmax and GELU use and
 * past it (underflow to 0, overflow to +∞), and on NaN and infinities.
 */
class ExpKernelTest {
    private static final long SEED = 11L;
    private static final List<Level1KernelF32> KERNELS =
            List.of(SimdBackend.selected().level1F32(), SimdBackend.scalar().level1F32());

    /** Within 4 ulps of the float nearest e^(x − shift), the difference x − shift taken in float as the kernel does. */
    private static void close(String what, float x, float shift, float got) {
        float d = x - shift;
        double want = Math.exp(d);
        if (Double.isNaN(want)) {
            assertTrue(Float.isNaN(got), what + ": exp(" + d + ") should be NaN, got " + got);
        } else if (want > Float.MAX_VALUE) {
            assertEquals(Float.POSITIVE_INFINITY, got, what + ": exp(" + d + ")");
        } else {
            double tolerance = 4 * Math.ulp((float) want) + Float.MIN_NORMAL;
            assertEquals(want, got, tolerance, what + ": exp(" + d + ")");
        }
    }

    @Test
    void everyElementMatchesMathExp() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (Level1KernelF32 k : KERNELS) {
            for (int n = 0; n <= 70; n++) {
                int xo = rnd.nextInt(4), yo = rnd.nextInt(4);
                float shift = (float) rnd.nextDouble(-5, 5);
                String what = k.getClass().getSimpleName() + " n=" + n + " (seed " + SEED + ")";
                float[] x = new float[xo + n], y = new float[yo + n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rnd.nextDouble(-110, 95); // from underflow past e^-87 to overflow past e^88
                }
                k.exp(n, shift, x, xo, y, yo);
                for (int i = 0; i < n; i++) {
                    close(what, x[xo + i], shift, y[yo + i]);
                }
                float[] inPlace = x.clone();
                k.exp(n, shift, inPlace, xo, inPlace, xo);
                for (int i = 0; i < n; i++) {
                    close(what + " in place", x[xo + i], shift, inPlace[xo + i]);
                }
            }
        }
    }

    @Test
    void specialValuesFollowMathExp() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.7f, 89f, -104f, -87.3f,
            1e-30f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, 20f};
        for (Level1KernelF32 k : KERNELS) {
            float[] y = new float[x.length];
            k.exp(x.length, 0f, x, 0, y, 0);
            for (int i = 0; i < x.length; i++) {
                close(k.getClass().getSimpleName() + " special", x[i], 0f, y[i]);
            }
        }
    }

    @Test
    void facadeChecksItsArguments() {
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(1));
        float[] x = {0f, 1f, 2f};
        float[] y = new float[3];
        linalg.sexp(3, x, 0, 1f, y, 0);
        assertEquals((float) Math.exp(1), y[2], 4 * Math.ulp((float) Math.exp(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linalg.sexp(3, x, 1, 0f, y, 0));
        assertTrue(e.getMessage().startsWith("sexp: x holds 3 elements"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> linalg.sexp(3, x, 0, 0f, new float[2], 0));
        assertThrows(IllegalArgumentException.class, () -> linalg.sexp(-1, x, 0, 0f, y, 0));
        assertThrows(IllegalArgumentException.class, () -> linalg.sexp(1, null, 0, 0f, y, 0));
    }
}
