package org.kfac4j.bench.training;

import java.util.concurrent.TimeUnit;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.tensor.DType;
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
    private BenchProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        problem = BenchProblem.of(model, "f64".equals(precision) ? DType.F64 : DType.F32, batch);
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
        problem.net().zeroGrad();
        ForwardResult f = problem.net().forward(problem.x(), problem.pass(linalg, Captures.NONE));
        LossValue loss = CrossEntropy.mean().evaluate(f.output(), problem.y());
        f.backward(loss.gradient());
        return loss.value();
    }
}
