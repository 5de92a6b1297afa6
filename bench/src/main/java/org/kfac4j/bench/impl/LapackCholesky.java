package org.kfac4j.bench.impl;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * LAPACK's dpotrf / spotrf (OpenBLAS) through dev.ludovic.netlib. Column-major with uplo = 'L' factors the lower
 * triangle of the column-major matrix, which is the upper triangle of our row-major one: L[i][j] is at j·n + i.
 */
final class LapackCholesky implements CholeskyFactorization {
    private final CholeskyProblem p;
    private final LAPACK lapack;
    private final double[] l64;
    private final float[] l32;

    LapackCholesky(CholeskyProblem p, int threads) {
        this.p = p;
        this.lapack = Backends.lapack(threads);
        this.l64 = p.f32() ? null : new double[p.n() * p.n()];
        this.l32 = p.f32() ? new float[p.n() * p.n()] : null;
    }

    @Override
    public void run() {
        int n = p.n();
        intW info = new intW(0);
        if (p.f32()) {
            System.arraycopy(p.a32(), 0, l32, 0, n * n);
            lapack.spotrf("L", n, l32, n, info);
        } else {
            System.arraycopy(p.a64(), 0, l64, 0, n * n);
            lapack.dpotrf("L", n, l64, n, info);
        }
        if (info.val != 0) {
            throw new IllegalStateException("LAPACK potrf failed: info = " + info.val);
        }
    }

    @Override
    public double lower(int i, int j) {
        return p.f32() ? l32[j * p.n() + i] : l64[j * p.n() + i];
    }
}
