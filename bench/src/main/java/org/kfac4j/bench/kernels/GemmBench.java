package org.kfac4j.bench.kernels;

import java.util.concurrent.TimeUnit;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.bench.impl.MatMul;
import org.kfac4j.bench.impl.Operands;
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
 * C = A·B for square n×n row-major operands, α = 1, β = 0. GFLOP/s = 2n³ / (time per op); the
 * {@code jmh-table.py} script beside this module's README prints them with ratios to OpenBLAS.
 * Every implementation's result is checked against sampled dot products before it is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class GemmBench {

    @Param({"f32", "f64"})
    public String precision;

    @Param({"64", "128", "256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "vectorblas", "ejml", "ojalgo", "openblas"})
    public String impl;

    private MatMul matMul;

    @Setup(Level.Trial)
    public void setUp() {
        Operands op = Operands.product("f32".equals(precision), n, n, n, 42);
        matMul = Backends.create(impl, op, threads);
        matMul.run();
        op.verify(impl, matMul.result());
    }

    @Benchmark
    public void gemm() {
        matMul.run();
    }
}
