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
 * layers in the forward pass. The backward pass recomputes the ReLU's mask from the input inside its two passes
 * (bitwise the forward's pre-activation, so the same mask) instead of masking the output gradient in a pass of its
 * own: g̃ = g where the pre-activation is &gt; 0, else 0 (so unlike {@link Relu}'s g·signum(y), a NaN or infinite g
 * where the ReLU is off is dropped, and a NaN pre-activation masks its gradient).
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
     * channels, dtype)} (so saved weights load either way), the same values as BatchNorm followed by {@link Relu}
     * wherever they are finite.
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
        Affine map = new Affine(scale, shift);
        Tensor y = x.zerosLike();
        pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> affine(pass.linalg(), x, from, to, map, y));
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                ShapeMismatchException.requireGradientLike(BatchNorm.this, y, g);
                // Σ_rows g and Σ_rows g·x per channel, g masked by the fused ReLU: the gradients of β and γ, and the
                // two batch-mean terms of dx.
                double[] sumG = new double[channels];
                double[] sumGxhat = new double[channels];
                double[][] partialG = new double[chunks(rows)][channels];
                double[][] partialGx = new double[chunks(rows)][channels];
                pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> gradientSums(pass.linalg(), x, g, from,
                        to, map, partialG[from / ROWS_PER_TASK], partialGx[from / ROWS_PER_TASK]));
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
                InputGradient dxMap = new InputGradient(a, k, b);
                pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> inputGradient(pass.linalg(), x, g, from,
                        to, map, dxMap, dx));
                return dx;
            }
        };
    }

    /** The forward map y = x·scale + shift per channel, with float copies rounded once for the float kernels. */
    private record Affine(double[] scale, double[] shift, float[] scaleF, float[] shiftF) {
        Affine(double[] scale, double[] shift) {
            this(scale, shift, toFloat(scale), toFloat(shift));
        }
    }

    /** The input gradient dx = a·g̃ + k·x + b per channel, with float copies as {@link Affine}. */
    private record InputGradient(double[] a, double[] k, double[] b, float[] af, float[] kf, float[] bf) {
        InputGradient(double[] a, double[] k, double[] b) {
            this(a, k, b, toFloat(a), toFloat(k), toFloat(b));
        }
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
                la.scolumnMoments(to - from, c, x.f32(), from * c, shift, s1, s2);
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

    /** y = x·scale + shift per channel, then max(·, 0) with the fused ReLU, over rows [from, to). */
    private void affine(Linalg la, Tensor x, int from, int to, Affine map, Tensor y) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            la.scolumnAffine(to - from, c, x.f32(), from * c, map.scaleF(), map.shiftF(), relu, y.f32(), from * c);
        } else {
            double[] v = x.f64();
            double[] out = y.f64();
            double[] scale = map.scale();
            double[] shift = map.shift();
            for (int r = from; r < to; r++) {
                for (int j = 0, i = r * c; j < c; j++, i++) {
                    double pre = v[i] * scale[j] + shift[j];
                    out[i] = relu ? Math.max(pre, 0d) : pre;
                }
            }
        }
    }

    /**
     * Adds Σ g̃ and Σ g̃·x over rows [from, to) into sumG and sumGx, with g̃ = g masked where the fused ReLU (whose
     * input the forward map recomputes) did not pass its input.
     */
    private void gradientSums(Linalg la, Tensor x, Tensor g, int from, int to, Affine map, double[] sumG,
                              double[] sumGx) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            la.scolumnGradientSums(to - from, c, x.f32(), from * c, g.f32(), from * c, map.scaleF(), map.shiftF(),
                    relu, sumG, sumGx);
        } else {
            double[] v = x.f64();
            double[] gv = g.f64();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < c; j++) {
                    double gm = masked(gv[i * c + j], v[i * c + j], map, j);
                    sumG[j] += gm;
                    sumGx[j] += gm * v[i * c + j];
                }
            }
        }
    }

    /** dx = a·g̃ + k·x + b per channel over rows [from, to), g̃ masked as in {@link #gradientSums}. */
    private void inputGradient(Linalg la, Tensor x, Tensor g, int from, int to, Affine map, InputGradient dxMap,
                               Tensor dx) {
        int c = channels;
        if (x.dtype() == DType.F32) {
            la.scolumnAffineGradient(to - from, c, x.f32(), from * c, g.f32(), from * c, map.scaleF(), map.shiftF(),
                    relu, dxMap.af(), dxMap.kf(), dxMap.bf(), dx.f32(), from * c);
        } else {
            double[] v = x.f64();
            double[] gv = g.f64();
            double[] out = dx.f64();
            for (int r = from; r < to; r++) {
                for (int j = 0, i = r * c; j < c; j++, i++) {
                    out[i] = dxMap.a()[j] * masked(gv[i], v[i], map, j) + dxMap.k()[j] * v[i] + dxMap.b()[j];
                }
            }
        }
    }

    /** g, or 0 where the fused ReLU did not pass its input v·scale + shift (recomputed as the forward pass did). */
    private double masked(double g, double v, Affine map, int j) {
        return !relu || v * map.scale()[j] + map.shift()[j] > 0 ? g : 0d;
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
