package org.kfac4j.properties.kfac;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.layer.PoolOverPositions;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.loss.Reduction;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A random deep linear network with weight sharing and a Gaussian likelihood: the setting of the paper's
 * Propositions 1 and 2, as plain arrays (for {@link ExactGgn}) and as an nn {@link Model} (for kfac).
 *
 * <p>Layer l maps, at each of the R positions of an example, {@code ã ↦ W̃_l ã} (ã with a trailing 1 when the layer
 * has a bias). In the {@link Setting#EXPAND expand setting} every position keeps its own output and loss term
 * (f is N×R×C); in the {@link Setting#REDUCE reduce setting} the output of layer {@code poolAfter} is summed or
 * averaged over the positions and the remaining layers see one row per example (f is N×C).
 *
 * <p>The likelihood is Gaussian with a random positive definite covariance Σ = (MᵀM)⁻¹, M upper triangular with a
 * positive diagonal: {@code ℓ(f, y') = ½‖Mf − y'‖²}, so Λ = ∂²ℓ/∂f² = MᵀM. The nn model realises it as the network
 * followed by a fixed linear map M (named {@value #NOISE}, not a layer whose factors are checked) and the unit
 * mean-squared error; the oracle uses Λ directly.
 */
final class DeepLinearNetwork {
    /** How many loss terms an example has (kfac-math.md, "Loss and curvature"). */
    enum Setting { EXPAND, REDUCE }

    static final String NOISE = "noise";

    final Setting setting;
    final int n;
    final int r;
    final int[] widths;
    final boolean[] bias;
    /** The layer whose output is aggregated over positions (REDUCE), or −1 (EXPAND). */
    final int poolAfter;
    final boolean meanPool;
    final boolean meanLoss;
    /** W_l, out_l × in_l, row-major. */
    final double[][] w;
    /** b_l, or null. */
    final double[][] b;
    /** C × C, upper triangular: Λ = MᵀM. */
    final double[] m;
    /** N × R × D_0. */
    final double[] x;
    /** The targets y' of Mf: one C-vector per loss term. */
    final double[] y;

    private DeepLinearNetwork(Setting setting, int n, int r, int[] widths, boolean[] bias, int poolAfter,
                              boolean meanPool, boolean meanLoss, SplittableRandom rnd) {
        this.setting = setting;
        this.n = n;
        this.r = r;
        this.widths = widths;
        this.bias = bias;
        this.poolAfter = poolAfter;
        this.meanPool = meanPool;
        this.meanLoss = meanLoss;
        int depth = widths.length - 1;
        this.w = new double[depth][];
        this.b = new double[depth][];
        for (int l = 0; l < depth; l++) {
            w[l] = gaussian(rnd, widths[l + 1] * widths[l], 1 / Math.sqrt(widths[l]));
            b[l] = bias[l] ? gaussian(rnd, widths[l + 1], 1) : null;
        }
        int c = outputs();
        this.m = new double[c * c];
        for (int i = 0; i < c; i++) {
            m[i * c + i] = 0.5 + 1.5 * rnd.nextDouble();
            for (int j = i + 1; j < c; j++) {
                m[i * c + j] = 0.5 * rnd.nextGaussian();
            }
        }
        this.x = gaussian(rnd, n * r * widths[0], 1);
        this.y = gaussian(rnd, terms() * c, 1);
    }

    /**
     * A network with the given widths {@code D_0, …, D_L} (depth L = widths.size() − 1), a bias on layer l when bit l
     * of {@code biasMask} is set, and weights, inputs, targets and M drawn from {@code seed}. {@code poolAfter} is
     * taken modulo the depth and only used in the reduce setting.
     */
    static DeepLinearNetwork random(Setting setting, List<Integer> widths, int n, int r, int biasMask, int poolAfter,
                                    boolean meanPool, boolean meanLoss, long seed) {
        int depth = widths.size() - 1;
        boolean[] bias = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            bias[l] = (biasMask >> l & 1) == 1;
        }
        return new DeepLinearNetwork(setting, n, r, widths.stream().mapToInt(Integer::intValue).toArray(), bias,
                setting == Setting.REDUCE ? Math.floorMod(poolAfter, depth) : -1, meanPool, meanLoss,
                new SplittableRandom(seed));
    }

    private static double[] gaussian(SplittableRandom rnd, int size, double scale) {
        double[] v = new double[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rnd.nextGaussian();
        }
        return v;
    }

    int depth() {
        return widths.length - 1;
    }

    /** C, the width of f. */
    int outputs() {
        return widths[depth()];
    }

    /** D_in of layer l's K-FAC input (its input width, plus one with a bias). */
    int inputDim(int l) {
        return widths[l] + (bias[l] ? 1 : 0);
    }

    int outputDim(int l) {
        return widths[l + 1];
    }

    /** The positions layer l's weight is shared over: R before the aggregation, 1 after it. */
    int positionsAt(int l) {
        return setting == Setting.EXPAND || l <= poolAfter ? r : 1;
    }

    /** Loss terms per example: R (expand) or 1 (reduce). */
    int termsPerExample() {
        return setting == Setting.EXPAND ? r : 1;
    }

    int terms() {
        return n * termsPerExample();
    }

    /** Z of kfac-math.md: the number of terms for a mean, 1 for a sum. */
    double normaliser() {
        return meanLoss ? terms() : 1;
    }

    /** Λ = MᵀM, C × C. */
    double[] lambda() {
        int c = outputs();
        double[] lambda = new double[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += m[k * c + i] * m[k * c + j];
                }
                lambda[i * c + j] = s;
            }
        }
        return lambda;
    }

    static String layerName(int l) {
        return "l" + l;
    }

    /** The network followed by the fixed map M, in float64, with exactly these weights. */
    Model model() {
        List<Layer> layers = new ArrayList<>();
        SplittableRandom unused = new SplittableRandom(0);
        for (int l = 0; l < depth(); l++) {
            Linear linear = new Linear(layerName(l), widths[l], widths[l + 1], bias[l], DType.F64, unused);
            linear.parameters().get(0).value().copyFrom(Tensor.wrap(w[l].clone(), widths[l + 1], widths[l]));
            if (bias[l]) {
                linear.parameters().get(1).value().copyFrom(Tensor.wrap(b[l].clone(), widths[l + 1]));
            }
            layers.add(linear);
            if (l == poolAfter) {
                layers.add(new PoolOverPositions("pool",
                        meanPool ? PoolOverPositions.Mode.MEAN : PoolOverPositions.Mode.SUM));
            }
        }
        int c = outputs();
        Linear noise = new Linear(NOISE, c, c, false, DType.F64, unused);
        noise.parameters().get(0).value().copyFrom(Tensor.wrap(m.clone(), c, c));
        layers.add(noise);
        return new Model("deep-linear", new Sequential("net", layers), DType.F64);
    }

    Tensor input() {
        return Tensor.wrap(x.clone(), n, r, widths[0]);
    }

    Tensor targets() {
        return setting == Setting.EXPAND ? Tensor.wrap(y.clone(), n, r, outputs()) : Tensor.wrap(y.clone(), n, outputs());
    }

    /**
     * Every layer's factors as kfac computes them for this batch (one capturing forward pass and the backward passes
     * of {@code curvature}), by layer name; {@code seed} drives Monte-Carlo sampling.
     */
    Map<String, KroneckerFactors> kfacFactors(Approximation approximation, Curvature curvature, long seed) {
        Map<String, KroneckerFactors> byName = new LinkedHashMap<>();
        KroneckerFactors.ofBatch(model(), new Pass(Linalg.shared(), true, Captures.create()), input(),
                        new MeanSquaredError(meanLoss ? Reduction.MEAN : Reduction.SUM), targets(), curvature,
                        layer -> approximation, seed)
                .forEach((layer, factors) -> byName.put(layer.name(), factors));
        return byName;
    }

    @Override
    public String toString() {
        return setting + " setting: N=" + n + ", R=" + r + ", widths " + Arrays.toString(widths) + ", bias "
                + Arrays.toString(bias) + (setting == Setting.REDUCE
                        ? ", " + (meanPool ? "mean" : "sum") + " over positions after l" + poolAfter : "")
                + ", " + (meanLoss ? "mean" : "sum") + " loss";
    }
}
