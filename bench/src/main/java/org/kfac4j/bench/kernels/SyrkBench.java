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
 * The K-FAC factor product C = AᵀA for A of {@code rows} × {@code dim} (8192 samples of activations).
 * GFLOP/s counts the n²·rows flops of a triangle-only SYRK for every implementation (EJML computes
 * the full product, as a user of that library would).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class SyrkBench {

    @Param({"f32", "f64"})
    public String precision;

    @Param({"8192"})
    public int rows;

    @Param({"256", "1024"})
    public int dim;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "vectorblas", "ejml", "openblas"})
    public String impl;

    private MatMul matMul;

    @Setup(Level.Trial)
    public void setUp() {
        Operands op = Operands.gram("f32".equals(precision), rows, dim, 42);
        matMul = Backends.create(impl, op, threads);
        matMul.run();
        op.verify(impl, matMul.result());
    }

    @Benchmark
    public void syrk() {
        matMul.run();
    }
}
