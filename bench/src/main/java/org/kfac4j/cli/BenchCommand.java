package org.kfac4j.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.bench.impl.MatMul;
import org.kfac4j.bench.impl.Operands;
import org.kfac4j.bench.kernels.FmaPeak;
import org.kfac4j.linalg.SimdBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A quick kernel self-check: verifies sgemm and dgemm against sampled dot products, then times them and
 * prints GFLOP/s beside the FMA peak measured on this machine. For comparable numbers use the JMH suite
 * ({@code bench/target/benchmarks.jar}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Check and time the GEMM kernels; print GFLOP/s beside this machine's measured FMA peak.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-n", "--size"}, description = "Matrix order n of C = A·B (default: ${DEFAULT-VALUE}).")
    int n = 1024;

    @Option(names = "--threads", description = "Thread count timed beside one thread (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", description = "Timing budget per measurement (default: ${DEFAULT-VALUE}).")
    double seconds = 1.5;

    @Option(names = "--warmup", description = "Warm-up before each measurement, in seconds: the Vector API "
            + "kernels run many times slower until C2 has compiled them (default: ${DEFAULT-VALUE}).")
    double warmup = 2;

    @Option(names = "--compare-openblas", description = "Also time OpenBLAS (libopenblas0-pthread) when installed.")
    boolean openblas;

    @Override
    public Integer call() {
        if (n < 1 || threads < 1 || !(seconds > 0) || !(warmup >= 0)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--size, --threads and --seconds must be positive, --warmup not negative");
        }
        System.out.printf(Locale.ROOT, "kfac4j kernels: %s; JVM %s; %d cores%n", SimdBackend.selected(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        double peak = FmaPeak.gflopsPerThread(500);
        System.out.printf(Locale.ROOT, "measured f32 FMA peak: %.1f GFLOP/s per core (f64: half)%n%n", peak);
        System.out.printf(Locale.ROOT, "%-10s %-5s %5s %7s %9s %10s %8s%n",
                "impl", "prec", "n", "threads", "ms/op", "GFLOP/s", "of peak");
        for (String precision : new String[] {"f32", "f64"}) {
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                for (String impl : openblas ? new String[] {"kfac4j", "openblas"} : new String[] {"kfac4j"}) {
                    Operands op = Operands.product(precision.equals("f32"), n, n, n, 7);
                    MatMul mm;
                    try {
                        mm = Backends.create(impl, op, t);
                    } catch (Backends.Unavailable e) {
                        System.out.println(e.getMessage());
                        continue;
                    }
                    double ms = time(mm);
                    op.verify(impl, mm.result());
                    double gflops = op.flops() / (ms * 1e6);
                    double ceiling = peak * t * (precision.equals("f32") ? 1 : 0.5);
                    System.out.printf(Locale.ROOT, "%-10s %-5s %5d %7d %9.2f %10.1f %7.0f%%%n",
                            impl, precision, n, t, ms, gflops, 100 * gflops / ceiling);
                }
            }
        }
        return 0;
    }

    /** Median milliseconds per call after the warm-up. */
    private double time(MatMul mm) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        do {
            mm.run();
        } while (System.nanoTime() - start < warmup * 1e9);
        List<Double> samples = new ArrayList<>();
        start = System.nanoTime();
        while (samples.size() < 3 || (System.nanoTime() - start < budget && samples.size() < 1000)) {
            long t0 = System.nanoTime();
            mm.run();
            samples.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(samples);
        return samples.get(samples.size() / 2);
    }
}
