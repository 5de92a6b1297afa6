package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * The level-1 kernels of the selected backend and of the scalar reference against their definitions, on lengths
 * around every vector width (tails, 0 and 1) and at offsets. Bounds: a sum of n products within (n + 2)·u·Σ|terms|;
 * an update within 2u·(|y| + Σ|terms|).
 */
class Level1KernelTest {
    private static final double U = 0x1p-53;
    private static final long SEED = 5L;
    private static final List<Level1KernelF64> KERNELS =
            List.of(SimdBackend.selected().level1F64(), SimdBackend.scalar().level1F64());

    private static double[] random(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }

    private static void close(String what, double expected, double got, double magnitude, int terms) {
        assertEquals(expected, got, (terms + 2) * U * magnitude + Double.MIN_NORMAL, what);
    }

    @Test
    void everyOperationMatchesItsDefinition() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (Level1KernelF64 k : KERNELS) {
            for (int n = 0; n <= 70; n++) {
                int xo = rnd.nextInt(4), yo = rnd.nextInt(4), lda = n + rnd.nextInt(3);
                String what = k.getClass().getSimpleName() + " n=" + n + " (seed " + SEED + ")";
                double[] x = random(rnd, xo + n), y = random(rnd, yo + n), a = random(rnd, 4 * lda + n + 1);
                double alpha = rnd.nextDouble(-2, 2);

                double dot = 0, mag = 0;
                for (int i = 0; i < n; i++) {
                    dot += x[xo + i] * y[yo + i];
                    mag += Math.abs(x[xo + i] * y[yo + i]);
                }
                close(what + " dot", dot, k.dot(n, x, xo, y, yo), mag, n);

                double[] y1 = y.clone();
                k.axpy(n, alpha, x, xo, y1, yo);
                for (int i = 0; i < n; i++) {
                    close(what + " axpy", y[yo + i] + alpha * x[xo + i], y1[yo + i],
                            Math.abs(y[yo + i]) + Math.abs(alpha * x[xo + i]), 1);
                }

                double[] y2 = y.clone();
                double got = k.dotAxpy(n, a, 1, x, xo, alpha, y2, yo);
                double want = 0;
                mag = 0;
                for (int i = 0; i < n; i++) {
                    want += a[1 + i] * x[xo + i];
                    mag += Math.abs(a[1 + i] * x[xo + i]);
                    close(what + " dotAxpy y", y[yo + i] + alpha * a[1 + i], y2[yo + i],
                            Math.abs(y[yo + i]) + Math.abs(alpha * a[1 + i]), 1);
                }
                close(what + " dotAxpy", want, got, mag, n);

                double[] al = {alpha, -0.5, 1.5, rnd.nextDouble()};
                double[] y3 = y.clone();
                double[] dots = new double[6];
                k.dotAxpy4(n, a, 2, lda, x, xo, al[0], al[1], al[2], al[3], y3, yo, dots, 1);
                for (int r = 0; r < 4; r++) {
                    double w = 0, m = 0;
                    for (int i = 0; i < n; i++) {
                        w += a[2 + r * lda + i] * x[xo + i];
                        m += Math.abs(a[2 + r * lda + i] * x[xo + i]);
                    }
                    close(what + " dotAxpy4 dot " + r, w, dots[1 + r], m, n);
                }
                for (int i = 0; i < n; i++) {
                    double w = y[yo + i], m = Math.abs(y[yo + i]);
                    for (int r = 0; r < 4; r++) {
                        w += al[r] * a[2 + r * lda + i];
                        m += Math.abs(al[r] * a[2 + r * lda + i]);
                    }
                    close(what + " dotAxpy4 y", w, y3[yo + i], m, 4);
                }

                // the secular sums, with poles δ away from τ so that every term is finite
                double[] delta = new double[xo + n];
                for (int i = 0; i < xo + n; i++) {
                    delta[i] = (i % 2 == 0 ? 1 : -1) * (0.5 + rnd.nextDouble());
                }
                double tau = rnd.nextDouble(-0.25, 0.25);
                double[] sums = new double[5];
                k.secularSums(n, x, xo, delta, tau, sums, 2);
                double psi = 0, slope = 0, magnitude = 0;
                for (int i = xo; i < xo + n; i++) {
                    double t = x[i] / (delta[i] - tau);
                    psi += x[i] * t;
                    slope += t * t;
                    magnitude += Math.abs(x[i] * t);
                }
                close(what + " secular sum", psi, sums[2], magnitude, n + 1);
                close(what + " secular slope", slope, sums[3], slope, n + 1);
                // at most n + V partial sums (V ≤ 8 lanes of double), each no larger than Σ|terms|
                assertTrue(sums[4] >= Math.abs(sums[2]) && sums[4] <= (n + 8) * magnitude + Double.MIN_NORMAL,
                        what + " secular error bound " + sums[4]);

                double[] x4 = x.clone();
                k.scale(n, alpha, x4, xo);
                for (int i = 0; i < n; i++) {
                    assertEquals(alpha * x[xo + i], x4[xo + i], 0.0, what + " scale");
                }

                double c = Math.cos(alpha), s = Math.sin(alpha);
                double[] x5 = x.clone(), y5 = y.clone();
                k.rot(n, x5, xo, y5, yo, c, s);
                for (int i = 0; i < n; i++) {
                    double xi = x[xo + i], yi = y[yo + i];
                    close(what + " rot x", c * xi + s * yi, x5[xo + i], Math.abs(c * xi) + Math.abs(s * yi), 2);
                    close(what + " rot y", c * yi - s * xi, y5[yo + i], Math.abs(c * yi) + Math.abs(s * xi), 2);
                }
            }
        }
    }

    @Test
    void firstNonFiniteFindsTheFirstNanOrInfinity() {
        for (Level1KernelF64 k : KERNELS) {
            for (int n = 0; n <= 40; n++) {
                double[] x = new double[n + 3];
                assertEquals(-1, k.firstNonFinite(n, x, 2));
                for (int bad = 0; bad < n; bad++) {
                    for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        double[] y = new double[n + 3];
                        y[1] = Double.NaN; // before the run: not looked at
                        y[2 + bad] = v;
                        if (bad + 1 < n) {
                            y[2 + n - 1] = Double.NaN; // a later one does not hide the first
                        }
                        assertEquals(bad, k.firstNonFinite(n, y, 2), k.getClass().getSimpleName() + " n=" + n);
                    }
                }
                x[2 + n] = Double.NaN; // just past the run
                assertEquals(-1, k.firstNonFinite(n, x, 2));
            }
        }
    }

    @Test
    void elementsOutsideTheRunsAreUntouched() {
        for (Level1KernelF64 k : KERNELS) {
            double[] y = new double[40];
            double[] x = new double[40];
            java.util.Arrays.fill(x, 1);
            k.axpy(17, 2.0, x, 3, y, 5);
            k.dotAxpy4(17, x, 0, 5, x, 3, 1, 1, 1, 1, y, 5, new double[4], 0);
            for (int i = 0; i < 40; i++) {
                double expected = i >= 5 && i < 22 ? 6 : 0;
                assertEquals(expected, y[i], 0.0, k.getClass().getSimpleName() + " y[" + i + "]");
            }
        }
    }
}
