package org.kfac4j.bench.training;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.graph.Graph;
import org.kfac4j.nn.graph.GraphBatch;
import org.kfac4j.nn.graph.SyntheticGraphs;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.Models;
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
 * One training step of a bench model — zero the gradients, forward, softmax cross-entropy, backward — on a batch of
 * 28×28×1 images with 10 classes ({@code gcn}: a batch of synthetic graphs of 10–30 nodes, 10 classes), as
 * {@code bench/pytorch_train_step.py} times the same model in PyTorch. No optimiser update (the same on both sides,
 * and negligible), no K-FAC capture.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2) // the layers reach C2 speed only after ~10 s (measured)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class TrainStepBench {

    @Param({"mlp", "cnn", "vit", "gcn"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    @Param({"f32"})
    public String precision;

    @Param({"128"})
    public int batch;

    private Linalg linalg;
    private Model net;
    private GraphBatch graphs;
    private Tensor x;
    private int[] y;

    @Setup(Level.Trial)
    public void setUp() {
        DType dtype = "f64".equals(precision) ? DType.F64 : DType.F32;
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        net = switch (model) {
            case "mlp" -> Models.mlp(dtype, 1);
            case "cnn" -> Models.cnn(dtype, 1);
            case "vit" -> Models.vit(dtype, 1);
            case "gcn" -> Models.gcn(dtype, 1, 10);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        SplittableRandom rng = new SplittableRandom(2);
        if (model.equals("gcn")) {
            List<Graph> list = SyntheticGraphs.generate(batch, 10, 2, dtype);
            graphs = GraphBatch.of(list);
            x = graphs.features();
            y = SyntheticGraphs.labels(list);
            checkInitialLoss();
            return;
        }
        x = Tensor.zeros(dtype, batch, 28, 28, 1);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextDouble());
        }
        y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(10);
        }
        checkInitialLoss();
    }

    private void checkInitialLoss() {
        double loss = step();
        if (!(Math.abs(loss - Math.log(10)) < 1.5)) {
            throw new IllegalStateException(model + ": the initial loss " + loss + " is far from log 10");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        linalg.close();
    }

    @Benchmark
    public double step() {
        net.zeroGrad();
        ForwardResult f = net.forward(x, new Pass(linalg, true, Captures.NONE, graphs));
        LossValue loss = CrossEntropy.mean().evaluate(f.output(), y);
        f.backward(loss.gradient());
        return loss.value();
    }
}
