package org.kfac4j.nn.layer;

import java.util.Arrays;
import java.util.List;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Batch normalisation over the last (channel) dimension of a channels-last input {@code [N, …, C]}, as PyTorch's
 * {@code BatchNorm1d/2d}: in training, each channel is normalised with the batch's mean and biased variance over
 * all N·(…) rows and the running statistics move by {@code momentum} (the running variance takes the unbiased
 * estimate); in evaluation the running statistics are used. Affine scale γ ({@code .weight}) and shift β
 * ({@code .bias}); the running statistics are the buffers {@code .running_mean} and {@code .running_var} (float64).
 * Not a K-FAC layer: the base optimiser updates γ and β. Statistics are accumulated in double.
 *
 * <p>{@link #followedByRelu} fuses a ReLU into the output, as the pre-activation blocks' BN → ReLU: the affine map
 * and the clamp are one pass, a memory pass over the activations (and the zeroing of a fresh tensor) fewer than two
 * layers in the forward pass. The backward pass masks the gradient in a pass of its own, as {@link Relu} does.
 *
 * <p>Between {@link #beginRecount()} and {@link #endRecount()} the running statistics are instead the plain average
 * of the training batches' statistics since the recount began (PyTorch's {@code momentum=None}), which is how weight
 * averaging recomputes them for averaged weights.
 */
public final class BatchNorm implements Layer {
    /** Rows per parallel task (fixed, so that the statistics do not depend on the thread count). */
    private static final int ROWS_PER_TASK = 1024;

    private final String name;
    private final int channels;
    private final double epsilon;
    private final double momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    /** Whether the output is max(BN(x), 0). */
    private final boolean relu;
    /** Training batches averaged since {@link #beginRecount()}; -1 outside a recount (the momentum update). */
    private long recounted = -1;

    public BatchNorm(String name, int channels, DType dtype) {
        this(name, channels, 1e-5, 0.1, dtype);
    }

    public BatchNorm(String name, int channels, double epsilon, double momentum, DType dtype) {
        this(name, channels, epsilon, momentum, false, dtype);
    }

    /**
     * BatchNorm with a ReLU fused into its output: the same parameters and buffers as {@code new BatchNorm(name,
     * channels, dtype)} (so saved weights load either way), the same values as BatchNorm followed by {@link Relu}.
     */
    public static BatchNorm followedByRelu(String name, int channels, DType dtype) {
        return new BatchNorm(name, channels, 1e-5, 0.1, true, dtype);
    }

    private BatchNorm(String name, int channels, double epsilon, double momentum, boolean relu, DType dtype) {
        if (channels <= 0 || !(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": BatchNorm needs channels > 0, epsilon > 0, momentum in "
                    + "[0, 1]; got " + channels + ", " + epsilon + ", " + momentum);
        }
        this.name = name;
        this.channels = channels;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.relu = relu;
        this.gamma = new Parameter(name + ".weight", Tensor.zeros(dtype, channels).fill(1));
        this.beta = new Parameter(name + ".bias", Tensor.zeros(dtype, channels));
        this.runningMean = Tensor.zeros(DType.F64, channels);
        this.runningVar = Tensor.zeros(DType.F64, channels).fill(1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public List<Buffer> buffers() {
        return List.of(new Buffer(name + ".running_mean", runningMean), new Buffer(name + ".running_var", runningVar));
    }

    /** The running mean per channel (a copy). */
    public double[] runningMean() {
        return runningMean.f64().clone();
    }

    /** The running variance per channel (a copy). */
    public double[] runningVar() {
        return runningVar.f64().clone();
    }

    /**
     * Forgets the running statistics and, until {@link #endRecount()}, makes them the plain average over the
     * training batches that follow instead of a moving average.
     */
    public void beginRecount() {
        runningMean.fill(0);
        runningVar.fill(1);
        recounted = 0;
    }

    /** Returns to the moving average with {@code momentum}, from the statistics the recount left. */
    public void endRecount() {
        recounted = -1;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() < 2 || x.dim(-1) != channels) {
            throw ShapeMismatchException.of(this + " input", "[N, ..., " + channels + "]", x.shape());
        }
        int rows = x.rows();
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        boolean batchStatistics = pass.training();
        if (batchStatistics) {
            if (rows < 2) {
                throw new ShapeMismatchException(this + ": training needs more than one value per channel, got input "
                        + Arrays.toString(x.shape()));
            }
            double[] var = new double[channels];
            moments(pass.linalg(), x, rows, mean, var);
            // a recount's k-th batch enters the running average with weight 1/k, so it is the mean of all k
            double weight = recounted < 0 ? momentum : 1.0 / ++recounted;
            double[] rm = runningMean.f64();
            double[] rv = runningVar.f64();
            for (int c = 0; c < channels; c++) {
                invStd[c] = 1 / Math.sqrt(var[c] + epsilon);
                rm[c] = (1 - weight) * rm[c] + weight * mean[c];
                rv[c] = (1 - weight) * rv[c] + weight * var[c] * rows / (rows - 1);
            }
        } else {
            for (int c = 0; c < channels; c++) {
                mean[c] = runningMean.get(c);
                invStd[c] = 1 / Math.sqrt(runningVar.get(c) + epsilon);
            }
        }
        // y = x̂·γ + β with x̂ = (x − μ)·invStd, written as y = x·scale + shift per channel (then max(y, 0) if fused)
        double[] scale = new double[channels];
        double[] shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma.value().get(c) * invStd[c];
            shift[c] = beta.value().get(c) - mean[c] * scale[c];
        }
        Tensor y = x.zerosLike();
        pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> affine(x, from, to, scale, shift, y));
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                ShapeMismatchException.requireGradientLike(BatchNorm.this, y, g);
                Tensor gm = relu ? reluGradient(pass, g, y) : g; // the gradient w.r.t. BatchNorm's own output
                // Σ_rows g and Σ_rows g·x̂ per channel: the gradients of β and γ, and the two batch-mean terms of dx.
                double[] sumG = new double[channels];
                double[] sumGxhat = new double[channels];
                double[][] partialG = new double[chunks(rows)][channels];
                double[][] partialGx = new double[chunks(rows)][channels];
                pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> gradientSums(x, gm, from, to,
                        partialG[from / ROWS_PER_TASK], partialGx[from / ROWS_PER_TASK]));
                reduce(partialG, sumG, 1);
                reduce(partialGx, sumGxhat, 1);
                for (int j = 0; j < channels; j++) {
                    sumGxhat[j] = (sumGxhat[j] - mean[j] * sumG[j]) * invStd[j]; // Σ g·x̂ from Σ g·x and Σ g
                }
                if (how.parameterGradients()) {
                    for (int c = 0; c < channels; c++) {
                        gamma.grad().set(c, gamma.grad().get(c) + sumGxhat[c]);
                        beta.grad().set(c, beta.grad().get(c) + sumG[c]);
                    }
                }
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                double[] a = new double[channels];
                double[] b = new double[channels];
                double[] k = new double[channels];
                for (int c = 0; c < channels; c++) {
                    double gs = gamma.value().get(c) * invStd[c];
                    if (batchStatistics) {
                        // dx = γ·invStd·(g − mean(g) − x̂·mean(g·x̂)), x̂ = (x − μ)·invStd
                        a[c] = gs;
                        k[c] = -gs * invStd[c] * sumGxhat[c] / rows;
                        b[c] = -gs * sumG[c] / rows - k[c] * mean[c];
                    } else {
                        a[c] = gs;
                    }
                }
                pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> inputGradient(x, gm, from, to, a, k, b,
                        dx));
                return dx;
            }
        };
    }

    /**
     * Per-channel mean and biased variance over the rows, in one pass and in double: the sums of d = x − K and d² with
     * K the first row (a value of the channel, so that Σd² − (Σd)²/n cancels no more than a two-pass variance would
     * lose to the data's own spread). Each task sums a fixed range of rows and the partial sums are added in range
     * order, so the result does not depend on the thread count.
     */
    private void moments(Linalg la, Tensor x, int rows, double[] mean, double[] var) {
        int c = channels;
        double[] shift = new double[c];
        for (int j = 0; j < c; j++) {
            shift[j] = x.get(j);
        }
        double[][] sums = new double[chunks(rows)][c];
        double[][] squares = new double[chunks(rows)][c];
        la.parallelFor(rows, ROWS_PER_TASK, (from, to) -> {
            double[] s1 = sums[from / ROWS_PER_TASK];
            double[] s2 = squares[from / ROWS_PER_TASK];
            if (x.dtype() == DType.F32) {
                float[] v = x.f32();
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < c; j++) {
                        double d = v[i * c + j] - shift[j];
                        s1[j] += d;
                        s2[j] += d * d;
                    }
                }
            } else {
                double[] v = x.f64();
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < c; j++) {
                        double d = v[i * c + j] - shift[j];
                        s1[j] += d;
                        s2[j] += d * d;
                    }
                }
            }
        });
        reduce(sums, mean, rows);
        reduce(squares, var, rows);
        for (int j = 0; j < c; j++) {
            var[j] = Math.max(0, var[j] - mean[j] * mean[j]); // E[d²] − E[d]², clamped against rounding below 0
            mean[j] += shift[j];
        }
    }

    private static int chunks(int rows) {
        return (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    }

    /** out[j] = Σ_chunks partial[·][j] / divisor, the chunks added in order. */
    private static void reduce(double[][] partial, double[] out, double divisor) {
        Arrays.fill(out, 0);
        for (double[] p : partial) {
            for (int j = 0; j < out.length; j++) {
                out[j] += p[j];
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= divisor;
        }
    }

    /**
     * y = max(x·scale + shift, floor) per channel: floor 0 with the fused ReLU, −∞ (which leaves every value, NaN and
     * −0 included, as it is) without it, so that one loop serves both.
     */
    private void affine(Tensor x, int from, int to, double[] scale, double[] shift, Tensor y) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            float[] v = x.f32();
            float[] out = y.f32();
            float[] s = toFloat(scale);
            float[] t = toFloat(shift);
            float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    out[i * c + j] = Math.max(v[i * c + j] * s[j] + t[j], floor);
                }
            }
        } else {
            double[] v = x.f64();
            double[] out = y.f64();
            double floor = relu ? 0d : Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    out[i * c + j] = Math.max(v[i * c + j] * scale[j] + shift[j], floor);
                }
            }
        }
    }

    /** Adds Σ g and Σ g·x over rows [from, to) into sumG and sumGx. */
    private void gradientSums(Tensor x, Tensor g, int from, int to, double[] sumG, double[] sumGx) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            float[] v = x.f32();
            float[] gv = g.f32();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    sumG[j] += gv[i * c + j];
                    sumGx[j] += gv[i * c + j] * (double) v[i * c + j];
                }
            }
        } else {
            double[] v = x.f64();
            double[] gv = g.f64();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    sumG[j] += gv[i * c + j];
                    sumGx[j] += gv[i * c + j] * v[i * c + j];
                }
            }
        }
    }

    /** dx = a·g + k·x + b per channel. */
    private void inputGradient(Tensor x, Tensor g, int from, int to, double[] a, double[] k, double[] b, Tensor dx) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            float[] v = x.f32();
            float[] gv = g.f32();
            float[] out = dx.f32();
            float[] af = toFloat(a);
            float[] kf = toFloat(k);
            float[] bf = toFloat(b);
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    out[i * c + j] = af[j] * gv[i * c + j] + kf[j] * v[i * c + j] + bf[j];
                }
            }
        } else {
            double[] v = x.f64();
            double[] gv = g.f64();
            double[] out = dx.f64();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    out[i * c + j] = a[j] * gv[i * c + j] + k[j] * v[i * c + j] + b[j];
                }
            }
        }
    }

    /**
     * g·signum(y) ∈ {g, 0}: the fused ReLU's backward pass, {@link Relu}'s. A pass of its own: C2 does not vectorise
     * the mask inside the per-channel loops above (measured: 5× slower loops), so fusing it there costs more than the
     * pass.
     */
    private static Tensor reluGradient(Pass pass, Tensor g, Tensor y) {
        Tensor masked = g.zerosLike();
        pass.linalg().parallelFor(g.size(), Tensor.ELEMENTS_PER_TASK, (from, to) -> {
            if (g.dtype() == DType.F32) {
                Relu.gradient(y.f32(), g.f32(), masked.f32(), from, to);
            } else {
                Relu.gradient(y.f64(), g.f64(), masked.f64(), from, to);
            }
        });
        return masked;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return name + " (BatchNorm " + channels + (relu ? " + ReLU)" : ")");
    }
}
