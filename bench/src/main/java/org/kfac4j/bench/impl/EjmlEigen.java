package org.kfac4j.bench.impl;

import java.util.Arrays;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_FDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F32;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * EJML's symmetric eigendecomposition (tridiagonal QR), its concurrent variant for more than one thread. It
 * overwrites its input, so each call decomposes a fresh copy. Its eigenvalues come unordered: sorted after the
 * timed call.
 */
final class EjmlEigen implements Eigensolver {
    private final EigenProblem p;
    private final EigenDecomposition_F64<DMatrixRMaj> d64;
    private final EigenDecomposition_F32<FMatrixRMaj> d32;
    private final DMatrixRMaj a64;
    private final FMatrixRMaj a32;
    private Integer[] order;

    EjmlEigen(EigenProblem p, int threads) {
        this.p = p;
        EjmlConcurrency.setMaxThreads(threads);
        int n = p.n();
        if (p.f32()) {
            d32 = threads > 1 ? DecompositionFactory_MT_FDRM.eig(n, true, true)
                    : DecompositionFactory_FDRM.eig(n, true, true);
            a32 = new FMatrixRMaj(n, n);
            d64 = null;
            a64 = null;
        } else {
            d64 = threads > 1 ? DecompositionFactory_MT_DDRM.eig(n, true, true)
                    : DecompositionFactory_DDRM.eig(n, true, true);
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
            throw new IllegalStateException("EJML eig failed");
        }
        order = null;
    }

    private Integer[] order() {
        if (order == null) {
            int n = p.n();
            double[] raw = new double[n];
            for (int i = 0; i < n; i++) {
                raw[i] = p.f32() ? d32.getEigenvalue(i).real : d64.getEigenvalue(i).real;
            }
            order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(raw[x], raw[y]));
        }
        return order;
    }

    @Override
    public double[] values() {
        Integer[] o = order();
        double[] w = new double[o.length];
        for (int j = 0; j < o.length; j++) {
            w[j] = p.f32() ? d32.getEigenvalue(o[j]).real : d64.getEigenvalue(o[j]).real;
        }
        return w;
    }

    @Override
    public double[] vector(int j) {
        int k = order()[j];
        double[] v = new double[p.n()];
        for (int i = 0; i < v.length; i++) {
            v[i] = p.f32() ? d32.getEigenVector(k).get(i) : d64.getEigenVector(k).get(i);
        }
        return v;
    }
}
