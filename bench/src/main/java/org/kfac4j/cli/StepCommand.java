package org.kfac4j.cli;

import static org.kfac4j.cli.AlternatingRounds.median;
import static org.kfac4j.cli.AlternatingRounds.pause;
import static org.kfac4j.cli.AlternatingRounds.ratios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kfac4j.bench.training.TrainStepBench;
import org.kfac4j.linalg.SimdBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the training step of a bench model ({@link TrainStepBench}'s: zero the gradients, forward, cross-entropy,
 * backward), and with {@code --compare-pytorch} the same model in PyTorch ({@code bench/pytorch_train_step.py
 * --serve}, a process that stays warm), in alternating rounds: the ratio is the median of the rounds' ratios, which a
 * VM whose speed drifts by tens of percent within minutes leaves far less disturbed than two runs minutes apart.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = "Time a bench model's training step (batch 128, f32), optionally against PyTorch in "
                + "alternating rounds.")
final class StepCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "mlp, cnn, vit or gcn (default: ${DEFAULT-VALUE}).")
    String model = "cnn";

    @Option(names = "--threads", description = "Threads, on both sides (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--rounds", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 7;

    @Option(names = "--seconds", description = "Seconds of steps per round and side (default: ${DEFAULT-VALUE}).")
    double seconds = 3;

    @Option(names = "--warmup", description = "Warm-up seconds per side before the rounds: the layers reach C2 "
            + "speed only after ~10 s (default: ${DEFAULT-VALUE}).")
    double warmup = 12;

    @Option(names = "--compare-pytorch", description = "Also time PyTorch (Debian: apt-get install python3-torch "
            + "libopenblas0-pthread) in alternating rounds and print kfac4j's speed relative to it.")
    boolean pytorch;

    @Option(names = "--python", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--pytorch-script", description = "The PyTorch side (default: bench/pytorch_train_step.py of "
            + "this checkout).")
    Path script;

    @Override
    public Integer call() throws Exception {
        if (!List.of("mlp", "cnn", "vit", "gcn").contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model must be one of mlp, cnn, vit, gcn, got " + model);
        }
        if (threads < 1 || batch < 1 || rounds < 1 || !(seconds > 0) || !(warmup >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads, --batch, --rounds and --seconds must be positive, --warmup not negative");
        }
        System.out.printf(Locale.ROOT, "training step of %s, batch %d, f32, %d thread%s; kfac4j on %s, JVM %s%n",
                model, batch, threads, threads == 1 ? "" : "s", SimdBackend.selected(), Runtime.version());
        TrainStepBench step = new TrainStepBench();
        step.model = model;
        step.threads = threads;
        step.batch = batch;
        step.precision = "f32";
        step.setUp(); // also checks the initial loss
        try (PyTorch torch = pytorch ? PyTorch.start(python, script(), model, threads, batch, warmup) : null) {
            timeSteps(step, warmup, 1);
            double[][] ms = new double[2][rounds];
            System.out.printf(Locale.ROOT, "%5s %12s%s%n", "round", "kfac4j ms",
                    torch != null ? "   PyTorch ms  ratio" : "");
            for (int r = 0; r < rounds; r++) {
                ms[0][r] = timeSteps(step, seconds, 3);
                if (torch != null) {
                    pause();
                    ms[1][r] = torch.time(seconds);
                    pause();
                    System.out.printf(Locale.ROOT, "%5d %12.2f %12.2f %6.2fx%n", r + 1, ms[0][r], ms[1][r],
                            ms[1][r] / ms[0][r]);
                } else {
                    System.out.printf(Locale.ROOT, "%5d %12.2f%n", r + 1, ms[0][r]);
                }
            }
            System.out.printf(Locale.ROOT, "kfac4j: %.2f ms per step (median of the rounds)%n", median(ms[0]));
            if (torch != null) {
                double[] ratios = ratios(ms[0], ms[1]);
                double[] sorted = ratios.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "PyTorch %s: %.2f ms per step%nkfac4j speed vs PyTorch: %.2fx (median "
                                + "of the rounds' ratios; range %.2f-%.2f)%n", torch.version, median(ms[1]),
                        median(ratios), sorted[0], sorted[rounds - 1]);
            }
        } finally {
            step.tearDown();
        }
        return 0;
    }

    /** The PyTorch script: given, or beside this jar's module ({@code bench/target/kfac4j.jar → bench/}). */
    private Path script() throws URISyntaxException {
        if (script != null) {
            return script;
        }
        Path jar = Path.of(StepCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().resolveSibling("pytorch_train_step.py");
    }

    /** Median ms per step over steps run for {@code secs} seconds, at least {@code atLeast} of them. */
    private static double timeSteps(TrainStepBench step, double secs, int atLeast) {
        long end = System.nanoTime() + (long) (secs * 1e9);
        double[] samples = new double[16];
        int n = 0;
        while (n < atLeast || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            step.step();
            if (n == samples.length) {
                samples = Arrays.copyOf(samples, 2 * n);
            }
            samples[n++] = (System.nanoTime() - t0) / 1e6;
        }
        return median(Arrays.copyOf(samples, n));
    }

    /** The PyTorch side: the script in its serving mode, one request per round. */
    private static final class PyTorch implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;
        final String version;

        private PyTorch(Process process, BufferedReader out, String version) {
            this.process = process;
            this.out = out;
            this.in = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
            this.version = version;
        }

        static PyTorch start(String python, Path script, String model, int threads, int batch, double warmup)
                throws IOException {
            if (!Files.isRegularFile(script)) {
                throw new IOException("the PyTorch side " + script + " is missing (pass --pytorch-script)");
            }
            ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--serve", "--models", model,
                    "--threads", Integer.toString(threads), "--batch", Integer.toString(batch),
                    "--seconds", Double.toString(warmup));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT); // torch's import error, if any, reaches the user
            Process process = pb.start();
            BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
            String first = out.readLine();
            if (first == null || !first.startsWith("ready")) {
                process.destroyForcibly();
                throw new IOException("the PyTorch side (" + python + " " + script + ") did not start; on Debian: "
                        + "apt-get install python3-torch libopenblas0-pthread (first line: " + first + ")");
            }
            return new PyTorch(process, out, first.substring("ready".length()).strip());
        }

        /** PyTorch's median ms per step over {@code seconds} of steps. */
        double time(double seconds) throws IOException {
            in.println(String.format(Locale.ROOT, "time %.3f", seconds));
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the PyTorch side ended unexpectedly");
            }
            return Double.parseDouble(line.split(" ")[0]);
        }

        @Override
        public void close() {
            in.println("quit");
            in.close();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
