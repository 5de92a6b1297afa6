package org.kfac4j.linalg.kernel;

/**
 * Reference micro-kernel in plain Java arithmetic ({@code a*b + c}, no {@code Math.fma}: it is a slow
 * library call on CPUs without hardware FMA). A 4×4 tile keeps its 16 accumulators in scalar registers.
 */
public final class ScalarMicroKernelF64 implements MicroKernelF64 {
    private static final int MR = 4;
    private static final int NR = 4;

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
        tileStrided(kc, ap, apOff, 1, MR, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
    }

    @Override
    public void tileStrided(int kc, double[] ap, int apOff, int rs, int cs, double[] bp, int bpOff,
                            double alpha,
                     double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        tileAt(kc, ap, apOff, rs, 2 * rs, 3 * rs, cs, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
    }

    @Override
    public void tileRows(int runs, int run, int runStride, double[] a, int[] rows, int rowsAt, int delta, double[] bp,
                         int bpOff, double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        int r0 = rows[rowsAt];
        int o1 = rows[rowsAt + 1] - r0, o2 = rows[rowsAt + 2] - r0, o3 = rows[rowsAt + 3] - r0;
        // run by run, the first from C_in and the others onto C: the reference kernel needs no fused form
        tileAt(run, a, r0 + delta, o1, o2, o3, 1, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
        for (int r = 1; r < runs; r++) {
            tileAt(run, a, r0 + delta + r * runStride, o1, o2, o3, 1, bp, bpOff + r * run * NR, alpha, c, cOff, ldc,
                    c, cOff, ldc);
        }
    }

    /** The tile with A[i, p] at {@code ap[apOff + o_i + p·cs]}, o_0 = 0. */
    private static void tileAt(int kc, double[] ap, int apOff, int o1, int o2, int o3, int cs, double[] bp, int bpOff,
                               double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int a = apOff + p * cs;
            int b = bpOff + p * NR;
            double b0 = bp[b], b1 = bp[b + 1], b2 = bp[b + 2], b3 = bp[b + 3];
            double a0 = ap[a], a1 = ap[a + o1], a2 = ap[a + o2], a3 = ap[a + o3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        addRow(cIn, cInOff, c, cOff, alpha, c00, c01, c02, c03);
        addRow(cIn, cInOff + ldcIn, c, cOff + ldc, alpha, c10, c11, c12, c13);
        addRow(cIn, cInOff + 2 * ldcIn, c, cOff + 2 * ldc, alpha, c20, c21, c22, c23);
        addRow(cIn, cInOff + 3 * ldcIn, c, cOff + 3 * ldc, alpha, c30, c31, c32, c33);
    }

    private static void addRow(double[] cIn, int in, double[] c, int off, double alpha, double v0, double v1, double v2, double v3) {
        c[off] = cIn[in] + alpha * v0;
        c[off + 1] = cIn[in + 1] + alpha * v1;
        c[off + 2] = cIn[in + 2] + alpha * v2;
        c[off + 3] = cIn[in + 3] + alpha * v3;
    }
}
