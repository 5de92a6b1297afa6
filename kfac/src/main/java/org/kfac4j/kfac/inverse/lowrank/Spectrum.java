package org.kfac4j.kfac.inverse.lowrank;

import java.util.Arrays;
import java.util.Map;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A truncated eigendecomposition of one symmetric positive semi-definite d×d Kronecker factor,
 * {@code F ≈ U diag(λ) Uᵀ + c·(I − UUᵀ)}: the k leading eigenpairs (k ≤ capacity, values descending) and the
 * continuation c, the mean of the d − k eigenvalues not kept, known exactly from the factor's trace:
 * {@code c = (tr F − Σλ) / (d − k)} (0 when k = d). Replacing the discarded spectrum by its mean keeps the trace of
 * F and, unlike c = 0, does not let the damped inverse take steps of size 1/δ along every discarded direction.
 * Kept in double.
 */
public final class Spectrum {
    /**
     * The solver of the small eigenproblems (orders up to r + n): on one thread, since at these orders the team's
     * hand-offs cost more than they save (measured: a 2-thread Brand update at d = 256 spent a fifth of its time
     * waking workers).
     */
    static final SymmetricEigen SMALL = SymmetricEigen.of(Linalg.create(LinalgConfig.defaults().withThreads(1)));

    private final int dim;
    private final int capacity;
    /** d × capacity, row-major: column i is u_i. */
    final double[] vectors;
    /** Descending; the first {@link #rank} are valid. */
    final double[] values;
    int rank;
    double trace;
    double continuation;
    long refreshes;
    long updates;

    /** An empty spectrum of a {@code dim × dim} factor keeping at most {@code capacity} pairs (at most dim). */
    public Spectrum(int dim, int capacity) {
        if (dim < 1 || capacity < 1) {
            throw new IllegalArgumentException("spectrum of order " + dim + " with capacity " + capacity);
        }
        this.dim = dim;
        this.capacity = Math.min(capacity, dim);
        this.vectors = new double[dim * this.capacity];
        this.values = new double[this.capacity];
    }

    public int dim() {
        return dim;
    }

    public int capacity() {
        return capacity;
    }

    /** k, the pairs kept. */
    public int rank() {
        return rank;
    }

    /** λ_i, i < k, descending. */
    public double value(int i) {
        return values[i];
    }

    /** Component {@code row} of u_i. */
    public double vector(int row, int i) {
        return vectors[row * capacity + i];
    }

    /** c, the eigenvalue assumed for the complement of span(U). */
    public double continuation() {
        return continuation;
    }

    /** The trace of the factor this spectrum stands for. */
    public double trace() {
        return trace;
    }

    /** Whether nothing is truncated (k = d): then the spectrum is the factor's full eigendecomposition. */
    public boolean complete() {
        return rank == dim;
    }

    /** The smallest value the represented factor has: c while something is truncated, else λ_k. */
    public double smallest() {
        return complete() ? values[rank - 1] : Math.min(continuation, rank == 0 ? continuation : values[rank - 1]);
    }

    /** The largest value the represented factor has: λ_1, or c when nothing is kept. */
    public double largest() {
        return rank == 0 ? continuation : values[0];
    }

    /** max |UᵀU − I| over the kept vectors. */
    public double orthonormalityError() {
        double worst = 0;
        for (int i = 0; i < rank; i++) {
            for (int j = 0; j <= i; j++) {
                double dot = 0;
                for (int r = 0; r < dim; r++) {
                    dot += vector(r, i) * vector(r, j);
                }
                worst = Math.max(worst, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    /** The represented factor {@code U diag(λ) Uᵀ + c (I − UUᵀ)} as a dense d×d matrix (for tests and diagnostics). */
    public double[] toDense() {
        double[] f = new double[dim * dim];
        for (int r = 0; r < dim; r++) {
            f[r * dim + r] = continuation;
            for (int s = 0; s < dim; s++) {
                double sum = 0;
                for (int i = 0; i < rank; i++) {
                    sum += vector(r, i) * (values[i] - continuation) * vector(s, i);
                }
                f[r * dim + s] += sum;
            }
        }
        return f;
    }

    /**
     * Replaces the pairs by the leading ones of F restricted to an orthonormal basis B ({@code b} vectors):
     * {@code F ≈ B M Bᵀ} with {@code M} b×b symmetric; {@code U ← B·V_top}, {@code λ ← μ_top} from
     * {@code M = V diag(μ) Vᵀ} (negative μ, rounding of a PSD factor, clamped to 0). {@code basis} holds B as d×b
     * ({@code layout} N) or Bᵀ as b×d (T), leading dimension {@code ldBasis}; it must not be {@link #vectors}.
     */
    void assignFromBasis(Linalg linalg, double[] basis, Transpose layout, int ldBasis, int b,
                         double[] m) {
        if (b == 0) {
            rank = 0;
            return;
        }
        double[] mu = new double[b];
        double[] v = new double[b * b];
        SMALL.decompose(b, m, 0, b, mu, 0, v, 0, b);
        int keep = Math.min(capacity, b);
        double[] top = new double[b * keep];
        for (int j = 0; j < keep; j++) {
            int from = b - 1 - j; // ascending from the solver: the leading pairs come last
            values[j] = Math.max(0, mu[from]);
            for (int r = 0; r < b; r++) {
                top[r * keep + j] = v[r * b + from];
            }
        }
        linalg.dgemm(layout, Transpose.N, dim, keep, b, 1, basis, 0, ldBasis, top, 0, keep, 0, vectors, 0, capacity);
        rank = keep;
    }

    /** Sets c from the trace: the mean of the eigenvalues not kept, never negative; 0 when nothing is truncated. */
    void continueFromTrace() {
        if (rank >= dim) {
            continuation = 0;
            return;
        }
        double kept = 0;
        for (int i = 0; i < rank; i++) {
            kept += values[i];
        }
        continuation = Math.max(0, trace - kept) / (dim - rank);
    }

    /** Inverse-update refreshes so far. */
    public long refreshes() {
        return refreshes;
    }

    /** Online (Brand) updates so far. */
    public long updates() {
        return updates;
    }

    /** Puts the state to checkpoint under {@code prefix}: vectors, values and {k, trace, c, refreshes, updates}. */
    public void stateInto(String prefix, Map<String, Tensor> state) {
        state.put(prefix + "vectors", Tensor.wrap(vectors, dim, capacity));
        state.put(prefix + "values", Tensor.wrap(values, capacity));
        state.put(prefix + "scalars", Tensor.wrap(new double[] {rank, trace, continuation, refreshes, updates}, 5));
    }

    /** Restores what {@link #stateInto} put under {@code prefix}; a missing or misshapen tensor is an error. */
    public void restoreFrom(String prefix, Map<String, Tensor> state) {
        Tensor v = require(state, prefix + "vectors", dim, capacity);
        Tensor l = require(state, prefix + "values", capacity);
        Tensor s = require(state, prefix + "scalars", 5);
        System.arraycopy(v.f64(), 0, vectors, 0, vectors.length);
        System.arraycopy(l.f64(), 0, values, 0, values.length);
        rank = (int) s.get(0);
        trace = s.get(1);
        continuation = s.get(2);
        refreshes = (long) s.get(3);
        updates = (long) s.get(4);
        if (rank < 0 || rank > capacity) {
            throw new IllegalArgumentException("spectrum state " + prefix + "scalars: rank " + rank + " outside [0, "
                    + capacity + "]");
        }
    }

    private static Tensor require(Map<String, Tensor> state, String name, int... shape) {
        Tensor t = state.get(name);
        if (t == null || !t.hasShape(shape)) {
            throw new IllegalArgumentException("spectrum state '" + name + "': expected shape "
                    + Arrays.toString(shape) + ", found " + t);
        }
        return t.dtype() == DType.F64 ? t : t.to(DType.F64);
    }

    @Override
    public String toString() {
        return "spectrum k=" + rank + "/" + dim + (complete() ? "" : String.format(", c=%.3g", continuation));
    }
}
