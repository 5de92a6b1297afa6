package org.kfac4j.bench.training;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.laplace.LaplaceEvidence;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.loss.CrossEntropy;
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
 * One marginal-likelihood step on a batch of the bench models: the K-FAC factors of every layer (a capturing forward
 * pass, the curvature's backward passes, the accumulation), their eigenvalues, and the evidence with its gradient —
 * what an online hyperparameter update computes per batch ({@link LaplaceEvidence#fit}). Expand against reduce: the
 * latter's factor work runs on N rows instead of N·R.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g"})
public class MarglikBench {
    @Param({"cnn", "vit"})
    public String model;

    @Param({"expand", "reduce"})
    public String approximation;

    /** {@code mc}: Monte-Carlo Fisher, one sample; {@code exact}: the exact GGN (C = 10 backward passes). */
    @Param({"mc"})
    public String curvature;

    @Param({"2"})
    public int threads;

    @Param({"128"})
    public int batch;

    private Linalg linalg;
    private BenchProblem problem;

    @Setup(Level.Trial)
    public void setUp() {
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        problem = BenchProblem.of(model, DType.F32, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        linalg.close();
    }

    @Benchmark
    public double marglikStep() {
        Approximation a = Approximation.parse(approximation);
        LaplaceEvidence evidence = LaplaceEvidence.fit(problem.net(), CrossEntropy.mean(),
                List.of(Map.entry(problem.x(), problem.y())),
                curvature.equals("exact") ? Curvature.exactGgn() : Curvature.monteCarlo(1), l -> a, linalg, 0);
        return evidence.evaluate(new double[] {0}, 0).logPriorGradient()[0];
    }
}
