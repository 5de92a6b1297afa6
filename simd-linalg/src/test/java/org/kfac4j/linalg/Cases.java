package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Shared pieces of the kernel tests: the configurations every case runs on, operands and the check. */
final class Cases {
    /** Stands outside every matrix window: a write there is a bug. */
    static final double SENTINEL = -12345.5;

    /** (α, β) pairs covering 0, 1 and other values of each. */
    static final double[][] ALPHA_BETA = {{1, 0}, {1, 1}, {-0.75, 1.25}, {0, 0.5}, {2.5, 0}, {1, -1}, {0, 0}};

    private Cases() {
    }

    /**
     * The instances under test: the selected backend (vector at the width this JVM was started for, or
     * scalar in the "scalar" Surefire run) and the in-process scalar reference, each with the default
     * blocking and with tiny blocks (so small shapes cross every block loop), and with 1 and 3 threads
     * (3 so the split is uneven; parallel from the first flop). The tiny f64 blocks have NC four times MC, so that
     * a transposed A is packed in slabs of several blocks, and the larger shapes in more than one slab.
     */
    static List<Linalg> instances() {
        List<Linalg> list = new ArrayList<>();
        GemmBlocking tinyF32 = new GemmBlocking(7, 5, 3);
        GemmBlocking tinyF64 = new GemmBlocking(5, 3, 19);
        for (SimdBackend backend : List.of(SimdBackend.selected(), SimdBackend.scalar())) {
            LinalgConfig base = LinalgConfig.defaults().withBackend(backend).withMinParallelFlops(0);
            list.add(Linalg.create(base.withThreads(1)));
            list.add(Linalg.create(base.withThreads(3)));
            list.add(Linalg.create(base.withThreads(1).withBlocking(tinyF32, tinyF64)));
            list.add(Linalg.create(base.withThreads(3).withBlocking(tinyF32, tinyF64)));
            if (backend.kind() == SimdBackend.Kind.SCALAR) {
                break; // the selected backend is the scalar one: no need to run it twice
            }
        }
        return list;
    }

    /** Random entries in [-1, 1) in a buffer of {@code length} elements, everything else set to the sentinel. */
    static double[] window(SplittableRandom rnd, int length, int off, int rows, int cols, int ld) {
        double[] x = new double[length];
        java.util.Arrays.fill(x, SENTINEL);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[off + i * ld + j] = rnd.nextDouble(-1, 1);
            }
        }
        return x;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /**
     * Checks C[0:m, 0:n] against the oracle within (k + 2)·u·magnitude elementwise (u the unit roundoff of
     * the precision computed in), and that every element outside the window is unchanged.
     */
    static void check(String what, double[] got, double[] before, int cOff, int m, int n, int ldc, int k,
                      double[][] expected, double unitRoundoff) {
        for (int index = 0; index < got.length; index++) {
            final int idx = index;
            int rel = idx - cOff;
            int i = rel >= 0 ? rel / ldc : -1;
            int j = rel >= 0 ? rel % ldc : -1;
            boolean inside = rel >= 0 && i < m && j < n;
            if (!inside) {
                assertEquals(before[idx], got[idx], 0.0, () -> what + ": element " + idx + " outside C changed");
                continue;
            }
            double want = expected[0][i * n + j];
            double bound = (k + 2) * unitRoundoff * expected[1][i * n + j] + Double.MIN_NORMAL;
            double err = Math.abs(got[idx] - want);
            if (!(err <= bound)) {
                fail(what + ": C[" + i + "," + j + "] = " + got[idx] + ", expected " + want + " (error "
                        + err + " = " + err / (unitRoundoff * Math.max(expected[1][i * n + j], Double.MIN_NORMAL))
                        + " u·|magnitude|, bound (k+2) = " + (k + 2) + ")");
            }
        }
    }
}
