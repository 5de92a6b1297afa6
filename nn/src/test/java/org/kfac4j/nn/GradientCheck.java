package org.kfac4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Backward;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Node;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Checks a layer's backward pass against central finite differences of φ(x, θ) = Σ u ⊙ layer(x) for a random
 * weighting u, in double: every input element and parameter element is perturbed (up to {@code maxProbes} of
 * each, chosen at random), and analytic and numeric derivatives must agree within
 * {@code tol · (|numeric| + scale)}, scale being the largest derivative seen.
 */
public final class GradientCheck {
    private static final double H = 1e-6;

    private GradientCheck() {
    }

    public static void check(Layer layer, Tensor x, long seed, double tol) {
        check(layer, x, seed, tol, 400, Pass.training(Captures.NONE));
    }

    public static void check(Layer layer, Tensor x, long seed, double tol, int maxProbes, Pass pass) {
        SplittableRandom rng = new SplittableRandom(seed);
        Node node = layer.forward(x, pass);
        Tensor u = node.output().zerosLike();
        for (int i = 0; i < u.size(); i++) {
            u.set(i, rng.nextDouble(-1, 1));
        }
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        Tensor dx = node.backward(u, Backward.TRAIN);
        double scale = maxAbs(dx);
        for (Parameter p : layer.parameters()) {
            scale = Math.max(scale, maxAbs(p.grad()));
        }
        int[] probes = probes(x.size(), maxProbes, rng);
        for (int i : probes) {
            double numeric = numeric(layer, x, x, i, u, pass);
            assertClose("∂/∂input[" + i + "]", dx.get(i), numeric, scale, tol, seed, layer);
        }
        for (Parameter p : layer.parameters()) {
            for (int i : probes(p.value().size(), maxProbes, rng)) {
                double numeric = numeric(layer, x, p.value(), i, u, pass);
                assertClose("∂/∂" + p.name() + "[" + i + "]", p.grad().get(i), numeric, scale, tol, seed, layer);
            }
        }
    }

    private static double numeric(Layer layer, Tensor x, Tensor perturbed, int i, Tensor u, Pass pass) {
        double saved = perturbed.get(i);
        perturbed.set(i, saved + H);
        double plus = dot(layer.forward(x, pass).output(), u);
        perturbed.set(i, saved - H);
        double minus = dot(layer.forward(x, pass).output(), u);
        perturbed.set(i, saved);
        return (plus - minus) / (2 * H);
    }

    private static void assertClose(String what, double analytic, double numeric, double scale, double tol, long seed,
                                    Layer layer) {
        double err = Math.abs(analytic - numeric);
        assertTrue(err <= tol * (Math.abs(numeric) + scale), () -> layer + " " + what + ": analytic " + analytic
                + ", finite difference " + numeric + " (error " + err + ", bound " + tol + "·(|fd| + " + scale
                + "), seed " + seed + ")");
    }

    static int[] probes(int size, int max, SplittableRandom rng) {
        if (size <= max) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] some = new int[max];
        for (int i = 0; i < max; i++) {
            some[i] = rng.nextInt(size);
        }
        return some;
    }

    public static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.get(i) * b.get(i);
        }
        return s;
    }

    public static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            m = Math.max(m, Math.abs(t.get(i)));
        }
        return m;
    }

    /** A tensor of independent U(−1, 1) entries. */
    public static Tensor random(long seed, org.kfac4j.nn.tensor.DType dtype, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextDouble(-1, 1));
        }
        return t;
    }
}
