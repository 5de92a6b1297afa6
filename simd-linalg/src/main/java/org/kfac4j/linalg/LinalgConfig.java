package org.kfac4j.linalg;

/**
 * How a {@link Linalg} instance computes: threads, backend and cache blocking. Immutable; derive variants
 * with the {@code with…} methods.
 *
 * @param threads     threads per call, the caller included (default: all available processors)
 * @param backend     the kernels (default {@link SimdBackend#selected()})
 * @param blockingF32 cache blocking of single-precision GEMM/SYRK
 * @param blockingF64 cache blocking of double-precision GEMM/SYRK
 * @param minParallelFlops calls with fewer flops run on the caller alone (waking a worker costs more);
 *                    default {@value #DEFAULT_MIN_PARALLEL_FLOPS}
 */
public record LinalgConfig(int threads, SimdBackend backend, GemmBlocking blockingF32, GemmBlocking blockingF64,
                           long minParallelFlops) {
    /** About 50 µs of one core's work: well above the cost of handing a part to a worker. */
    public static final long DEFAULT_MIN_PARALLEL_FLOPS = 1L << 22;

    public LinalgConfig {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        if (blockingF32 == null) throw new IllegalArgumentException("blockingF32 must not be null");
        if (blockingF64 == null) throw new IllegalArgumentException("blockingF64 must not be null");
        if (minParallelFlops < 0) {
            throw new IllegalArgumentException("minParallelFlops must be >= 0, got " + minParallelFlops);
        }
    }

    /**
     * All available processors, the selected backend, and blocking derived from this machine's caches for that
     * backend's micro-kernels ({@link GemmBlocking#forCaches}).
     */
    public static LinalgConfig defaults() {
        SimdBackend backend = SimdBackend.selected();
        CacheSizes caches = CacheSizes.detect();
        return new LinalgConfig(Runtime.getRuntime().availableProcessors(), backend,
                GemmBlocking.forCaches(caches, backend.f32().mr(), backend.f32().nr(), Float.BYTES),
                GemmBlocking.forCaches(caches, backend.f64().mr(), backend.f64().nr(), Double.BYTES),
                DEFAULT_MIN_PARALLEL_FLOPS);
    }

    public LinalgConfig withThreads(int threads) {
        return new LinalgConfig(threads, backend, blockingF32, blockingF64, minParallelFlops);
    }

    /** Another backend, the blocking unchanged (derive a new one with {@link GemmBlocking#forCaches} if needed). */
    public LinalgConfig withBackend(SimdBackend backend) {
        return new LinalgConfig(threads, backend, blockingF32, blockingF64, minParallelFlops);
    }

    public LinalgConfig withMinParallelFlops(long minParallelFlops) {
        return new LinalgConfig(threads, backend, blockingF32, blockingF64, minParallelFlops);
    }

    public LinalgConfig withBlocking(GemmBlocking f32, GemmBlocking f64) {
        return new LinalgConfig(threads, backend, f32, f64, minParallelFlops);
    }
}
