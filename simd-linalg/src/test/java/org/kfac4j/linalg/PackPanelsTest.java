package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.kernel.MicroKernelF32;
import org.kfac4j.linalg.kernel.MicroKernelF64;

/**
 * The micro-kernels' panel packing against its definition, for the selected backend and the scalar one: every width
 * from 1 to 20 (the tile's MR and NR among them, slots narrower, equal to and wider than a vector), depths 1 to 4 (the
 * last rows are the ones copied exactly), ragged last panels, and source arrays that end at the last element read,
 * so a read past it fails. Every destination element must be written: it starts as a sentinel, and the destination
 * is exactly as long as the panels, so a write past them fails too.
 */
class PackPanelsTest {
    private static final double SENTINEL = -7.25;
    private static final long SEED = 11L;

    @Test
    void panelsHoldEveryRowOfTheirColumnsAndZerosPastTheEdge() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<SimdBackend> backends = List.of(SimdBackend.selected(), SimdBackend.scalar());
        for (SimdBackend backend : backends) {
            MicroKernelF32 k32 = backend.f32();
            MicroKernelF64 k64 = backend.f64();
            for (int width = 1; width <= 20; width++) {
                for (int kc = 1; kc <= 4; kc++) {
                    for (int count = 0; count <= 3 * width + 1; count++) {
                        int p0 = rnd.nextInt(3);
                        int j0 = rnd.nextInt(3);
                        int ld = j0 + count + rnd.nextInt(3);
                        int off = rnd.nextInt(4);
                        int length = off + (p0 + kc - 1) * ld + j0 + count; // ends at the last element read
                        double[] src = new double[length];
                        for (int i = 0; i < length; i++) {
                            src[i] = rnd.nextDouble(-1, 1);
                        }
                        int panels = (count + width - 1) / width;
                        double[] want = new double[panels * kc * width];
                        for (int c = 0; c < panels; c++) {
                            for (int p = 0; p < kc; p++) {
                                for (int j = 0; j < width; j++) {
                                    int col = c * width + j;
                                    want[c * kc * width + p * width + j] =
                                            col < count ? src[off + (p0 + p) * ld + j0 + col] : 0;
                                }
                            }
                        }
                        String what = backend + " width " + width + ", kc " + kc + ", count " + count;

                        double[] got64 = new double[want.length];
                        Arrays.fill(got64, SENTINEL);
                        k64.packPanels(src, off, ld, p0, kc, j0, count, width, got64);
                        float[] src32 = Cases.toFloat(src);
                        float[] got32 = new float[want.length];
                        Arrays.fill(got32, (float) SENTINEL);
                        k32.packPanels(src32, off, ld, p0, kc, j0, count, width, got32);
                        for (int i = 0; i < want.length; i++) {
                            assertEquals(want[i], got64[i], 0, what + " (f64) at " + i);
                            assertEquals((float) want[i], got32[i], 0, what + " (f32) at " + i);
                        }
                    }
                }
            }
        }
    }
}
