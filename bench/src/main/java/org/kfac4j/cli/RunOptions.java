package org.kfac4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.kfac4j.nn.data.FashionMnist;
import org.kfac4j.train.ModelChoice;
import org.kfac4j.train.Swa;
import org.kfac4j.train.TaskData;
import org.kfac4j.train.Tasks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What {@code train} and {@code compare} share: the model, the data, the budget and the machine. */
final class RunOptions {
    @Option(names = "--model", defaultValue = "vit", paramLabel = "NAME",
            description = "mlp, cnn, vit or gcn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", paramLabel = "NAME", description = "fashion-mnist, synthetic-images, "
            + "fashion-mnist-graphs (the Fashion-MNIST images as region adjacency graphs of their superpixels, for gcn) "
            + "or synthetic-graphs (default: Fashion-MNIST, as images or for gcn as graphs, when its files are present, "
            + "otherwise the synthetic set, saying so).")
    String data;

    @Option(names = "--fashion-mnist-dir", paramLabel = "DIR", description = "Where the Fashion-MNIST IDX files are "
            + "(default: ${DEFAULT-VALUE}, Debian's dataset-fashion-mnist).")
    Path fashionMnistDir = FashionMnist.DEFAULT_DIRECTORY;

    @ArgGroup(exclusive = true)
    Budget budget = new Budget();

    static final class Budget {
        @Option(names = "--steps", paramLabel = "N", description = "Steps to train.")
        Long steps;

        @Option(names = "--epochs", paramLabel = "E", description = "Epochs to train (full batches only).")
        Double epochs;
    }

    @Option(names = "--threads", paramLabel = "T", description = "Kernel threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between validation evaluations "
            + "(default: ${DEFAULT-VALUE}).")
    int evalEvery = 25;

    @Option(names = "--val-examples", paramLabel = "N", description = "Validation examples (the first N of the "
            + "test split; default: ${DEFAULT-VALUE}).")
    int validationExamples = 2000;

    @Option(names = "--train-examples", paramLabel = "N", description = "Train on the first N examples of the "
            + "training split only (default: all of it).")
    int trainExamples = Integer.MAX_VALUE;

    @Option(names = "--swa-start", paramLabel = "E", description = "Stochastic weight averaging: average the weights "
            + "after epoch E and every --swa-every steps after it; at the end, evaluate the average with its "
            + "BatchNorm statistics recomputed (swa-metrics.csv, model-swa.safetensors). Default: no averaging.")
    Double swaStart;

    @Option(names = "--swa-every", paramLabel = "N", description = "Steps between averaged snapshots (default: one "
            + "epoch).")
    Long swaEvery;

    @Option(names = "--swa-lr", paramLabel = "η", description = "Constant learning rate from --swa-start on "
            + "(default: the run's schedule continues).")
    Double swaLearningRate;

    /** The weight averaging the --swa-* options ask for, in steps of {@code batchSize} on {@code task}. */
    Swa swa(TaskData task, int batchSize) {
        if (swaStart == null) {
            if (swaEvery != null || swaLearningRate != null) {
                throw new IllegalArgumentException("--swa-every and --swa-lr need --swa-start (the epoch averaging "
                        + "starts after)");
            }
            return Swa.OFF;
        }
        if (!(swaStart >= 0) || Double.isInfinite(swaStart)) {
            throw new IllegalArgumentException("--swa-start must be an epoch >= 0, got " + swaStart);
        }
        int perEpoch = task.batchesPerEpoch(batchSize);
        long every = swaEvery != null ? swaEvery : perEpoch;
        if (every <= 0) {
            throw new IllegalArgumentException("--swa-every must be positive, got " + every);
        }
        return new Swa(Math.max(1, Math.round(swaStart * perEpoch)), every,
                swaLearningRate == null ? Double.NaN : swaLearningRate);
    }

    /** Loads the data, saying so when the default falls back to the synthetic set. */
    TaskData task() throws IOException {
        if (!ModelChoice.NAMES.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "' (one of " + ModelChoice.NAMES + ")");
        }
        String name = data;
        if (name == null) {
            name = Tasks.defaultFor(model, fashionMnistDir);
            if (name.startsWith("synthetic-")) {
                System.err.println("kfac4j: no Fashion-MNIST in " + fashionMnistDir + " (Debian package "
                        + "dataset-fashion-mnist); training on " + name + " instead");
            }
        }
        return Tasks.load(name, model, fashionMnistDir, trainExamples, validationExamples);
    }

    /** The step budget: --steps, or --epochs of full batches, or {@code defaultSteps}. */
    long steps(TaskData task, int batchSize, long defaultSteps) {
        if (budget.steps != null) {
            if (budget.steps <= 0) {
                throw new IllegalArgumentException("--steps must be positive, got " + budget.steps);
            }
            return budget.steps;
        }
        if (budget.epochs != null) {
            if (!(budget.epochs > 0)) {
                throw new IllegalArgumentException("--epochs must be positive, got " + budget.epochs);
            }
            return Math.max(1, Math.round(budget.epochs * task.batchesPerEpoch(batchSize)));
        }
        return defaultSteps;
    }
}
