package org.kfac4j.linalg.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.kfac4j.linalg.kernel.MicroKernelF64;

/**
 * Double-precision GEMM micro-kernel: a 6 × 2V tile of C (V = lanes per vector) held in 12 vector
 * accumulators across the whole k loop; per k it loads two B vectors and broadcasts six A values.
 *
 * <p>Why 6 × 2V: the 12 accumulators must outnumber FMA latency × FMA throughput (4 cycles × 2 per cycle
 * on 256-bit AVX2 cores, 4 × 1 for double-pumped 512-bit on Zen 4, 3-4 × 2-4 on NEON) so the FMA units never
 * wait, while 12 + 2 B + 1 broadcast = 15 registers still fit the 16 of AVX2, leaving the 32 of AVX-512 and
 * NEON spare; and 6 broadcasts + 2 loads per 12 FMAs stay below two loads per cycle. On 256-bit vectors this is
 * the 6×8 double kernel of BLIS/OpenBLAS on Haswell; on 128-bit (NEON, SSE) it is 6×4, which keeps the same
 * latency cover with half-width FMAs; on 512-bit it is 6×16.
 */
public final class VectorMicroKernelF64 implements MicroKernelF64 {
    private static final VectorSpecies<Double> S = VectorWidth.DOUBLE;
    private static final int V = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * V;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, double[] ap, int apOff, double[] bp, int bpOff,
                     double alpha,
                     double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        // Running offsets rather than apOff + p·MR: with the index arithmetic of the counted form, C2 scheduled
        // a third broadcast ahead, needed 16 + 1 vector registers and spilled an accumulator to the stack.
        for (int a = apOff, b = bpOff, aEnd = apOff + kc * MR; a < aEnd; a += MR, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + V);
            DoubleVector ai = DoubleVector.broadcast(S, ap[a]);
            c00 = ai.fma(b0, c00);
            c01 = ai.fma(b1, c01);
            ai = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = ai.fma(b0, c10);
            c11 = ai.fma(b1, c11);
            ai = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = ai.fma(b0, c20);
            c21 = ai.fma(b1, c21);
            ai = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = ai.fma(b0, c30);
            c31 = ai.fma(b1, c31);
            ai = DoubleVector.broadcast(S, ap[a + 4]);
            c40 = ai.fma(b0, c40);
            c41 = ai.fma(b1, c41);
            ai = DoubleVector.broadcast(S, ap[a + 5]);
            c50 = ai.fma(b0, c50);
            c51 = ai.fma(b1, c51);
        }
        // Twelve straight-line read-add-writes: a helper call per vector blew C2's inlining budget at the
        // twelfth call, and a vector passed to a call that is not inlined is boxed (one allocation per tile).
        // No branch on β (the driver passes C itself, scaled, or a row of zeros as cIn): once a β ≠ 0 caller had
        // run, C2 recompiled a branchy form with six accumulators spilled to the stack inside the k loop (sgemm
        // n = 1024 at 25 instead of 75 GFLOP/s).
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        int i0 = cInOff, i1 = i0 + ldcIn, i2 = i1 + ldcIn, i3 = i2 + ldcIn, i4 = i3 + ldcIn, i5 = i4 + ldcIn;
        c00.fma(va, DoubleVector.fromArray(S, cIn, i0)).intoArray(c, r0);
        c01.fma(va, DoubleVector.fromArray(S, cIn, i0 + V)).intoArray(c, r0 + V);
        c10.fma(va, DoubleVector.fromArray(S, cIn, i1)).intoArray(c, r1);
        c11.fma(va, DoubleVector.fromArray(S, cIn, i1 + V)).intoArray(c, r1 + V);
        c20.fma(va, DoubleVector.fromArray(S, cIn, i2)).intoArray(c, r2);
        c21.fma(va, DoubleVector.fromArray(S, cIn, i2 + V)).intoArray(c, r2 + V);
        c30.fma(va, DoubleVector.fromArray(S, cIn, i3)).intoArray(c, r3);
        c31.fma(va, DoubleVector.fromArray(S, cIn, i3 + V)).intoArray(c, r3 + V);
        c40.fma(va, DoubleVector.fromArray(S, cIn, i4)).intoArray(c, r4);
        c41.fma(va, DoubleVector.fromArray(S, cIn, i4 + V)).intoArray(c, r4 + V);
        c50.fma(va, DoubleVector.fromArray(S, cIn, i5)).intoArray(c, r5);
        c51.fma(va, DoubleVector.fromArray(S, cIn, i5 + V)).intoArray(c, r5 + V);
    }

    // The strided twin of tile(): the same kernel with A read at apOff + i·rs + p·cs. Kept apart because
    // the runtime strides cost the packed double-precision kernel 7% at n = 1024 (JMH), and a shared
    // helper taking the twelve accumulators is not inlined (they would be boxed).
    @Override
    public void tileStrided(int kc, double[] ap, int apOff, int rs, int cs, double[] bp, int bpOff,
                            double alpha,
                     double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        // A[i, p] at apOff + i·rs + p·cs: the row offsets are loop invariants, so a strided A costs no more than
        // a packed one, (rs, cs) = (1, MR).
        int o1 = rs, o2 = 2 * rs, o3 = 3 * rs, o4 = 4 * rs, o5 = 5 * rs;
        for (int a = apOff, b = bpOff, bEnd = bpOff + kc * NR; b < bEnd; a += cs, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + V);
            DoubleVector ai = DoubleVector.broadcast(S, ap[a]);
            c00 = ai.fma(b0, c00);
            c01 = ai.fma(b1, c01);
            ai = DoubleVector.broadcast(S, ap[a + o1]);
            c10 = ai.fma(b0, c10);
            c11 = ai.fma(b1, c11);
            ai = DoubleVector.broadcast(S, ap[a + o2]);
            c20 = ai.fma(b0, c20);
            c21 = ai.fma(b1, c21);
            ai = DoubleVector.broadcast(S, ap[a + o3]);
            c30 = ai.fma(b0, c30);
            c31 = ai.fma(b1, c31);
            ai = DoubleVector.broadcast(S, ap[a + o4]);
            c40 = ai.fma(b0, c40);
            c41 = ai.fma(b1, c41);
            ai = DoubleVector.broadcast(S, ap[a + o5]);
            c50 = ai.fma(b0, c50);
            c51 = ai.fma(b1, c51);
        }
        // Straight-line read-add-writes, no branch on β: see tile().
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        int i0 = cInOff, i1 = i0 + ldcIn, i2 = i1 + ldcIn, i3 = i2 + ldcIn, i4 = i3 + ldcIn, i5 = i4 + ldcIn;
        c00.fma(va, DoubleVector.fromArray(S, cIn, i0)).intoArray(c, r0);
        c01.fma(va, DoubleVector.fromArray(S, cIn, i0 + V)).intoArray(c, r0 + V);
        c10.fma(va, DoubleVector.fromArray(S, cIn, i1)).intoArray(c, r1);
        c11.fma(va, DoubleVector.fromArray(S, cIn, i1 + V)).intoArray(c, r1 + V);
        c20.fma(va, DoubleVector.fromArray(S, cIn, i2)).intoArray(c, r2);
        c21.fma(va, DoubleVector.fromArray(S, cIn, i2 + V)).intoArray(c, r2 + V);
        c30.fma(va, DoubleVector.fromArray(S, cIn, i3)).intoArray(c, r3);
        c31.fma(va, DoubleVector.fromArray(S, cIn, i3 + V)).intoArray(c, r3 + V);
        c40.fma(va, DoubleVector.fromArray(S, cIn, i4)).intoArray(c, r4);
        c41.fma(va, DoubleVector.fromArray(S, cIn, i4 + V)).intoArray(c, r4 + V);
        c50.fma(va, DoubleVector.fromArray(S, cIn, i5)).intoArray(c, r5);
        c51.fma(va, DoubleVector.fromArray(S, cIn, i5 + V)).intoArray(c, r5 + V);
    }

    @Override
    public void tileRows(int runs, int run, int runStride, double[] a, int[] rows, int rowsAt, int delta, double[] bp,
                         int bpOff, double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        int r0 = rows[rowsAt];
        tileAt(runs, run, runStride, a, r0 + delta, rows[rowsAt + 1] - r0, rows[rowsAt + 2] - r0, rows[rowsAt + 3] - r0,
                rows[rowsAt + 4] - r0, rows[rowsAt + 5] - r0, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
    }

    // The twin of tileStrided() for tileRows(): A[i, r·run + p] at apOff + r·runStride + o_i + p (o_0 = 0), in runs
    // of depth run (a convolution's kernel rows), the accumulators held across the runs. Kept apart from
    // tileStrided(), which it would serve with one run: through the outer loop the strided GEMM tiles ran 7-15%
    // slower (same-JVM A/B on the cnn model's convolution GEMMs).
    private static void tileAt(int runs, int run, int runStride, double[] ap, int apOff, int o1, int o2, int o3, int o4,
                               int o5, double[] bp, int bpOff, double alpha,
                               double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        // The row offsets are loop invariants, so an A read in place costs no more than a packed one. The depth is
        // counted by p and every index is p plus an invariant, so that C2 takes the eight range checks out of the
        // loop; with running indices (a++, b += NR) the six on A stayed in, a compare and a branch beside every two
        // FMAs (the cnn model's stride-1 forward passes, one thread, same-JVM A/B: 1.08-1.15x). Unlike tile()'s
        // counted form, this one keeps the twelve accumulators in registers (disassembly, JDK 25 C2).
        for (int r = 0, a0 = apOff, b0At = bpOff; r < runs; r++, a0 += runStride, b0At += run * NR) {
            for (int p = 0; p < run; p++) {
                int a = a0 + p;
                int b = b0At + p * NR;
                DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
                DoubleVector b1 = DoubleVector.fromArray(S, bp, b + V);
                DoubleVector ai = DoubleVector.broadcast(S, ap[a]);
                c00 = ai.fma(b0, c00);
                c01 = ai.fma(b1, c01);
                ai = DoubleVector.broadcast(S, ap[a + o1]);
                c10 = ai.fma(b0, c10);
                c11 = ai.fma(b1, c11);
                ai = DoubleVector.broadcast(S, ap[a + o2]);
                c20 = ai.fma(b0, c20);
                c21 = ai.fma(b1, c21);
                ai = DoubleVector.broadcast(S, ap[a + o3]);
                c30 = ai.fma(b0, c30);
                c31 = ai.fma(b1, c31);
                ai = DoubleVector.broadcast(S, ap[a + o4]);
                c40 = ai.fma(b0, c40);
                c41 = ai.fma(b1, c41);
                ai = DoubleVector.broadcast(S, ap[a + o5]);
                c50 = ai.fma(b0, c50);
                c51 = ai.fma(b1, c51);
            }
        }
        // Straight-line read-add-writes, no branch on β: see tile().
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        int i0 = cInOff, i1 = i0 + ldcIn, i2 = i1 + ldcIn, i3 = i2 + ldcIn, i4 = i3 + ldcIn, i5 = i4 + ldcIn;
        c00.fma(va, DoubleVector.fromArray(S, cIn, i0)).intoArray(c, r0);
        c01.fma(va, DoubleVector.fromArray(S, cIn, i0 + V)).intoArray(c, r0 + V);
        c10.fma(va, DoubleVector.fromArray(S, cIn, i1)).intoArray(c, r1);
        c11.fma(va, DoubleVector.fromArray(S, cIn, i1 + V)).intoArray(c, r1 + V);
        c20.fma(va, DoubleVector.fromArray(S, cIn, i2)).intoArray(c, r2);
        c21.fma(va, DoubleVector.fromArray(S, cIn, i2 + V)).intoArray(c, r2 + V);
        c30.fma(va, DoubleVector.fromArray(S, cIn, i3)).intoArray(c, r3);
        c31.fma(va, DoubleVector.fromArray(S, cIn, i3 + V)).intoArray(c, r3 + V);
        c40.fma(va, DoubleVector.fromArray(S, cIn, i4)).intoArray(c, r4);
        c41.fma(va, DoubleVector.fromArray(S, cIn, i4 + V)).intoArray(c, r4 + V);
        c50.fma(va, DoubleVector.fromArray(S, cIn, i5)).intoArray(c, r5);
        c51.fma(va, DoubleVector.fromArray(S, cIn, i5 + V)).intoArray(c, r5 + V);
    }

    /**
     * Each slot of {@code width} values moves as ⌈width / V⌉ whole vectors. Where that overshoots the slot (MR = 6
     * against 4, 8 or 16 lanes), the extra lanes land on the same panel's slots for the next rows, which are written
     * after them; only the last rows, whose next slots belong to the following panel, are copied exactly. With a
     * {@code System.arraycopy} call per six-value slot, packing took 13% of a one-thread AᵀA and 26% of a two-thread
     * one (JFR, 8192 × 1024, f32).
     */
    @Override
    public void packPanels(double[] src, int off, int ld, int p0, int kc, int j0, int count, int width, double[] dst) {
        int span = (width + V - 1) / V * V; // values one slot's vectors read and write
        int spillSlots = (span - 1) / width; // later slots of the same panel those writes reach into
        int panel = kc * width;
        int whole = count / width; // slots holding width values of the row
        for (int p = 0; p < kc; p++) {
            int s = off + (p0 + p) * ld + j0;
            int fast = p < kc - spillSlots ? whole : 0;
            // slot c reads src[s + c·width, s + c·width + span): keep those reads inside the array
            fast = src.length - s < span ? 0 : Math.min(fast, (src.length - s - span) / width + 1);
            int c = 0;
            int d = p * width;
            for (; c < fast; c++, d += panel) {
                for (int v = 0; v < span; v += V) {
                    DoubleVector.fromArray(S, src, s + c * width + v).intoArray(dst, d + v);
                }
            }
            for (; c * width < count; c++, d += panel) { // the exact copies: the last row, the ragged last slot
                int n = Math.min(width, count - c * width);
                System.arraycopy(src, s + c * width, dst, d, n);
                for (int j = n; j < width; j++) {
                    dst[d + j] = 0.0;
                }
            }
        }
    }
}
