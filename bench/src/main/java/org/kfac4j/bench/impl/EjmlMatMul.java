package org.kfac4j.bench.impl;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/** EJML's row-major dense matrices; its concurrent ops ({@code CommonOps_MT_*}) for more than one thread. */
final class EjmlMatMul implements MatMul {
    private final Operands op;
    private final boolean concurrent;
    private final FMatrixRMaj a32, b32, c32;
    private final DMatrixRMaj a64, b64, c64;

    EjmlMatMul(Operands op, int threads) {
        this.op = op;
        this.concurrent = threads > 1;
        EjmlConcurrency.setMaxThreads(threads);
        int m = op.rows(), k = op.inner(), n = op.cols();
        if (op.f32()) {
            a32 = FMatrixRMaj.wrap(m, k, op.a32());
            b32 = op.gram() ? null : FMatrixRMaj.wrap(k, n, op.b32());
            c32 = new FMatrixRMaj(op.resultRows(), n);
            a64 = b64 = c64 = null;
        } else {
            a64 = DMatrixRMaj.wrap(m, k, op.a64());
            b64 = op.gram() ? null : DMatrixRMaj.wrap(k, n, op.b64());
            c64 = new DMatrixRMaj(op.resultRows(), n);
            a32 = b32 = c32 = null;
        }
    }

    @Override
    public void run() {
        if (op.f32()) {
            if (op.gram()) {
                if (concurrent) CommonOps_MT_FDRM.multTransA(a32, a32, c32); else CommonOps_FDRM.multInner(a32, c32);
            } else if (concurrent) {
                CommonOps_MT_FDRM.mult(a32, b32, c32);
            } else {
                CommonOps_FDRM.mult(a32, b32, c32);
            }
        } else if (op.gram()) {
            if (concurrent) CommonOps_MT_DDRM.multTransA(a64, a64, c64); else CommonOps_DDRM.multInner(a64, c64);
        } else if (concurrent) {
            CommonOps_MT_DDRM.mult(a64, b64, c64);
        } else {
            CommonOps_DDRM.mult(a64, b64, c64);
        }
    }

    @Override
    public double[] result() {
        return op.f32() ? Operands.toDouble(c32.data) : c64.data.clone();
    }
}
