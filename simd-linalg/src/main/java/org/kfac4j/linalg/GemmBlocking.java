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
     * Defaults for single precision, chosen by the sweep described in {@code bench/README.md} on a Zen 4 core
     * (32 KiB L1d, 1 MiB L2, 32 MiB shared L3). The depth kc = 2048 is far beyond the L1-sized kc of the BLIS
     * papers (256-384): every depth block re-reads and re-writes each C tile, whose rows lie a page or more
     * apart, and at n = 2048 a kc of 512 ran at half the speed of one pass over k. Zen 4's L2 streams the B
     * micro-panel (2048 × NR) fast enough. The A block is then kept at 384 KiB (48 × 2048 floats) so that it
     * shares each core's L2 with that micro-panel; one B panel (2048 × 1024 floats, 8 MiB) per thread in L3.
     */
    public static GemmBlocking defaultF32() {
        return new GemmBlocking(48, 2048, 1024);
    }

    /** Defaults for double precision: the same kc, the A block at the same 384 KiB (24 × 2048 doubles). */
    public static GemmBlocking defaultF64() {
        return new GemmBlocking(24, 2048, 1024);
    }
}
