package org.kfac4j.bench.layers;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One convolution layer of the {@code cnn} bench model at batch 128, f32, whole: the forward pass (with the im2col
 * or implicit-im2col work and the GEMMs) or the backward pass (weight and input gradients) from a fixed output
 * gradient, as a training step runs them. The step of the whole model against PyTorch's: {@code ./kfac4j step}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class ConvLayerBench {

    /** The model's convolutions: input side, channels in and out, stride (3×3, padding 1, no bias). */
    public enum Layer {
        STEM(28, 1, 32, 1),
        STAGE1(28, 32, 32, 1),
        DOWN2(28, 32, 64, 2),
        STAGE2(14, 64, 64, 1),
        DOWN3(14, 64, 128, 2),
        STAGE3(7, 128, 128, 1);

        final int side;
        final int in;
        final int out;
        final int stride;

        Layer(int side, int in, int out, int stride) {
            this.side = side;
            this.in = in;
            this.out = out;
            this.stride = stride;
        }
    }

    @Param({"stem", "stage1", "down2", "stage2", "down3", "stage3"})
    public String layer;

    @Param({"forward", "backward"})
    public String pass;

    @Param({"1", "2"})
    public int threads;

    @Param({"128"})
    public int batch;

    private LayerPass layerPass;

    @Setup(Level.Trial)
    public void setUp() {
        Layer l = Layer.valueOf(layer.toUpperCase());
        Conv2d conv = new Conv2d(layer, l.in, l.out, 3, l.stride, 1, false, DType.F32, new SplittableRandom(1));
        layerPass = new LayerPass(conv, pass, threads, batch, l.side, l.side, l.in);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        layerPass.close();
    }

    @Benchmark
    public Tensor run() {
        return layerPass.run();
    }
}
