package org.kfac4j.properties.nn;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Backward;
import org.kfac4j.nn.layer.BatchNorm;
import org.kfac4j.nn.layer.Node;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The float BatchNorm in training mode (its per-channel passes run on the vector column kernels) against its
 * definition, written out here in double: y = γ·(x − μ)/√(σ² + ε) + β with the batch's mean μ and biased variance σ²
 * per channel (two passes), max(y, 0) with the fused ReLU; and the input gradient
 * dx = γ/√(σ² + ε)·(g − mean(g) − x̂·mean(g·x̂)), with the parameter gradients Σ g·x̂ and Σ g. Any number of rows (more
 * than one 1024-row task, on one and two threads) and channels (tails of every vector width, one channel), data far
 * from zero relative to its spread, and a channel of constant values (σ² = 0).
 */
class BatchNormProperties {
    private static final double EPS = 1e-5;
    private static final double U = 0x1p-24;
    private static final Linalg ONE = Linalg.create(LinalgConfig.defaults().withThreads(1));
    private static final Linalg TWO = Linalg.create(LinalgConfig.defaults().withThreads(2));

    @AfterContainer
    static void close() {
        ONE.close();
        TWO.close();
    }

    /** |want − got| ≤ tolerance (NaN fails). */
    private static void assertEquals(double want, double got, double tolerance, String what) {
        if (!(Math.abs(want - got) <= tolerance)) {
            throw new AssertionError(what + ": " + got + ", expected " + want + " within " + tolerance);
        }
    }

    @Property
    void floatBatchNormIsItsDefinition(@ForAll @IntRange(min = 2, max = 2500) int rows,
                                       @ForAll @IntRange(min = 1, max = 40) int channels,
                                       @ForAll @IntRange(min = 0, max = 3) int offsetScale,
                                       @ForAll boolean relu,
                                       @ForAll boolean twoThreads,
                                       @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double offset = offsetScale == 0 ? 0 : Math.pow(10, offsetScale); // up to 10³ away from zero, spread ~1
        float[] x = new float[rows * channels];
        float[] g = new float[rows * channels];
        for (int i = 0; i < x.length; i++) {
            int c = i % channels;
            // the last channel of a multi-channel layer is constant: σ² = 0, y = β
            x[i] = channels > 1 && c == channels - 1 ? (float) offset : (float) (offset + rnd.nextGaussian());
            g[i] = (float) rnd.nextGaussian();
        }
        double[] gamma = new double[channels];
        double[] beta = new double[channels];
        BatchNorm bn = relu ? BatchNorm.followedByRelu("bn", channels, DType.F32)
                : new BatchNorm("bn", channels, DType.F32);
        for (int c = 0; c < channels; c++) {
            gamma[c] = (float) (0.5 + rnd.nextDouble());
            beta[c] = (float) (rnd.nextDouble() - 0.5);
            bn.parameters().get(0).value().set(c, gamma[c]);
            bn.parameters().get(1).value().set(c, beta[c]);
        }

        // the definition, in double from the float values
        double[] mean = new double[channels];
        double[] var = new double[channels];
        for (int i = 0; i < x.length; i++) {
            mean[i % channels] += x[i];
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= rows;
        }
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[i % channels];
            var[i % channels] += d * d;
        }
        double[] invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            var[c] /= rows;
            invStd[c] = 1 / Math.sqrt(var[c] + EPS);
        }
        Node node = bn.forward(Tensor.wrap(x, rows, channels), new Pass(twoThreads ? TWO : ONE, true, Captures.NONE));
        Tensor out = node.output();
        double[] gm = new double[x.length]; // g through the ReLU
        double[] sumG = new double[channels];
        double[] sumGxhat = new double[channels];
        for (int i = 0; i < x.length; i++) {
            int c = i % channels;
            double xhat = (x[i] - mean[c]) * invStd[c];
            double pre = gamma[c] * xhat + beta[c];
            double y = relu ? Math.max(pre, 0) : pre;
            // float rounding of x·scale + shift, each of them rounded to float once: a few units of their magnitudes
            double scale = gamma[c] * invStd[c];
            double bound = 8 * U * (Math.abs(x[i] * scale) + Math.abs(beta[c] - mean[c] * scale) + Math.abs(y))
                    + 1e-6;
            assertEquals(y, out.get(i), bound, "y at row " + i / channels + ", channel " + c);
            // the ReLU's mask is its output's: within the bound of the kink a float and a double pre-activation may
            // fall on either side, and the gradient follows the layer's own output there
            boolean passed = !relu || (Math.abs(pre) <= bound ? out.get(i) > 0 : pre > 0);
            gm[i] = passed ? g[i] : 0;
            sumG[c] += gm[i];
            sumGxhat[c] += gm[i] * xhat;
        }
        Tensor dx = node.backward(Tensor.wrap(g, rows, channels), Backward.TRAIN);
        for (int c = 0; c < channels; c++) {
            double magnitude = 0;
            for (int r = 0; r < rows; r++) {
                int i = r * channels + c;
                magnitude += Math.abs(gm[i]) * (1 + Math.abs((x[i] - mean[c]) * invStd[c]));
            }
            // sums in double of exact products, Σ g̃·x̂ formed as (Σ g̃·x − μ·Σ g̃)·invStd: double roundings, the
            // difference's cancellation growing with |μ|·invStd; then stored in the float gradient (one rounding)
            double bound = 1e-9 * magnitude * (1 + Math.abs(mean[c]) * invStd[c]) + 1e-12;
            assertEquals(sumGxhat[c], bn.parameters().get(0).grad().get(c), bound + U * Math.abs(sumGxhat[c]),
                    "dγ of channel " + c);
            assertEquals(sumG[c], bn.parameters().get(1).grad().get(c), bound + U * Math.abs(sumG[c]),
                    "dβ of channel " + c);
            // the layer computes dx = a·g + k·x + b in float, k·x + b = k·(x − μ) − a·mean(g): its rounding is a few
            // units of those three terms, plus what the statistics' own errors carry
            double a = gamma[c] * invStd[c];
            double k = -a * invStd[c] * sumGxhat[c] / rows;
            double b = -a * sumG[c] / rows - k * mean[c];
            for (int r = 0; r < rows; r++) {
                int i = r * channels + c;
                double xhat = (x[i] - mean[c]) * invStd[c];
                double want = a * (gm[i] - sumG[c] / rows - xhat * sumGxhat[c] / rows);
                double tol = 16 * U * (Math.abs(a * gm[i]) + Math.abs(k * x[i]) + Math.abs(b))
                        + 1e-5 * a * magnitude / rows + 1e-7;
                assertEquals(want, dx.get(i), tol, "dx at row " + r + ", channel " + c);
            }
        }
    }
}
