package org.kfac4j.bench.layers;

import java.util.concurrent.TimeUnit;
import org.kfac4j.nn.layer.BatchNorm;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Relu;
import org.kfac4j.nn.layer.Sequential;
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
 * A BatchNorm → ReLU pair of the {@code cnn} bench model at batch 128, f32, in training mode: the forward pass or
 * the backward pass from a fixed output gradient, as one fused layer ({@link BatchNorm#followedByRelu}, what the
 * model builds) or as the two layers. These passes are memory-bound: the bytes they move, not their flops, set
 * their time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class BatchNormReluBench {

    /** The pairs' activation shapes: side and channels (stage1: 28×28×32, stage2: 14×14×64, stage3: 7×7×128). */
    public enum Stage {
        STAGE1(28, 32),
        STAGE2(14, 64),
        STAGE3(7, 128);

        final int side;
        final int channels;

        Stage(int side, int channels) {
            this.side = side;
            this.channels = channels;
        }
    }

    @Param({"stage1", "stage2", "stage3"})
    public String stage;

    @Param({"forward", "backward"})
    public String pass;

    @Param({"fused", "separate"})
    public String relu;

    @Param({"1", "2"})
    public int threads;

    @Param({"128"})
    public int batch;

    private LayerPass layerPass;

    @Setup(Level.Trial)
    public void setUp() {
        Stage s = Stage.valueOf(stage.toUpperCase());
        Layer layer = switch (relu) {
            case "fused" -> BatchNorm.followedByRelu(stage, s.channels, DType.F32);
            case "separate" -> new Sequential(stage, new BatchNorm(stage, s.channels, DType.F32), new Relu("relu"));
            default -> throw new IllegalArgumentException("relu: fused or separate, got " + relu);
        };
        layerPass = new LayerPass(layer, pass, threads, batch, s.side, s.side, s.channels);
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
