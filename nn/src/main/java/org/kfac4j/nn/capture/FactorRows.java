package org.kfac4j.nn.capture;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The rows X of one block of a Kronecker factor's batch term ({@code F_batch ∝ XᵀX}): a layer call's inputs ã or
 * output gradients g, one row per example and position. They are either held as a tensor or, for a convolution's
 * input, formed on demand from the layer's input image: the column matrix of a convolution is k² times its input
 * (115 MB for a 32-channel 3×3 convolution of 128 images of 28×28), and what K-FAC needs of it — the Gram matrix
 * XᵀX and the per-example sums of rows — can be formed from cache-sized blocks, or without the rows at all.
 */
public interface FactorRows {
    /** The rows held as they are: an {@code N × R × D} tensor ({@code 1 × V × D} with graph segments). */
    static FactorRows of(Tensor rows) {
        return new DenseRows(rows, null);
    }

    /** Rows of a graph batch: {@code rows} is {@code 1 × V × D}, example n owning rows {@code segments[n] ..}. */
    static FactorRows of(Tensor rows, int[] segments) {
        return new DenseRows(rows, segments.clone());
    }

    /** The segments of N examples of R positions each: {@code {0, R, 2R, …, N·R}}. */
    static int[] uniformSegments(int examples, int positions) {
        int[] segments = new int[examples + 1];
        for (int n = 1; n < segments.length; n++) {
            segments[n] = n * positions;
        }
        return segments;
    }

    DType dtype();

    /**
     * The tensor the rows are read from (the rows themselves, or a convolution's input image), recorded by reference:
     * it must not change until K-FAC has read the rows ({@link LayerCapture#inputRows()} checks).
     */
    Tensor source();

    /** The number of rows, N·R (V for a graph batch). */
    int count();

    /** The values per row, D. */
    int width();

    /**
     * Which rows belong to which example: example n owns rows {@code segments[n] .. segments[n+1]} (a fresh array:
     * {@code {0, R, 2R, …}} for N examples of R positions each).
     */
    int[] segments();

    /**
     * The rows as a tensor, {@code N × R × D} ({@code 1 × V × D} for a graph batch). A convolution forms them on the
     * first call and keeps them; the tensor is valid until the next forward pass and must not be modified.
     */
    Tensor tensor();

    /**
     * {@code out[rowOffset + n] += Σ} of example n's rows, for every example n ({@code out} has D columns). Each
     * example's sum is taken by one thread in a fixed order: the same bits for every thread count.
     */
    void addExampleSums(Linalg linalg, Tensor out, int rowOffset);

    /**
     * {@code C ← β·C + α·XᵀX} (D × D, the same dtype as the rows) with the conventions of {@link Linalg#ssyrk}: all of
     * C symmetric on return, and β = 0 does not read C. The same bits for every thread count.
     */
    void addGram(Linalg linalg, double alpha, double beta, Tensor c);
}
