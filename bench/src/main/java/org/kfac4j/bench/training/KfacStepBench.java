package org.kfac4j.bench.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.InverseStrategy;
import org.kfac4j.kfac.Kfac;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.kfac.factor.GradientPasses;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.optim.Schedule;
import org.kfac4j.nn.optim.Sgd;
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
 * The cost of K-FAC on the four bench models (batch 128, as {@link TrainStepBench}), by part:
 * <ul>
 *   <li>{@code sgdStep}: the baseline — forward, cross-entropy, backward, SGD with momentum;</li>
 *   <li>{@code kfacStep}: a K-FAC step that refreshes nothing — the same plus preconditioning every layer;</li>
 *   <li>{@code factorStep}: a K-FAC step that refreshes the factors (capturing forward, one Monte-Carlo backward pass,
 *       accumulation) but not the inverses;</li>
 *   <li>{@code accumulate}, {@code decompose}, {@code precondition}: those parts alone, over every layer, with the
 *       {@code inverse} strategy (for the Brand variants, {@code accumulate} holds their online updates and forms only
 *       the factors they read).</li>
 * </ul>
 * The amortised step at T_cov = 10, T_inv = 100 is {@code kfacStep + (factorStep − kfacStep)/10 + decompose/100}
 * ({@code bench/jmh-table.py} prints it beside {@code sgdStep}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 2) // a K-FAC step reaches C2 speed only after ~16 s (measured: 9.0 → 4.6 ms, mlp)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g"})
public class KfacStepBench {

    @Param({"mlp", "cnn", "vit", "gcn"})
    public String model;

    @Param({"expand", "reduce"})
    public String approximation;

    @Param({"2"})
    public int threads;

    /** The inverse strategy of every layer ({@code InverseStrategy.parse}: eigen, rs-kfac, b-kfac, ...). */
    @Param({"eigen"})
    public String inverse;

    @Param({"128"})
    public int batch;

    private static final double DAMPING = 1e-3;

    private Linalg linalg;
    private BenchProblem problem;
    private Model net;
    private Tensor x;
    private int[] y;
    private final CrossEntropy loss = CrossEntropy.mean();
    private Sgd sgd;
    private Kfac<int[]> plain;
    private Kfac<int[]> refreshing;
    private Captures captures;
    private GradientPasses passes;
    private final List<KroneckerFactors> factors = new ArrayList<>();
    private final List<FactorInverse> inverses = new ArrayList<>();
    private final List<Tensor[]> gradients = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        DType dtype = DType.F32;
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        problem = BenchProblem.of(model, dtype, batch);
        net = problem.net();
        x = problem.x();
        y = problem.y();
        SplittableRandom rng = new SplittableRandom(2);
        Approximation a = Approximation.parse(approximation);
        sgd = new Sgd(net.parameters(), Schedule.constant(1e-3), 0.9, false, 0);
        // the first step of each refreshes factors and inverses; after that, plain never refreshes, refreshing
        // refreshes the factors at every step and the inverses never
        InverseStrategy strategy = InverseStrategy.parse(inverse);
        plain = Kfac.builder(net, loss).linalg(linalg).learningRate(1e-3).momentum(0.9).damping(DAMPING)
                .approximation(a).factorUpdateInterval(Integer.MAX_VALUE).inverseUpdateInterval(Integer.MAX_VALUE)
                .inverse(strategy).build();
        refreshing = Kfac.builder(net, loss).linalg(linalg).learningRate(1e-3).momentum(0.9).damping(DAMPING)
                .approximation(a).factorUpdateInterval(1).inverseUpdateInterval(Integer.MAX_VALUE).inverse(strategy)
                .build();
        kfacStep();
        factorStep();

        captures = Captures.create();
        ForwardResult f = net.forward(x, pass(captures));
        int first = captures.backwardPasses();
        f.backwardCaptureOnly(loss.evaluate(f.output(), loss.sample(f.output(), rng)).gradient());
        passes = new GradientPasses(first, 1, loss.normaliser(f.output()));
        for (KfacLayer layer : net.kfacLayers()) {
            KroneckerFactors kf = new KroneckerFactors(layer, a, dtype);
            int dIn = kf.a().dim(0);
            int dOut = kf.g().dim(0);
            FactorInverse inv = strategy.newInverse(linalg, dtype, layer.name(), dOut, dIn, 1);
            factors.add(kf);
            inverses.add(inv);
            kf.update(linalg, captures, passes, 0, inv);
            inv.update(kf.a(), kf.g(), DAMPING);
            Tensor g = Tensor.zeros(dtype, dOut, dIn);
            for (int i = 0; i < g.size(); i++) {
                g.set(i, rng.nextGaussian());
            }
            gradients.add(new Tensor[] {g, g.zerosLike()});
        }
    }

    private Pass pass(Captures c) {
        return problem.pass(linalg, c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        linalg.close();
    }

    @Benchmark
    public double sgdStep() {
        net.zeroGrad();
        ForwardResult f = net.forward(x, pass(Captures.NONE));
        LossValue l = loss.evaluate(f.output(), y);
        f.backward(l.gradient());
        sgd.step();
        return l.value();
    }

    @Benchmark
    public double kfacStep() {
        return step(plain);
    }

    @Benchmark
    public double factorStep() {
        return step(refreshing);
    }

    private double step(Kfac<int[]> kfac) {
        kfac.zeroGrad();
        ForwardResult f = net.forward(x, pass(kfac.captures()));
        LossValue l = loss.evaluate(f.output(), y);
        f.backward(l.gradient());
        kfac.step(f, y);
        return l.value();
    }

    @Benchmark
    public Tensor accumulate() {
        for (int i = 0; i < factors.size(); i++) {
            factors.get(i).update(linalg, captures, passes, 0.95, inverses.get(i));
        }
        return factors.get(0).a();
    }

    @Benchmark
    public Tensor decompose() {
        for (int i = 0; i < factors.size(); i++) {
            inverses.get(i).update(factors.get(i).a(), factors.get(i).g(), DAMPING);
        }
        return factors.get(0).a();
    }

    @Benchmark
    public Tensor precondition() {
        for (int i = 0; i < inverses.size(); i++) {
            inverses.get(i).precondition(gradients.get(i)[0], DAMPING, gradients.get(i)[1]);
        }
        return gradients.get(0)[1];
    }
}
