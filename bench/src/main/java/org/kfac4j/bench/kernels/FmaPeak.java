package org.kfac4j.bench.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's single-precision FMA peak as Java reaches it: twelve independent FMA chains on the preferred
 * species, all in registers, no memory traffic. The ceiling a GEMM kernel is measured against.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Where the loop's result goes, so the JIT cannot drop the loop as dead code. */
    private static volatile float sink;

    private FmaPeak() {
    }

    /** GFLOP/s of one thread running the FMA loop for about {@code millis} ms (after a warm-up). */
    public static double gflopsPerThread(long millis) {
        float sum = 0;
        for (int warm = 0; warm < 2_000; warm++) {
            sum += chains(5_000); // enough calls for C2 to compile the loop before timing
        }
        int iterations = 1_000_000;
        long start = System.nanoTime();
        long done = 0;
        while (System.nanoTime() - start < millis * 1_000_000L) {
            sum += chains(iterations);
            done += iterations;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sink = sum;
        return done * 12.0 * S.length() * 2 / seconds / 1e9;
    }

    private static float chains(int iterations) {
        FloatVector x = FloatVector.broadcast(S, 0.999f), y = FloatVector.broadcast(S, 1e-6f);
        FloatVector a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
