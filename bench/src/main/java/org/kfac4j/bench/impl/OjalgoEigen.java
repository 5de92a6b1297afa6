package org.kfac4j.bench.impl;

import java.util.Arrays;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/** ojAlgo's symmetric eigendecomposition (double only), limited to the benchmark's thread count. */
final class OjalgoEigen implements Eigensolver {
    private final EigenProblem p;
    private final R064Store a;
    private final Eigenvalue<Double> eig;
    private Integer[] order;
    private double[] raw;
    private MatrixStore<Double> vectors;

    OjalgoEigen(EigenProblem p, int threads) {
        if (p.f32()) {
            throw new Backends.Unavailable("ojalgo skipped: it has no single-precision eigensolver");
        }
        this.p = p;
        OjAlgoUtils.limitThreadsTo(threads);
        int n = p.n();
        this.a = R064Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, p.a64()[i * n + j]);
            }
        }
        this.eig = Eigenvalue.R064.make(a, true);
    }

    @Override
    public void run() {
        if (!eig.decompose(a)) {
            throw new IllegalStateException("ojAlgo eig failed");
        }
        order = null;
    }

    private Integer[] order() {
        if (order == null) {
            int n = p.n();
            MatrixStore<Double> d = eig.getD();
            vectors = eig.getV();
            raw = new double[n];
            order = new Integer[n];
            for (int i = 0; i < n; i++) {
                raw[i] = d.doubleValue(i, i);
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
            w[j] = raw[o[j]];
        }
        return w;
    }

    @Override
    public double[] vector(int j) {
        int k = order()[j];
        double[] v = new double[p.n()];
        for (int i = 0; i < v.length; i++) {
            v[i] = vectors.doubleValue(i, k);
        }
        return v;
    }
}
