package org.kfac4j.bench.impl;

import dev.ludovic.netlib.blas.BLAS;

/**
 * dev.ludovic.netlib's column-major BLAS (its pure-Java VectorBLAS, or JNI to the system's OpenBLAS) on our
 * row-major arrays: a row-major C = A·B is the column-major Cᵀ = Bᵀ·Aᵀ, so the operands swap places and
 * nothing is copied; a row-major AᵀA is the column-major X·Xᵀ with X = Aᵀ.
 */
final class NetlibMatMul implements MatMul {
    private final Operands op;
    private final BLAS blas;
    private final float[] c32;
    private final double[] c64;

    NetlibMatMul(Operands op, BLAS blas) {
        this.op = op;
        this.blas = blas;
        int size = op.resultRows() * op.cols();
        this.c32 = op.f32() ? new float[size] : null;
        this.c64 = op.f32() ? null : new double[size];
    }

    @Override
    public void run() {
        int m = op.rows(), k = op.inner(), n = op.cols();
        if (op.gram()) {
            // column-major upper triangle of X·Xᵀ = row-major lower triangle of AᵀA
            if (op.f32()) {
                blas.ssyrk("U", "N", k, m, 1f, op.a32(), k, 0f, c32, k);
            } else {
                blas.dsyrk("U", "N", k, m, 1.0, op.a64(), k, 0.0, c64, k);
            }
        } else if (op.f32()) {
            blas.sgemm("N", "N", n, m, k, 1f, op.b32(), n, op.a32(), k, 0f, c32, n);
        } else {
            blas.dgemm("N", "N", n, m, k, 1.0, op.b64(), n, op.a64(), k, 0.0, c64, n);
        }
    }

    @Override
    public double[] result() {
        double[] c = op.f32() ? Operands.toDouble(c32) : c64.clone();
        if (op.gram()) {
            int n = op.cols();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    c[i * n + j] = c[j * n + i];
                }
            }
        }
        return c;
    }
}
