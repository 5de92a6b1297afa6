package org.kfac4j.nn.capture;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Factor rows held as a tensor: {@code N × R × D} with uniform segments, or {@code 1 × V × D} with a graph batch's
 * {@code segments} (null for uniform).
 */
record DenseRows(Tensor rows, int[] segmentsOrNull) implements FactorRows {
    /** Examples summed per parallel task: enough rows that a task outweighs its dispatch. */
    private static final int EXAMPLES_PER_TASK = 8;

    @Override
    public DType dtype() {
        return rows.dtype();
    }

    @Override
    public int count() {
        return rows.rows();
    }

    @Override
    public int width() {
        return rows.dim(-1);
    }

    @Override
    public int[] segments() {
        if (segmentsOrNull != null) {
            return segmentsOrNull.clone();
        }
        return FactorRows.uniformSegments(rows.dim(0), rows.dim(1));
    }

    @Override
    public Tensor source() {
        return rows;
    }

    @Override
    public Tensor tensor() {
        return rows;
    }

    @Override
    public void addExampleSums(Linalg linalg, Tensor out, int rowOffset) {
        int[] segments = segments();
        int d = width();
        linalg.parallelFor(segments.length - 1, EXAMPLES_PER_TASK, (from, to) -> {
            for (int n = from; n < to; n++) {
                int first = segments[n];
                int count = segments[n + 1] - first;
                int dst = (rowOffset + n) * d;
                if (out.dtype() == DType.F32) {
                    linalg.saddRows(count, d, rows.f32(), first * d, d, out.f32(), dst);
                } else {
                    linalg.daddRows(count, d, rows.f64(), first * d, d, out.f64(), dst);
                }
            }
        });
    }

    @Override
    public void addGram(Linalg linalg, double alpha, double beta, Tensor c) {
        int d = width();
        if (c.dtype() == DType.F32) {
            linalg.ssyrk(Transpose.T, d, count(), (float) alpha, rows.f32(), 0, d, (float) beta, c.f32(), 0, d);
        } else {
            linalg.dsyrk(Transpose.T, d, count(), alpha, rows.f64(), 0, d, beta, c.f64(), 0, d);
        }
    }
}
