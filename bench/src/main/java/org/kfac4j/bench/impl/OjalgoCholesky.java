package org.kfac4j.bench.impl;

import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.decomposition.Cholesky;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/** ojAlgo's Cholesky (double only), limited to the benchmark's thread count. */
final class OjalgoCholesky implements CholeskyFactorization {
    private final R064Store a;
    private final Cholesky<Double> chol;
    private MatrixStore<Double> l;

    OjalgoCholesky(CholeskyProblem p, int threads) {
        if (p.f32()) {
            throw new Backends.Unavailable("ojalgo skipped: it has no single-precision Cholesky");
        }
        OjAlgoUtils.limitThreadsTo(threads);
        int n = p.n();
        this.a = R064Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, p.a64()[i * n + j]);
            }
        }
        this.chol = Cholesky.R064.make(a);
    }

    @Override
    public void run() {
        if (!chol.decompose(a)) {
            throw new IllegalStateException("ojAlgo Cholesky failed");
        }
        l = null;
    }

    @Override
    public double lower(int i, int j) {
        if (l == null) {
            l = chol.getL();
        }
        return l.doubleValue(i, j);
    }
}
