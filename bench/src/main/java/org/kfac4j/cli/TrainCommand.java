package org.kfac4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.Hyperparameters;
import org.kfac4j.train.OptimizerChoice;
import org.kfac4j.train.TaskData;
import org.kfac4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kfac4j train}: one model, one optimiser, one seed. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model with K-FAC or a first-order baseline; write metrics.csv, checkpoints and "
                + "model.safetensors to --out.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--optimizer", defaultValue = "kfac-reduce+adamw", paramLabel = "NAME",
            description = "kfac-expand, kfac-reduce (all-in-one K-FAC), kfac-expand+adamw, kfac-reduce+adamw (K-FAC "
                    + "preconditioning in front of AdamW), sgd (Nesterov) or adamw (default: ${DEFAULT-VALUE}). "
                    + "A K-FAC optimiser may name its inverse: KIND@INVERSE, INVERSE one of eigen (default), eigen-pi, "
                    + "cholesky, rs-kfac, b-kfac, b-r-kfac, b-kfac-c, cg, optionally with a rank (b-kfac:128; "
                    + "default 64).")
    String optimizer;

    @Mixin
    HyperparameterOptions hp;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds weights, batch order and sampling "
            + "(default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "The run's folder (default: a new folder under runs/).")
    Path out;

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Steps between checkpoints "
            + "(default: ${DEFAULT-VALUE}; one is always written at the end).")
    int checkpointEvery = 200;

    @Option(names = "--marglik", description = "Select the weight decay online (kfac-expand, kfac-reduce): every "
            + "--marglik-every epochs, the prior precision δ that maximises the K-FAC Laplace marginal likelihood on "
            + "--marglik-batches training batches sets the weight decay to δ/N; both are logged to metrics.csv.")
    boolean marglik;

    @Option(names = "--marglik-every", paramLabel = "K", description = "Epochs between selections (default: "
            + "${DEFAULT-VALUE}).")
    int marglikEvery = 1;

    @Option(names = "--marglik-batches", paramLabel = "B", description = "Training batches the marginal likelihood is "
            + "fitted on (default: ${DEFAULT-VALUE}).")
    int marglikBatches = 10;

    @Override
    public Integer call() throws IOException {
        OptimizerChoice kind = OptimizerChoice.parse(optimizer);
        TaskData task = run.task();
        Hyperparameters h = hp.apply(Hyperparameters.defaults(run.model, kind.kind()));
        long steps = run.steps(task, h.batchSize(), task.batchesPerEpoch(h.batchSize()));
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs --out (the folder of the run to continue)");
        }
        Path dir = out != null ? out : Path.of("runs", run.model + "-" + kind.cliName() + "-seed" + seed + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (marglik && (!kind.kind().isKfac() || kind.kind().hasBase())) {
            throw new IllegalArgumentException("--marglik sets the coupled weight decay of all-in-one K-FAC "
                    + "(kfac-expand, kfac-reduce), not of " + kind);
        }
        if (marglik && run.model.equals("gcn")) {
            throw new IllegalArgumentException("--marglik supports the image models (mlp, cnn, vit)");
        }
        Trainer.Config config = new Trainer.Config(run.model, kind, h, steps, seed, run.threads, run.evalEvery,
                checkpointEvery, dir, resume, marglik ? marglikEvery : 0, marglikBatches, run.swa(task, h.batchSize()));
        List<EvalPoint> points;
        try (ProgressDisplay progress = new ProgressDisplay(kind.cliName(), System.out)) {
            points = Trainer.run(config, task, progress);
        }
        EvalPoint last = points.get(points.size() - 1);
        System.out.printf(Locale.ROOT, "done: %d steps in %.1f s of training (%.1f ms/step); validation accuracy "
                        + "%.4f, loss %.4f; metrics, checkpoint, model.safetensors (and for K-FAC kfac-layers.txt) in "
                        + "%s%n", last.step(), last.trainSeconds(), 1e3 * last.trainSeconds() / last.step(),
                last.valAccuracy(), last.valLoss(), dir);
        return 0;
    }
}
