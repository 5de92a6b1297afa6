package org.kfac4j.bench.impl;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * LAPACK's dsyevd / ssyevd (OpenBLAS's LAPACK and BLAS, through dev.ludovic.netlib's JNI binding). A symmetric
 * row-major matrix is its own column-major form; the eigenvectors come back as column-major columns, i.e. as
 * rows of our row-major view. The workspace is queried and allocated once, outside the timed call.
 */
final class LapackEigen implements Eigensolver {
    private final EigenProblem p;
    private final LAPACK lapack;
    private final double[] z64, w64, work64;
    private final float[] z32, w32, work32;
    private final int[] iwork;
    private final int lwork;

    LapackEigen(EigenProblem p, int threads) {
        this.p = p;
        this.lapack = Backends.lapack(threads);
        int n = p.n();
        intW info = new intW(0);
        int[] iq = new int[1];
        if (p.f32()) {
            z32 = p.a32().clone();
            w32 = new float[n];
            float[] q = new float[1];
            lapack.ssyevd("V", "L", n, z32, n, w32, q, -1, iq, -1, info);
            lwork = (int) q[0];
            work32 = new float[lwork];
            z64 = w64 = work64 = null;
        } else {
            z64 = p.a64().clone();
            w64 = new double[n];
            double[] q = new double[1];
            lapack.dsyevd("V", "L", n, z64, n, w64, q, -1, iq, -1, info);
            lwork = (int) q[0];
            work64 = new double[lwork];
            z32 = w32 = work32 = null;
        }
        iwork = new int[iq[0]];
    }

    @Override
    public void run() {
        int n = p.n();
        intW info = new intW(0);
        if (p.f32()) {
            System.arraycopy(p.a32(), 0, z32, 0, n * n);
            lapack.ssyevd("V", "L", n, z32, n, w32, work32, lwork, iwork, iwork.length, info);
        } else {
            System.arraycopy(p.a64(), 0, z64, 0, n * n);
            lapack.dsyevd("V", "L", n, z64, n, w64, work64, lwork, iwork, iwork.length, info);
        }
        if (info.val != 0) {
            throw new IllegalStateException("LAPACK syevd failed: info = " + info.val);
        }
    }

    @Override
    public double[] values() {
        return p.f32() ? Operands.toDouble(w32) : w64.clone();
    }

    @Override
    public double[] vector(int j) {
        int n = p.n();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = p.f32() ? z32[j * n + i] : z64[j * n + i];
        }
        return v;
    }
}
