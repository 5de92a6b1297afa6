package org.kfac4j.bench.impl;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.SymmetricEigen;

/** kfac4j's SymmetricEigen.decompose (input preserved; float computed in double). */
final class Kfac4jEigen implements Eigensolver {
    private final EigenProblem p;
    private final SymmetricEigen eig;
    private final double[] w64, v64;
    private final float[] w32, v32;

    Kfac4jEigen(EigenProblem p, int threads) {
        this.p = p;
        this.eig = SymmetricEigen.of(Linalg.create(LinalgConfig.defaults().withThreads(threads)));
        int n = p.n();
        this.w64 = p.f32() ? null : new double[n];
        this.v64 = p.f32() ? null : new double[n * n];
        this.w32 = p.f32() ? new float[n] : null;
        this.v32 = p.f32() ? new float[n * n] : null;
    }

    @Override
    public void run() {
        int n = p.n();
        if (p.f32()) {
            eig.decompose(n, p.a32(), 0, n, w32, 0, v32, 0, n);
        } else {
            eig.decompose(n, p.a64(), 0, n, w64, 0, v64, 0, n);
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
            v[i] = p.f32() ? v32[i * n + j] : v64[i * n + j];
        }
        return v;
    }
}
