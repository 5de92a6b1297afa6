package org.kfac4j.nn.tensor;

import java.util.Arrays;
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

    /**
     * {@code y} ({@code [N, (H − kh) / s + 1, (W − kw) / s + 1, C_out]}) += the valid cross-correlation with stride s
     * of the channels-last images {@code x} ({@code [N, H, W, C]}) with {@code filters} ({@code C_out} rows of kh·kw·C in
     * tap-major order), as {@link Linalg#scorrelate2d} computes it.
     */
    public static void correlate2d(Linalg linalg, Tensor x, int kh, int kw, int stride, Tensor filters, Tensor y) {
        if (x.dtype() != y.dtype() || filters.dtype() != y.dtype()) {
            throw new ShapeMismatchException("correlate2d: operands " + x.dtype() + ", " + filters.dtype() + " into "
                    + y.dtype());
        }
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3), out = y.dim(3);
        if (y.rank() != 4 || y.dim(0) != n || y.dim(1) != (h - kh) / stride + 1 || y.dim(2) != (w - kw) / stride + 1
                || filters.size() != out * kh * kw * c) {
            throw new ShapeMismatchException("correlate2d: " + Arrays.toString(x.shape()) + " input, "
                    + kh + "x" + kw + " kernel, stride " + stride + ", " + filters.size() + " filter values, output "
                    + Arrays.toString(y.shape()));
        }
        if (y.dtype() == DType.F32) {
            linalg.scorrelate2d(n, h, w, c, kh, kw, stride, out, x.f32(), 0, filters.f32(), 0, y.f32(), 0);
        } else {
            linalg.dcorrelate2d(n, h, w, c, kh, kw, stride, out, x.f64(), 0, filters.f64(), 0, y.f64(), 0);
        }
    }
}
