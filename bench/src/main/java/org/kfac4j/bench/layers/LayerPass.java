package org.kfac4j.bench.layers;

import java.util.SplittableRandom;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Backward;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Node;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One layer's training-mode forward pass, or its backward pass from a fixed output gradient, on random f32 inputs in
 * [−1, 1): what the layer benchmarks time.
 */
final class LayerPass implements AutoCloseable {
    private final Linalg linalg;
    private final Layer layer;
    private final Tensor x;
    private final Tensor g;
    private final Node node;
    private final boolean forward;

    /** {@code pass}: forward or backward; {@code shape}: the input's. */
    LayerPass(Layer layer, String pass, int threads, int... shape) {
        if (!pass.equals("forward") && !pass.equals("backward")) {
            throw new IllegalArgumentException("pass: forward or backward, got " + pass);
        }
        this.linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        this.layer = layer;
        this.forward = pass.equals("forward");
        this.x = random(new SplittableRandom(2), shape);
        this.node = forward();
        this.g = random(new SplittableRandom(3), node.output().shape());
    }

    private static Tensor random(SplittableRandom rnd, int... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        float[] v = t.f32();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
        }
        return t;
    }

    private Node forward() {
        return layer.forward(x, new Pass(linalg, true, Captures.NONE));
    }

    /** Runs the pass once: the forward pass's output or the backward pass's input gradient. */
    Tensor run() {
        return forward ? forward().output() : node.backward(g, Backward.TRAIN);
    }

    @Override
    public void close() {
        linalg.close();
    }
}
