package org.kfac4j.bench.impl;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.Transpose;

/** kfac4j's sgemm/dgemm, and ssyrk/dsyrk for the Gram form. */
final class Kfac4jMatMul implements MatMul {
    private final Operands op;
    private final Linalg linalg;
    private final float[] c32;
    private final double[] c64;

    Kfac4jMatMul(Operands op, int threads) {
        this.op = op;
        this.linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        int size = op.resultRows() * op.cols();
        this.c32 = op.f32() ? new float[size] : null;
        this.c64 = op.f32() ? null : new double[size];
    }

    @Override
    public void run() {
        int m = op.rows(), k = op.inner(), n = op.cols();
        if (op.gram()) {
            if (op.f32()) {
                linalg.ssyrk(Transpose.T, k, m, 1f, op.a32(), 0, k, 0f, c32, 0, k);
            } else {
                linalg.dsyrk(Transpose.T, k, m, 1.0, op.a64(), 0, k, 0.0, c64, 0, k);
            }
        } else if (op.f32()) {
            linalg.sgemm(Transpose.N, Transpose.N, m, n, k, 1f, op.a32(), 0, k, op.b32(), 0, n, 0f, c32, 0, n);
        } else {
            linalg.dgemm(Transpose.N, Transpose.N, m, n, k, 1.0, op.a64(), 0, k, op.b64(), 0, n, 0.0, c64, 0, n);
        }
    }

    @Override
    public double[] result() {
        return op.f32() ? Operands.toDouble(c32) : c64.clone();
    }
}
