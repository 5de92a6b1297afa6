package org.kfac4j.nn.tensor;

import org.kfac4j.linalg.Linalg;

/**
 * Operations between a {@code rows × cols} row-major matrix and a row vector of {@code cols}: broadcasting a bias
 * over the rows and its adjoint, summing the rows. Inner loops run along a row so that C2 vectorises them.
 */
public final class RowOps {
    private RowOps() {
    }

    /** Sets every row of {@code m} (rows × cols, from offset {@code off}) to {@code v}. */
    public static void broadcastRows(Tensor v, Tensor m, int off, int rows, int cols) {
        if (m.dtype() == DType.F32) {
            float[] src = v.f32();
            float[] dst = m.f32();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, 0, dst, off + i * cols, cols);
            }
        } else {
            double[] src = v.f64();
            double[] dst = m.f64();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, 0, dst, off + i * cols, cols);
            }
        }
    }

    /**
     * {@code sum += Σ_i m[i, ·]}: adds the rows of {@code m} (rows × cols) into {@code sum}, each column summed in row
     * order by the vector kernel ({@link Linalg#saddRows}; the same bits as a plain loop).
     */
    public static void addRowSums(Linalg linalg, Tensor m, int rows, int cols, Tensor sum) {
        if (m.dtype() == DType.F32) {
            linalg.saddRows(rows, cols, m.f32(), 0, cols, sum.f32(), 0);
        } else {
            linalg.daddRows(rows, cols, m.f64(), 0, cols, sum.f64(), 0);
        }
    }

    /**
     * {@code rows × cols} matrix {@code m} with a last column of ones appended: {@code rows × (cols + 1)}, shaped
     * {@code shape} (whose last dimension must be cols + 1). The K-FAC input of a layer with a bias.
     */
    public static Tensor appendOnesColumn(Tensor m, int rows, int cols, int... shape) {
        Tensor out = m.zeros(shape);
        int w = cols + 1;
        if (m.dtype() == DType.F32) {
            float[] src = m.f32();
            float[] dst = out.f32();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, i * cols, dst, i * w, cols);
                dst[i * w + cols] = 1f;
            }
        } else {
            double[] src = m.f64();
            double[] dst = out.f64();
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, i * cols, dst, i * w, cols);
                dst[i * w + cols] = 1d;
            }
        }
        return out;
    }
}
