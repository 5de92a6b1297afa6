package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The strided valid cross-correlation against its definition, on every backend and blocking under test. */
class CorrelationTest {
    private static final List<Linalg> INSTANCES = Cases.instances();

    @AfterAll
    static void close() {
        INSTANCES.forEach(Linalg::close);
    }

    /**
     * The definition in double: {values, magnitudes} of Y + X ⋆ F, Y as a (images·ho·wo) × cout matrix, and the
     * magnitudes Σ|terms| that bound the rounding.
     */
    private static double[][] naive(int images, int height, int width, int cin, int kh, int kw, int s, int cout,
                                    double[] x, int xOff, double[] f, int fOff, double[] y, int yOff) {
        int ho = (height - kh) / s + 1, wo = (width - kw) / s + 1;
        int rows = images * ho * wo;
        double[][] out = new double[2][rows * cout];
        for (int img = 0; img < images; img++) {
            for (int h = 0; h < ho; h++) {
                for (int w = 0; w < wo; w++) {
                    int q = (img * ho + h) * wo + w;
                    for (int o = 0; o < cout; o++) {
                        double sum = y[yOff + q * cout + o];
                        double mag = Math.abs(sum);
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                for (int c = 0; c < cin; c++) {
                                    double term = x[xOff + ((img * height + s * h + i) * width + s * w + j) * cin + c]
                                            * f[fOff + o * kh * kw * cin + (i * kw + j) * cin + c];
                                    sum += term;
                                    mag += Math.abs(term);
                                }
                            }
                        }
                        out[0][q * cout + o] = sum;
                        out[1][q * cout + o] = mag;
                    }
                }
            }
        }
        return out;
    }

    private static void runCase(Linalg la, boolean f32, int images, int height, int width, int cin, int kh, int kw,
                                int s, int cout, SplittableRandom rnd) {
        int ho = (height - kh) / s + 1, wo = (width - kw) / s + 1;
        int xLen = images * height * width * cin, fLen = cout * kh * kw * cin, yLen = images * ho * wo * cout;
        int xOff = rnd.nextInt(4), fOff = rnd.nextInt(4), yOff = rnd.nextInt(4);
        double[] x = Cases.window(rnd, xOff + xLen + 3, xOff, 1, xLen, xLen);
        double[] f = Cases.window(rnd, fOff + fLen + 3, fOff, 1, fLen, fLen);
        double[] y = Cases.window(rnd, yOff + yLen + 3, yOff, 1, yLen, yLen);
        int rows = images * ho * wo;
        String what = la + (f32 ? " scorrelate2d " : " dcorrelate2d ") + images + "x" + height + "x" + width + "x"
                + cin + " kernel " + kh + "x" + kw + " stride " + s + " cout " + cout;
        int depth = kh * kw * cin;
        if (f32) {
            float[] xf = Cases.toFloat(x), ff = Cases.toFloat(f), yf = Cases.toFloat(y);
            double[] before = Cases.toDouble(yf);
            double[][] want = naive(images, height, width, cin, kh, kw, s, cout, Cases.toDouble(xf), xOff,
                    Cases.toDouble(ff), fOff, before, yOff);
            la.scorrelate2d(images, height, width, cin, kh, kw, s, cout, xf, xOff, ff, fOff, yf, yOff);
            Cases.check(what, Cases.toDouble(yf), before, yOff, rows, cout, cout, depth, want, 0x1p-24);
        } else {
            double[] before = y.clone();
            double[][] want = naive(images, height, width, cin, kh, kw, s, cout, x, xOff, f, fOff, before, yOff);
            la.dcorrelate2d(images, height, width, cin, kh, kw, s, cout, x, xOff, f, fOff, y, yOff);
            Cases.check(what, y, before, yOff, rows, cout, cout, depth, want, 0x1p-52);
        }
    }

    @Test
    void randomShapesMatchTheDefinition() {
        // channels and filter counts around the vector widths and tile sizes; images from 1×1 up, kernels that fill
        // the image, pixel counts that leave ragged last tiles and blocks
        int[] channels = {1, 2, 3, 5, 8, 16, 17, 33};
        int[] outs = {1, 3, 4, 8, 15, 16, 17, 32, 33};
        SplittableRandom rnd = new SplittableRandom(5);
        int cases = 0;
        for (Linalg la : INSTANCES) {
            for (int t = 0; t < 60; t++) {
                int kh = 1 + rnd.nextInt(3), kw = 1 + rnd.nextInt(3);
                int height = kh + rnd.nextInt(t % 10 == 0 ? 14 : 6), width = kw + rnd.nextInt(t % 10 == 0 ? 14 : 6);
                int images = 1 + rnd.nextInt(3);
                int cin = channels[rnd.nextInt(channels.length)], cout = outs[rnd.nextInt(outs.length)];
                int stride = t % 3 == 0 ? 2 + rnd.nextInt(2) : 1;
                runCase(la, (t & 1) == 0, images, height, width, cin, kh, kw, stride, cout, rnd);
                cases++;
            }
            // a pixel count past one block of the driver, and the kernel the size of the image
            runCase(la, true, 2, 12, 11, 5, 3, 3, 1, 17, rnd);
            runCase(la, true, 3, 15, 14, 6, 3, 3, 2, 16, rnd);
            runCase(la, false, 3, 4, 5, 3, 4, 5, 1, 9, rnd);
        }
        assertTrue(cases > 0);
    }

    @Test
    void resultsAreBitwiseIdenticalForOneTwoAndThreeThreads() {
        int images = 40, height = 13, width = 11, cin = 7, kh = 3, kw = 3, cout = 37; // many tasks of pixels
        SplittableRandom rnd = new SplittableRandom(8);
        float[] x = new float[images * height * width * cin];
        float[] f = new float[cout * kh * kw * cin];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] ref = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(threads).withMinParallelFlops(0))) {
                float[] y = new float[images * (height - 2) * (width - 2) * cout];
                la.scorrelate2d(images, height, width, cin, kh, kw, 1, cout, x, 0, f, 0, y, 0);
                if (ref == null) {
                    ref = y;
                } else {
                    assertArrayEquals(ref, y, threads + " threads differ from 1 thread");
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheProblem() {
        Linalg la = INSTANCES.get(0);
        float[] x = new float[2 * 5 * 5 * 3];
        float[] f = new float[4 * 3 * 3 * 3];
        float[] y = new float[2 * 3 * 3 * 4];
        la.scorrelate2d(2, 5, 5, 3, 3, 3, 1, 4, x, 0, f, 0, y, 0); // fits exactly
        assertMessage("larger than the input", () -> la.scorrelate2d(2, 5, 2, 3, 3, 3, 1, 4, x, 0, f, 0, y, 0));
        assertMessage("F is too short", () -> la.scorrelate2d(2, 5, 5, 3, 3, 3, 1, 5, x, 0, f, 0, new float[500], 0));
        assertMessage("X is too short", () -> la.scorrelate2d(2, 5, 5, 3, 3, 3, 1, 4, x, 1, f, 0, y, 0));
        assertMessage("Y is too short", () -> la.scorrelate2d(2, 5, 5, 3, 3, 3, 1, 4, x, 0, f, 0, y, 1));
        assertMessage("must be >= 1", () -> la.scorrelate2d(2, 5, 5, 0, 3, 3, 1, 4, x, 0, f, 0, y, 0));
        assertMessage("stride must be >= 1", () -> la.scorrelate2d(2, 5, 5, 3, 3, 3, 0, 4, x, 0, f, 0, y, 0));
        assertMessage("images must be >= 0", () -> la.dcorrelate2d(-1, 5, 5, 3, 3, 3, 1, 4, new double[1], 0,
                new double[1], 0, new double[1], 0));
        assertMessage("Y must not be null", () -> la.scorrelate2d(2, 5, 5, 3, 3, 3, 1, 4, x, 0, f, 0, null, 0));
    }

    private static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }
}
