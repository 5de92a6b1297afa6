package org.kfac4j.bench.impl;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_FDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F32;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/** EJML's (block) Cholesky, lower, its concurrent variant for more than one thread; in place on a copy of A. */
final class EjmlCholesky implements CholeskyFactorization {
    private final CholeskyProblem p;
    private final CholeskyDecomposition_F64<DMatrixRMaj> d64;
    private final CholeskyDecomposition_F32<FMatrixRMaj> d32;
    private final DMatrixRMaj a64;
    private final FMatrixRMaj a32;
    /** The factor as EJML returns it, fetched once after a run (getT copies the matrix). */
    private DMatrixRMaj t64;
    private FMatrixRMaj t32;

    EjmlCholesky(CholeskyProblem p, int threads) {
        this.p = p;
        EjmlConcurrency.setMaxThreads(threads);
        int n = p.n();
        if (p.f32()) {
            d32 = threads > 1 ? DecompositionFactory_MT_FDRM.chol(n, true) : DecompositionFactory_FDRM.chol(n, true);
            a32 = new FMatrixRMaj(n, n);
            d64 = null;
            a64 = null;
        } else {
            d64 = threads > 1 ? DecompositionFactory_MT_DDRM.chol(n, true) : DecompositionFactory_DDRM.chol(n, true);
            a64 = new DMatrixRMaj(n, n);
            d32 = null;
            a32 = null;
        }
    }

    @Override
    public void run() {
        boolean ok;
        if (p.f32()) {
            System.arraycopy(p.a32(), 0, a32.data, 0, a32.data.length);
            ok = d32.decompose(a32);
        } else {
            System.arraycopy(p.a64(), 0, a64.data, 0, a64.data.length);
            ok = d64.decompose(a64);
        }
        if (!ok) {
            throw new IllegalStateException("EJML chol failed");
        }
        t64 = null;
        t32 = null;
    }

    @Override
    public double lower(int i, int j) {
        if (p.f32()) {
            if (t32 == null) {
                t32 = d32.getT(null);
            }
            return t32.get(i, j);
        }
        if (t64 == null) {
            t64 = d64.getT(null);
        }
        return t64.get(i, j);
    }
}
