package org.kfac4j.linalg;

/**
 * Cache-blocking parameters of the packed GEMM, named as in BLIS (Van Zee &amp; van de Geijn).
 *
 * <p>The five loops around the micro-kernel cut C = op(A)·op(B) into blocks whose packed operands fit a
 * cache level each: a {@code kc × nc} panel of B is packed once and stays in L3, an {@code mc × kc} block of
 * A is packed once per panel and stays in L2, and one {@code kc × NR} micro-panel of B is reused from L1
 * against every {@code MR × kc} micro-panel of A. {@code mc} is rounded up to a multiple of the micro-kernel's
 * MR and {@code nc} to a multiple of its NR when used.
 *
 * @param mc rows of op(A) per packed block (L2)
 * @param kc depth of the packed blocks (sets the L1 footprint of a B micro-panel)
 * @param nc columns of op(B) per packed panel (L3)
 */
public record GemmBlocking(int mc, int kc, int nc) {

    public GemmBlocking {
        if (mc < 1) throw new IllegalArgumentException("mc must be >= 1, got " + mc);
        if (kc < 1) throw new IllegalArgumentException("kc must be >= 1, got " + kc);
        if (nc < 1) throw new IllegalArgumentException("nc must be >= 1, got " + nc);
    }

    /**
     * Bounds of the derived depth: below 128 the read and write of each C tile per depth block show in the time; above
     * 1024 (a large L1 or a narrow kernel, such as the scalar one) the A micro-panel outgrows the L1 beside B.
     */
    static final int MIN_KC = 128;
    static final int MAX_KC = 1024;

    /** Columns of op(B) per packed panel: kc·nc elements (2 MiB of floats at kc = 512) per thread, in L3. */
    static final int NC = 1024;

    /**
     * Blocking for an {@code mr × nr} micro-kernel on elements of {@code elementBytes}, from the caches of one core,
     * as in the analytical model of BLIS (Low et al., 2016):
     * <ul>
     *   <li>kc: one {@code kc × nr} B micro-panel fills the L1d ({@code kc = L1d / (nr · elementBytes)}), where it
     *   is reused against every A micro-panel; bounded to [128, 1024]. On this Zen 3 (32 KiB) that is 512 for both
     *   precisions on 256-bit vectors: sgemm n = 2048 ran at 1.00× its n = 1024 rate (tuning harness; JMH 0.95×),
     *   against 0.86× with the earlier kc = 2048, and weight-gradient shapes (C_out × C_in·9, k = a block's
     *   positions) 1.0–1.3× faster.</li>
     *   <li>mc: the {@code mc × kc} A block takes a fifth of the L2, the rest left to the B micro-panels streaming
     *   through and C; a multiple of mr. Zen 3 (512 KiB): 48 floats, 24 doubles (mc = 96 was 5–25% slower).</li>
     *   <li>nc: {@value #NC}; the panel lives in the shared L3.</li>
     * </ul>
     */
    public static GemmBlocking forCaches(CacheSizes caches, int mr, int nr, int elementBytes) {
        if (mr < 1 || nr < 1 || elementBytes < 1) {
            throw new IllegalArgumentException("mr, nr and elementBytes must be >= 1, got " + mr + ", " + nr + ", "
                    + elementBytes);
        }
        int kc = Math.clamp(caches.l1dBytes() / ((long) nr * elementBytes), MIN_KC, MAX_KC);
        int mc = Math.max(mr, (int) (caches.l2Bytes() / 5L / ((long) kc * elementBytes)) / mr * mr);
        return new GemmBlocking(mc, kc, NC);
    }
}
