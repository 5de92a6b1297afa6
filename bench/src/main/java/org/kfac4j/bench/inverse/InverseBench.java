package org.kfac4j.bench.inverse;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.kfac.InverseStrategy;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.kfac.factor.FactorAccumulator;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The inverse strategies on one square layer (d × d weight, float32 factors as in training, n-row batch terms with a
 * decaying spectrum, rank r):
 * <ul>
 *   <li>{@code refresh}: what keeps the inverse current after a new batch, for both factors — eigen and rs-kfac:
 *       the decompositions of the formed factors; b-kfac: the two Brand updates; b-r-kfac: Brand updates plus the
 *       RS-KFAC recomputation of an inverse-update step; b-kfac-c: Brand updates plus the Rayleigh–Ritz correction;
 *       cg: copying the factors;</li>
 *   <li>{@code precondition}: one application to a d × d gradient (cg: a solve from the previous gradient's
 *       solution, four gradients in turn, tolerance 1e-2, at most 50 iterations);</li>
 *   <li>{@code accumulate}: folding one n-row batch term into a formed d × d factor (SYRK), which every strategy but
 *       b-kfac pays at each factor update on top of {@code refresh} (run it with one strategy).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class InverseBench {
    @Param({"eigen", "rs-kfac", "b-kfac", "b-r-kfac", "b-kfac-c", "cg"})
    public String strategy;

    @Param({"256", "1024", "4096"})
    public int d;

    @Param({"128"})
    public int n;

    @Param({"64"})
    public int r;

    @Param({"2"})
    public int threads;

    private static final double RHO = 0.95;
    private static final double DAMPING = 1e-3;

    private Linalg linalg;
    private FactorInverse inverse;
    private Tensor a;
    private Tensor g;
    private BatchTerm[] terms;
    private Tensor[] gradients;
    private Tensor out;
    private int next;

    @Setup
    public void setUp() {
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        SplittableRandom rng = new SplittableRandom(d);
        terms = new BatchTerm[8];
        for (int t = 0; t < terms.length; t++) {
            terms[t] = new BatchTerm(List.of(rows(rng)), 1.0 / n);
        }
        a = Tensor.zeros(DType.F32, d, d);
        g = Tensor.zeros(DType.F32, d, d);
        InverseStrategy parsed = InverseStrategy.parse(strategy.equals("cg") || strategy.equals("eigen") ? strategy
                : strategy + ":" + r);
        inverse = parsed.newInverse(linalg, DType.F32, "layer", d, d, 1);
        // a steady state: the moving averages of 20 batches, the online spectra filled
        for (int t = 0; t < 20; t++) {
            observe(t == 0 ? 0 : RHO);
        }
        inverse.update(a, g, DAMPING);
        gradients = new Tensor[4];
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = rows(rng).zeros(d, d);
            for (int j = 0; j < gradients[i].size(); j++) {
                gradients[i].set(j, rng.nextGaussian());
            }
        }
        out = Tensor.zeros(DType.F32, d, d);
    }

    /** n rows whose covariance decays like 0.98^j along the coordinates. */
    private Tensor rows(SplittableRandom rng) {
        Tensor x = Tensor.zeros(DType.F32, n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.set(i * d + j, rng.nextGaussian() * Math.pow(0.98, j / 2.0));
            }
        }
        return x;
    }

    private void observe(double rho) {
        BatchTerm term = terms[next++ % terms.length];
        inverse.prepare(term, term);
        if (inverse.readsA()) {
            FactorAccumulator.fold(linalg, term, rho, a);
        }
        if (inverse.readsG()) {
            FactorAccumulator.fold(linalg, term, rho, g);
        }
        inverse.observe(term, term, rho);
    }

    @Benchmark
    public FactorInverse refresh() {
        BatchTerm term = terms[next++ % terms.length];
        inverse.observe(term, term, RHO);
        inverse.update(a, g, DAMPING);
        return inverse;
    }

    @Benchmark
    public Tensor precondition() {
        inverse.precondition(gradients[next++ % gradients.length], DAMPING, out);
        return out;
    }

    @Benchmark
    public Tensor accumulate() {
        FactorAccumulator.fold(linalg, terms[next++ % terms.length], RHO, a);
        return a;
    }

    @TearDown
    public void tearDown() {
        linalg.close();
    }
}
