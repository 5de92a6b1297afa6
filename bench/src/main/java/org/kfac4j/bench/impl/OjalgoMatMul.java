package org.kfac4j.bench.impl;

import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.PhysicalStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

/** ojAlgo's dense stores (R032 for float, R064 for double), limited to the benchmark's thread count. */
final class OjalgoMatMul implements MatMul {
    private final Operands op;
    private final MatrixStore<Double> left;
    private final MatrixStore<Double> right;
    private final PhysicalStore<Double> c;

    OjalgoMatMul(Operands op, int threads) {
        this.op = op;
        OjAlgoUtils.limitThreadsTo(threads);
        PhysicalStore.Factory<Double, ?> factory = op.f32() ? R032Store.FACTORY : R064Store.FACTORY;
        int m = op.rows(), k = op.inner(), n = op.cols();
        PhysicalStore<Double> a = factory.make(m, k);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                a.set(i, p, op.f32() ? op.a32()[i * k + p] : op.a64()[i * k + p]);
            }
        }
        if (op.gram()) {
            this.left = a.transpose();
            this.right = a;
        } else {
            PhysicalStore<Double> b = factory.make(k, n);
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    b.set(p, j, op.f32() ? op.b32()[p * n + j] : op.b64()[p * n + j]);
                }
            }
            this.left = a;
            this.right = b;
        }
        this.c = factory.make(op.resultRows(), n);
    }

    @Override
    public void run() {
        c.fillByMultiplying(left, right);
    }

    @Override
    public double[] result() {
        int m = op.resultRows(), n = op.cols();
        double[] r = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[i * n + j] = c.doubleValue(i, j);
            }
        }
        return r;
    }
}
