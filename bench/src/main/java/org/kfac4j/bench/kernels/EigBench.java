package org.kfac4j.bench.kernels;

import java.util.concurrent.TimeUnit;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.bench.impl.EigenProblem;
import org.kfac4j.bench.impl.Eigensolver;
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
 * All eigenvalues and eigenvectors of a random symmetric n×n matrix (entries in [-1, 1)). Every implementation is
 * checked before it is timed: eigenvalues against kfac4j's in double, and residual, norm and orthogonality of
 * sampled eigenvectors against the definition (see {@link EigenProblem#verify}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms6g", "-Xmx6g"})
public class EigBench {

    @Param({"f32", "f64"})
    public String precision;

    @Param({"64", "128", "256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "ejml", "ojalgo", "lapack"})
    public String impl;

    private Eigensolver solver;

    @Setup(Level.Trial)
    public void setUp() {
        EigenProblem problem = EigenProblem.random("f32".equals(precision), n, 42);
        Eigensolver reference = Backends.eigensolver("kfac4j", EigenProblem.random(false, n, 42), 1);
        reference.run();
        solver = Backends.eigensolver(impl, problem, threads);
        solver.run();
        problem.verify(impl, solver, reference.values());
    }

    @Benchmark
    public void decompose() {
        solver.run();
    }
}
