package org.kfac4j.nn.tensor;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;

/**
 * GEMM on tensor storage, in the tensors' own precision: C ← α·op(A)·op(B) + β·C on row-major matrices at the
 * given offsets and leading dimensions (BLAS semantics, see {@link Linalg#sgemm}).
 */
public final class MatMul {
    private MatMul() {
    }

    public static void gemm(Linalg linalg, Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                            Tensor a, int aOff, int lda, Tensor b, int bOff, int ldb,
                            double beta, Tensor c, int cOff, int ldc) {
        if (a.dtype() != c.dtype() || b.dtype() != c.dtype()) {
            throw new ShapeMismatchException("gemm: operands " + a.dtype() + ", " + b.dtype() + " into " + c.dtype());
        }
        if (c.dtype() == DType.F32) {
            linalg.sgemm(transA, transB, m, n, k, (float) alpha, a.f32(), aOff, lda, b.f32(), bOff, ldb,
                    (float) beta, c.f32(), cOff, ldc);
        } else {
            linalg.dgemm(transA, transB, m, n, k, alpha, a.f64(), aOff, lda, b.f64(), bOff, ldb,
                    beta, c.f64(), cOff, ldc);
        }
    }
}
