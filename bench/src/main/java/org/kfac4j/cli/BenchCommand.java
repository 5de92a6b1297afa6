package org.kfac4j.cli;

import static org.kfac4j.cli.AlternatingRounds.median;
import static org.kfac4j.cli.AlternatingRounds.pause;
import static org.kfac4j.cli.AlternatingRounds.ratios;

import java.util.ArrayList;
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
 * A quick kernel self-check: verifies sgemm and dgemm (or the factor product AᵀA) against sampled dot products, then
 * times them and prints GFLOP/s beside the FMA peak measured on this machine. With {@code --compare-openblas} the two
 * libraries are timed in alternating rounds in this one JVM and the ratio is the median of the rounds' ratios: on a
 * shared VM whose speed drifts by tens of percent within minutes, numbers taken minutes apart (as JMH's forks are) do
 * not compare, while two calls a few hundred milliseconds apart do. For the full grid use the JMH suite
 * ({@code bench/target/benchmarks.jar}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Check and time the GEMM kernels; print GFLOP/s beside this machine's measured FMA peak.")
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--size"}, description = "Matrix order n of C (default: ${DEFAULT-VALUE}).")
    int n = 1024;

    /** What is timed. */
    enum Op { gemm, syrk }

    @Option(names = "--op", description = "gemm (C = A·B, all n × n) or syrk (C = AᵀA, A of --rows × n) "
            + "(default: ${DEFAULT-VALUE}).")
    Op op = Op.gemm;

    @Option(names = "--rows", description = "Rows of A for --op syrk (default: ${DEFAULT-VALUE}).")
    int rows = 8192;

    @Option(names = "--threads", description = "Thread count timed beside one thread (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", description = "Timing budget per measurement (default: ${DEFAULT-VALUE}).")
    double seconds = 1.5;

    @Option(names = "--warmup", description = "Warm-up before each measurement, in seconds: the Vector API "
            + "kernels run many times slower until C2 has compiled them (default: ${DEFAULT-VALUE}).")
    double warmup = 2;

    @Option(names = "--compare-openblas", description = "Also time OpenBLAS (libopenblas0-pthread) when installed, "
            + "in alternating rounds with kfac4j, and print kfac4j's speed relative to it.")
    boolean openblas;

    @Option(names = "--rounds", description = "Alternating rounds with --compare-openblas, each of --seconds per "
            + "library (default: ${DEFAULT-VALUE}).")
    int rounds = 7;

    @Override
    public Integer call() {
        if (n < 1 || rows < 1 || threads < 1 || rounds < 1 || !(seconds > 0) || !(warmup >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--size, --rows, --threads, --rounds and --seconds must be positive, --warmup not negative");
        }
        System.out.printf(Locale.ROOT, "kfac4j kernels: %s; JVM %s; %d cores%n", SimdBackend.selected(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        double peak = FmaPeak.gflopsPerThread(500);
        System.out.printf(Locale.ROOT, "measured f32 FMA peak: %.1f GFLOP/s per core (f64: half)%n%n", peak);
        System.out.printf(Locale.ROOT, "%-10s %-5s %-12s %7s %9s %10s %8s %12s%n",
                "impl", "prec", "shape", "threads", "ms/op", "GFLOP/s", "of peak", "vs openblas");
        for (String precision : new String[] {"f32", "f64"}) {
            boolean f32 = precision.equals("f32");
            Operands operands = op == Op.syrk ? Operands.gram(f32, rows, n, 7) : Operands.product(f32, n, n, n, 7);
            String shape = op == Op.syrk ? "AᵀA " + rows + "×" + n : "n=" + n;
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                List<String> impls = new ArrayList<>(List.of("kfac4j"));
                List<MatMul> libs = new ArrayList<>(List.of(Backends.create("kfac4j", operands, t)));
                if (openblas) {
                    try {
                        libs.add(Backends.create("openblas", operands, t));
                        impls.add("openblas");
                    } catch (Backends.Unavailable e) {
                        System.out.println(e.getMessage());
                    }
                }
                for (int i = 0; i < libs.size(); i++) {
                    libs.get(i).run();
                    operands.verify(impls.get(i), libs.get(i).result());
                    warm(libs.get(i));
                }
                double[][] ms = new double[libs.size()][libs.size() == 1 ? 1 : rounds];
                for (int r = 0; r < ms[0].length; r++) {
                    for (int i = 0; i < libs.size(); i++) {
                        if (libs.size() > 1) {
                            pause();
                        }
                        ms[i][r] = time(libs.get(i));
                    }
                }
                double ceiling = peak * t * (f32 ? 1 : 0.5);
                for (int i = 0; i < libs.size(); i++) {
                    double median = median(ms[i]);
                    double gflops = operands.flops() / (median * 1e6);
                    String versus = "";
                    if (libs.size() > 1 && i == 0) {
                        double[] ratios = ratios(ms[0], ms[1]);
                        versus = String.format(Locale.ROOT, "%.2fx", median(ratios));
                    }
                    System.out.printf(Locale.ROOT, "%-10s %-5s %-12s %7d %9.2f %10.1f %7.0f%% %12s%n",
                            impls.get(i), precision, shape, t, median, gflops, 100 * gflops / ceiling, versus);
                }
            }
        }
        return 0;
    }

    private void warm(MatMul mm) {
        long start = System.nanoTime();
        do {
            mm.run();
        } while (System.nanoTime() - start < warmup * 1e9);
    }

    /** Median milliseconds per call within the budget of one measurement. */
    private double time(MatMul mm) {
        long budget = (long) (seconds * 1e9);
        List<Double> samples = new ArrayList<>();
        long start = System.nanoTime();
        while (samples.size() < 3 || (System.nanoTime() - start < budget && samples.size() < 1000)) {
            long t0 = System.nanoTime();
            mm.run();
            samples.add((System.nanoTime() - t0) / 1e6);
        }
        return median(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
