package org.kfac4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.MetricsFile;
import picocli.CommandLine;

/** {@code kfac4j train} and {@code compare} end to end on the fast graph task, and their one-line errors. */
class TrainingCommandsTest {

    private record Result(int code, String err) {
    }

    /** Runs the program; a gcn run that names no data trains on the synthetic graphs (fast, and always there). */
    private static Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.contains("gcn") && !all.contains("--data")) {
            all.addAll(List.of("--data", "synthetic-graphs"));
        }
        args = all.toArray(String[]::new);
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Kfac4jCommand());
        cli.setErr(new PrintWriter(err));
        int code = Kfac4jCommand.configure(cli).execute(args);
        return new Result(code, err.toString());
    }

    @Test
    void trainWritesMetricsCheckpointAndWeights(@TempDir Path dir) throws IOException {
        Result r = run("train", "--model", "gcn", "--optimizer", "kfac-expand", "--steps", "12", "--eval-every", "6",
                "--val-examples", "100", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header and two evaluations");
        assertTrue(Files.exists(dir.resolve("model.safetensors")));
        assertTrue(Files.exists(dir.resolve("checkpoint.json")));
        String layers = Files.readString(dir.resolve("kfac-layers.txt"));
        assertTrue(layers.contains("inverse") && layers.contains("eigen") && layers.contains("precondition"), layers);
    }

    @Test
    void trainAveragesWeightsOnATrainingSubset(@TempDir Path dir) throws IOException {
        // 500 graphs make 3 batches of 128 per epoch: averaging from step 3, every 2 steps (3, 5, ..., 11)
        Result r = run("train", "--model", "gcn", "--optimizer", "sgd", "--steps", "12", "--train-examples", "500",
                "--swa-start", "1", "--swa-every", "2", "--swa-lr", "0.01", "--val-examples", "100", "--out",
                dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("synthetic-graphs[:500]", org.kfac4j.train.Checkpoint.read(dir).orElseThrow().data());
        List<EvalPoint> averaged = MetricsFile.read(dir.resolve("swa-metrics.csv"));
        assertEquals(1, averaged.size());
        assertEquals(12, averaged.get(0).step());
        assertTrue(Files.size(dir.resolve("model-swa.safetensors")) > 0);
        assertError("--swa-every and --swa-lr need --swa-start", "train", "--model", "gcn", "--swa-every", "2",
                "--steps", "2", "--out", dir.resolve("a").toString());
        assertError("beyond the 12-step budget", "train", "--model", "gcn", "--steps", "12", "--train-examples",
                "500", "--swa-start", "5", "--out", dir.resolve("b").toString());
        assertError("--train-examples must be positive", "train", "--model", "gcn", "--train-examples", "0",
                "--out", dir.resolve("c").toString());
    }

    @Test
    void compareWritesTheTableAndTheCharts(@TempDir Path dir) throws IOException {
        Result r = run("compare", "--model", "gcn", "--optimizers", "adamw,kfac-reduce,kfac-reduce@b-kfac:8",
                "--steps", "10", "--eval-every", "5", "--val-examples", "100", "--set", "kfac-reduce.lr=0.02",
                "--set", "kfac-reduce@b-kfac:8.budget=0.4", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        String table = Files.readString(dir.resolve("table.md"));
        assertTrue(table.contains("| adamw | ") && table.contains("| kfac-reduce | ")
                && table.contains("| kfac-reduce@b-kfac:8 | ") && table.contains("inverse b-kfac r=8"), table);
        assertTrue(table.contains("| kfac-reduce | 10 | ") && table.contains("| kfac-reduce@b-kfac:8 | 4 | "), table);
        List<EvalPoint> shortened = MetricsFile.read(dir.resolve("kfac-reduce@b-kfac:8-seed0/metrics.csv"));
        assertEquals(4, shortened.get(shortened.size() - 1).step(), "a budget of 0.4 trains 4 of the 10 steps");
        for (String f : new String[] {"val-vs-steps.png", "val-vs-steps.svg", "val-vs-seconds.png",
                "val-vs-seconds.svg", "adamw-seed0/metrics.csv", "kfac-reduce-seed0/metrics.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        // a second call reuses the finished runs
        long before = Files.getLastModifiedTime(dir.resolve("adamw-seed0/metrics.csv")).toMillis();
        assertEquals(0, run("compare", "--model", "gcn", "--optimizers", "adamw,kfac-reduce,kfac-reduce@b-kfac:8",
                "--steps", "10", "--eval-every", "5", "--val-examples", "100", "--set", "kfac-reduce.lr=0.02",
                "--set", "kfac-reduce@b-kfac:8.budget=0.4", "--out", dir.toString()).code());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("adamw-seed0/metrics.csv")).toMillis());
    }

    @Test
    void compareMarglikRunsTheGridAndTheSelection(@TempDir Path dir) throws IOException {
        Result r = run("compare", "--model", "mlp", "--data", "synthetic-images", "--optimizers", "kfac-reduce",
                "--marglik", "--weight-decays", "0,1e-3", "--steps", "96", "--eval-every", "48", "--val-examples", "100",
                "--swa-start", "0.5", "--swa-every", "16", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        String table = Files.readString(dir.resolve("table.md"));
        assertTrue(table.contains("| weight decay 0.0 | ") && table.contains("| weight decay 0.001 | ")
                && table.contains("| marglik | ") && table.contains("against the grid's best"), table);
        assertTrue(table.contains("weight average: val. acc.") && table.lines().filter(l -> l.startsWith(
                "| marglik | ")).count() == 2, "the weight-averaging table has a row per run kind: " + table);
        // 93 batches of 128 make an epoch: the selection ran once, at step 93
        List<EvalPoint> selected = MetricsFile.read(dir.resolve("kfac-reduce-marglik-seed0/metrics.csv"));
        assertTrue(Double.isNaN(selected.get(0).priorPrecision()) && selected.get(1).priorPrecision() > 0,
                selected.toString());
        assertError("--marglik compares one all-in-one K-FAC optimiser", "compare", "--model", "mlp", "--data",
                "synthetic-images", "--optimizers", "adamw", "--marglik", "--out", dir.resolve("x").toString());
    }

    @Test
    void badInputIsOneLineNamingIt(@TempDir Path dir) throws IOException {
        assertError("unknown model 'resnet'", "train", "--model", "resnet", "--out", dir.resolve("a").toString());
        assertError("unknown optimizer 'lbfgs'", "train", "--model", "gcn", "--optimizer", "lbfgs");
        assertError("unknown inverse 'svd'", "train", "--model", "gcn", "--optimizer", "kfac-reduce@svd");
        assertError("adamw has no K-FAC inverse to choose", "train", "--model", "gcn", "--optimizer", "adamw@b-kfac");
        assertError("no train-images-idx3-ubyte(.gz) in", "train", "--model", "vit", "--data", "fashion-mnist",
                "--fashion-mnist-dir", dir.toString(), "--steps", "1");
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(corrupt.resolve(f), new byte[] {0, 0, 8, 3, 0, 0});
        }
        assertError("CorruptFileException", "train", "--model", "vit", "--data", "fashion-mnist",
                "--fashion-mnist-dir", corrupt.toString(), "--steps", "1");
        assertError("unknown hyperparameter 'beta'", "compare", "--model", "gcn", "--set", "adamw.beta=0.5");
        assertError("a budget is a fraction in (0, 1]", "compare", "--model", "gcn", "--set", "adamw.budget=1.5");
        Path run = dir.resolve("run");
        assertEquals(0, run("train", "--model", "gcn", "--optimizer", "adamw", "--steps", "2", "--val-examples", "50",
                "--out", run.toString()).code());
        assertError("is a checkpoint of model gcn on synthetic-graphs with adamw; this run is model gcn on "
                + "synthetic-graphs with sgd", "train", "--model", "gcn", "--optimizer", "sgd", "--steps", "2",
                "--resume", "--out", run.toString());
        assertError("step ", "train", "--model", "gcn", "--optimizer", "sgd", "--lr", "1e8", "--constant-lr",
                "--warmup", "0", "--steps", "300", "--out", dir.resolve("diverge").toString());
    }

    private static void assertError(String expected, String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }
}
