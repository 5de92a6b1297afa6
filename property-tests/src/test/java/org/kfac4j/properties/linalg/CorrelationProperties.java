package org.kfac4j.properties.linalg;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;

/**
 * The implicit-im2col correlation against the two identities a convolution layer relies on, for arbitrary image,
 * kernel, channel and stride sizes (1-sized, tails of the register tile): it is the GEMM of the explicit im2col
 * matrix with the filters (so it computes exactly what the im2col path did), and at stride 1 its adjoint in the input
 * is the correlation of the padded output with the filters turned by 180° and their channels swapped (the input
 * gradient that kfac4j's Conv2d computes this way). Written from the definitions, in double.
 */
class CorrelationProperties {

    @Property
    void correlationIsTheGemmOfTheIm2colMatrix(@ForAll @IntRange(min = 1, max = 3) int images,
                                               @ForAll @IntRange(min = 1, max = 4) int kh,
                                               @ForAll @IntRange(min = 1, max = 4) int kw,
                                               @ForAll @IntRange(min = 0, max = 6) int extraH,
                                               @ForAll @IntRange(min = 0, max = 6) int extraW,
                                               @ForAll @IntRange(min = 1, max = 20) int cin,
                                               @ForAll @IntRange(min = 1, max = 35) int cout,
                                               @ForAll @IntRange(min = 1, max = 3) int stride,
                                               @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int height = kh + extraH, width = kw + extraW;
        int ho = (height - kh) / stride + 1, wo = (width - kw) / stride + 1;
        int depth = kh * kw * cin, pixels = images * ho * wo;
        double[] x = random(rnd, images * height * width * cin);
        double[] f = random(rnd, cout * depth);
        double[] cols = new double[pixels * depth]; // the explicit im2col matrix, tap-major rows
        for (int img = 0; img < images; img++) {
            for (int h = 0; h < ho; h++) {
                for (int w = 0; w < wo; w++) {
                    int q = (img * ho + h) * wo + w;
                    for (int d = 0; d < depth; d++) {
                        int i = d / (kw * cin), j = d / cin % kw, c = d % cin;
                        cols[q * depth + d] = x[((img * height + stride * h + i) * width + stride * w + j) * cin + c];
                    }
                }
            }
        }
        double[] expected = new double[pixels * cout];
        Linalg la = Linalg.shared();
        la.dgemm(Transpose.N, Transpose.T, pixels, cout, depth, 1, cols, 0, depth, f, 0, depth, 0, expected, 0, cout);
        double[] got = new double[pixels * cout];
        la.dcorrelate2d(images, height, width, cin, kh, kw, stride, cout, x, 0, f, 0, got, 0);
        assertClose(got, expected, depth, "Y");
    }

    @Property
    void strideOneCorrelationsAreAdjointWithTheTurnedFilters(@ForAll @IntRange(min = 1, max = 2) int images,
                                                             @ForAll @IntRange(min = 1, max = 4) int k,
                                                             @ForAll @IntRange(min = 0, max = 3) int padding,
                                                             @ForAll @IntRange(min = 1, max = 7) int height,
                                                             @ForAll @IntRange(min = 1, max = 7) int width,
                                                             @ForAll @IntRange(min = 1, max = 9) int cin,
                                                             @ForAll @IntRange(min = 1, max = 19) int cout,
                                                             @ForAll long seed) {
        int p = Math.min(padding, k - 1);
        int hp = height + 2 * p, wp = width + 2 * p;
        if (hp < k || wp < k) {
            return; // the kernel does not fit the padded image
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int ho = hp - k + 1, wo = wp - k + 1;
        double[] x = random(rnd, images * height * width * cin);
        double[] g = random(rnd, images * ho * wo * cout);
        double[] f = random(rnd, cout * k * k * cin);
        Linalg la = Linalg.shared();
        // ⟨g, pad_p(x) ⋆ F⟩
        double[] y = new double[g.length];
        la.dcorrelate2d(images, hp, wp, cin, k, k, 1, cout, pad(x, images, height, width, cin, p), 0, f, 0, y, 0);
        // ⟨pad_{k-1-p}(g) ⋆ F̃, x⟩, F̃[c, (i·k + j)·cout + o] = F[o, ((k-1-i)·k + k-1-j)·cin + c]
        double[] turned = new double[cin * k * k * cout];
        for (int o = 0; o < cout; o++) {
            for (int t = 0; t < k * k; t++) {
                for (int c = 0; c < cin; c++) {
                    turned[(c * k * k + t) * cout + o] = f[(o * k * k + (k * k - 1 - t)) * cin + c];
                }
            }
        }
        int q = k - 1 - p;
        double[] dx = new double[x.length];
        la.dcorrelate2d(images, ho + 2 * q, wo + 2 * q, cout, k, k, 1, cin, pad(g, images, ho, wo, cout, q), 0,
                turned, 0, dx, 0);
        double left = dot(g, y), right = dot(dx, x);
        double scale = Math.sqrt(dot(g, g) * dot(y, y)) + Math.sqrt(dot(dx, dx) * dot(x, x));
        if (!(Math.abs(left - right) <= 1e-12 * (scale + 1))) {
            throw new AssertionError("⟨g, x ⋆ F⟩ = " + left + " but ⟨g ⋆ F̃, x⟩ = " + right);
        }
    }

    private static double[] pad(double[] x, int images, int h, int w, int c, int p) {
        int hp = h + 2 * p, wp = w + 2 * p;
        double[] out = new double[images * hp * wp * c];
        for (int img = 0; img < images; img++) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(x, ((img * h + row) * w) * c, out, ((img * hp + row + p) * wp + p) * c, w * c);
            }
        }
        return out;
    }

    private static void assertClose(double[] got, double[] expected, int depth, String what) {
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= 4 * (depth + 2) * 0x1p-53 * depth + Double.MIN_NORMAL)) {
                throw new AssertionError(what + "[" + i + "] = " + got[i] + ", expected " + expected[i]);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
