package org.kfac4j.bench.impl;

import org.kfac4j.linalg.Cholesky;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;

/** kfac4j's Cholesky.factor, in place on a copy of A. */
final class Kfac4jCholesky implements CholeskyFactorization {
    private final CholeskyProblem p;
    private final Cholesky chol;
    private final double[] l64;
    private final float[] l32;

    Kfac4jCholesky(CholeskyProblem p, int threads) {
        this.p = p;
        this.chol = Cholesky.of(Linalg.create(LinalgConfig.defaults().withThreads(threads)));
        this.l64 = p.f32() ? null : new double[p.n() * p.n()];
        this.l32 = p.f32() ? new float[p.n() * p.n()] : null;
    }

    @Override
    public void run() {
        int n = p.n();
        if (p.f32()) {
            System.arraycopy(p.a32(), 0, l32, 0, n * n);
            chol.factor(n, l32, 0, n);
        } else {
            System.arraycopy(p.a64(), 0, l64, 0, n * n);
            chol.factor(n, l64, 0, n);
        }
    }

    @Override
    public double lower(int i, int j) {
        return p.f32() ? l32[i * p.n() + j] : l64[i * p.n() + j];
    }
}
