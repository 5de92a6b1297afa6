package org.kfac4j.kfac.factor;

import java.util.List;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One batch's contribution to a Kronecker factor, kept in its low-rank form: {@code F_batch = s · Σ_i X_iᵀ X_i} over
 * the row blocks {@code X_i} ({@code rows_i × d}, one per call or Monte-Carlo pass). Its rank is at most
 * {@link #rows()}: N for K-FAC-reduce, N·R (times the passes, for G) for K-FAC-expand. The blocks are the layer's
 * captures or scratch derived from them: valid until the next forward pass. A convolution's input block is formed
 * only if {@link #blocks()} asks for it; {@link #addGram} forms its Gram matrix without it.
 */
public final class BatchTerm {
    private final List<FactorRows> parts;
    private final double scale;

    /**
     * @param blocks the row blocks, all with d columns
     * @param scale  s
     */
    public BatchTerm(List<Tensor> blocks, double scale) {
        this(scale, blocks.stream().map(FactorRows::of).toList());
    }

    private BatchTerm(double scale, List<FactorRows> parts) {
        this.parts = List.copyOf(parts);
        this.scale = scale;
        if (this.parts.isEmpty()) {
            throw new IllegalArgumentException("a batch term needs at least one block of rows");
        }
    }

    /** The term {@code s · Σ_i X_iᵀ X_i} over blocks held in any form (a convolution's input image). */
    public static BatchTerm of(List<FactorRows> parts, double scale) {
        return new BatchTerm(scale, parts);
    }

    /** The row blocks as tensors (a convolution's formed here, on the first request). */
    public List<Tensor> blocks() {
        return parts.stream().map(FactorRows::tensor).toList();
    }

    /** s. */
    public double scale() {
        return scale;
    }

    /** The rows' precision. */
    public DType dtype() {
        return parts.get(0).dtype();
    }

    /** d, the factor's order. */
    public int dim() {
        return parts.get(0).width();
    }

    /** The number of rows over all blocks (a bound on the term's rank). */
    public int rows() {
        int rows = 0;
        for (FactorRows x : parts) {
            rows += x.count();
        }
        return rows;
    }

    /**
     * {@code F ← β·F + α·Σ_i X_iᵀX_i}, the blocks' Gram matrices summed in their order (β = 0 does not read F;
     * {@code α} does not include s).
     */
    public void addGram(Linalg linalg, double alpha, double beta, Tensor f) {
        for (int i = 0; i < parts.size(); i++) {
            parts.get(i).addGram(linalg, alpha, i == 0 ? beta : 1, f);
        }
    }

    /** The rows stacked, times {@code √(weight · s)}, in double: {@code C} with {@code CᵀC = weight · F_batch}. */
    public double[] scaledRows(double weight) {
        int d = dim();
        double[] out = new double[rows() * d];
        double root = Math.sqrt(weight * scale);
        int at = 0;
        for (Tensor x : blocks()) {
            int n = x.rows() * d;
            if (x.dtype() == DType.F32) {
                float[] v = x.f32();
                for (int i = 0; i < n; i++) {
                    out[at + i] = root * v[i];
                }
            } else {
                double[] v = x.f64();
                for (int i = 0; i < n; i++) {
                    out[at + i] = root * v[i];
                }
            }
            at += n;
        }
        return out;
    }

    /** {@code tr F_batch = s · ‖X‖²_F}. */
    public double trace() {
        double sum = 0;
        for (Tensor x : blocks()) {
            int n = x.rows() * x.dim(-1);
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                sum += v * v;
            }
        }
        return scale * sum;
    }

    /** The entry of largest magnitude as {block, index within it}. */
    public int[] largestMagnitude() {
        int[] at = {0, 0};
        double largest = -1;
        List<Tensor> blocks = blocks();
        for (int b = 0; b < blocks.size(); b++) {
            Tensor x = blocks.get(b);
            for (int i = 0; i < x.size(); i++) {
                if (Math.abs(x.get(i)) > largest) {
                    largest = Math.abs(x.get(i));
                    at = new int[] {b, i};
                }
            }
        }
        return at;
    }

    /** The first entry that is NaN or ±Inf as {block, index within it}, or null when all are finite. */
    public int[] firstNonFinite() {
        List<Tensor> blocks = blocks();
        for (int b = 0; b < blocks.size(); b++) {
            int bad = blocks.get(b).firstNonFinite();
            if (bad >= 0) {
                return new int[] {b, bad};
            }
        }
        return null;
    }
}
