package org.kfac4j.bench.kernels;

import java.util.concurrent.TimeUnit;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.bench.impl.CholeskyFactorization;
import org.kfac4j.bench.impl.CholeskyProblem;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cholesky factorisation of a symmetric positive definite n×n matrix. GFLOP/s = (n³/3) / time. Every
 * implementation's L is checked against A = L·Lᵀ at sampled positions before it is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class CholeskyBench {

    @Param({"f32", "f64"})
    public String precision;

    @Param({"256", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "ejml", "ojalgo", "lapack"})
    public String impl;

    private CholeskyFactorization chol;

    @Setup(Level.Trial)
    public void setUp() {
        CholeskyProblem problem = CholeskyProblem.random("f32".equals(precision), n, 42);
        chol = Backends.cholesky(impl, problem, threads);
        chol.run();
        problem.verify(impl, chol);
    }

    @Benchmark
    public void factor() {
        chol.run();
    }
}
