package org.kfac4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kfac4j.kfac.NonFiniteFactorException;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.loss.NonFiniteOutputException;
import org.kfac4j.nn.model.BatchNormRecount;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.model.WeightAverage;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Trains one model with one optimiser on one task: shuffled batches, evaluation on the validation split every
 * {@code evalEvery} steps (and after the last), the metrics file, checkpoints and resume, and optionally weight
 * averaging ({@link Swa}: {@value #SWA_METRICS} and {@value #SWA_WEIGHTS}). Training time is measured over the steps
 * alone. Results depend only on the configuration (seed included), not on the thread count, and a resumed run
 * continues the trajectory of an uninterrupted one.
 */
public final class Trainer {
    private static final CrossEntropy LOSS = CrossEntropy.mean();
    /** The evaluation of the averaged weights, in the metrics file's format (train loss and accuracy NaN). */
    public static final String SWA_METRICS = "swa-metrics.csv";
    /** The averaged weights, with their recomputed BatchNorm statistics. */
    public static final String SWA_WEIGHTS = "model-swa.safetensors";

    /**
     * A run's configuration.
     *
     * @param model           {@link ModelChoice} name
     * @param optimizer       the optimiser
     * @param hp              its hyperparameters
     * @param steps           the step budget
     * @param seed            seeds the weights, the batch order and K-FAC's sampling
     * @param threads         kernel threads
     * @param evalEvery       steps between evaluations
     * @param checkpointEvery steps between checkpoints (0: only at the end)
     * @param out             the run's folder: metrics.csv, checkpoint, model.safetensors
     * @param resume          continue from the checkpoint in {@code out}
     * @param marglikEvery    epochs between selections of the prior precision by the Laplace evidence (0: never)
     * @param marglikBatches  training batches the evidence is fitted on
     * @param swa             weight averaging ({@link Swa#OFF}: none)
     */
    public record Config(String model, OptimizerChoice optimizer, Hyperparameters hp, long steps, long seed,
                         int threads, int evalEvery, int checkpointEvery, Path out, boolean resume, int marglikEvery,
                         int marglikBatches, Swa swa) {
        public Config {
            if (steps <= 0 || evalEvery <= 0 || checkpointEvery < 0 || threads <= 0) {
                throw new IllegalArgumentException("need steps, eval interval and threads > 0 and checkpoint interval "
                        + ">= 0; got " + steps + ", " + evalEvery + ", " + threads + ", " + checkpointEvery);
            }
            if (marglikEvery < 0 || marglikEvery > 0 && marglikBatches <= 0) {
                throw new IllegalArgumentException("need --marglik-every >= 0 and --marglik-batches > 0, got "
                        + marglikEvery + ", " + marglikBatches);
            }
            Objects.requireNonNull(swa, "swa");
            if (swa.on() && swa.start() > steps) {
                throw new IllegalArgumentException("weight averaging starts after step " + swa.start() + ", beyond the "
                        + steps + "-step budget");
            }
        }

        /** A run without weight averaging. */
        public Config(String model, OptimizerChoice optimizer, Hyperparameters hp, long steps, long seed, int threads,
                      int evalEvery, int checkpointEvery, Path out, boolean resume, int marglikEvery,
                      int marglikBatches) {
            this(model, optimizer, hp, steps, seed, threads, evalEvery, checkpointEvery, out, resume, marglikEvery,
                    marglikBatches, Swa.OFF);
        }

        /** A run without hyperparameter selection. */
        public Config(String model, OptimizerChoice optimizer, Hyperparameters hp, long steps, long seed, int threads,
                      int evalEvery, int checkpointEvery, Path out, boolean resume) {
            this(model, optimizer, hp, steps, seed, threads, evalEvery, checkpointEvery, out, resume, 0, 0, Swa.OFF);
        }
    }

    /** What a run reports as it goes (the progress display); every method is optional. */
    public interface Listener {
        default void started(Config config, TaskData task, long fromStep) {
        }

        default void stepped(long stepsTaken, double loss, double trainSeconds) {
        }

        default void evaluated(EvalPoint point) {
        }

        /** The evaluation of the average of {@code snapshots} weights, after the last step. */
        default void averaged(EvalPoint point, long snapshots) {
        }
    }

    private Trainer() {
    }

    /** Runs {@code config} on {@code task}; returns every evaluation (those before a resume included). */
    public static List<EvalPoint> run(Config config, TaskData task, Listener listener) throws IOException {
        Files.createDirectories(config.out());
        try (Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(config.threads()))) {
            return new Run(config, task, listener, linalg).train();
        }
    }

    private static final class Run {
        private final Config config;
        private final TaskData task;
        private final Listener listener;
        private final Linalg linalg;
        private final Model model;
        private final TrainingStep optimizer;
        private final List<StepBatch> validation;
        private final WeightAverage average;
        private long step;
        private double trainSeconds;
        private String lastCheckpoint = "none (no checkpoint was written yet)";

        Run(Config config, TaskData task, Listener listener, Linalg linalg) {
            this.config = config;
            this.task = task;
            this.listener = listener;
            this.linalg = linalg;
            this.model = ModelChoice.build(config.model(), config.seed(), task.classes());
            this.optimizer = TrainingStep.create(config.optimizer(), config.hp(),
                    config.swa().learningRate(config.hp().schedule(config.steps())), model, linalg, config.seed());
            this.average = config.swa().on() ? new WeightAverage(model) : null;
            this.validation = task.validation(256);
        }

        List<EvalPoint> train() throws IOException {
            Path out = config.out();
            if (config.resume()) {
                Checkpoint c = Checkpoint.read(out).orElseThrow(() -> new IllegalArgumentException(
                        "--resume: " + out + " holds no " + Checkpoint.MANIFEST));
                c.checkMatches(config.model(), task.name(), config.optimizer().cliName(), config.seed(), config.steps(),
                        config.swa().describe(), out);
                c.restore(out, model, optimizer, average);
                step = c.step();
                trainSeconds = c.trainSeconds();
                lastCheckpoint = out.resolve(Checkpoint.MANIFEST) + " (step " + step + ")";
            } else if (Files.exists(out.resolve(Checkpoint.MANIFEST))) {
                throw new IllegalArgumentException(out + " already holds a run's checkpoint: pass --resume to "
                        + "continue it, or choose another --out");
            }
            listener.started(config, task, step);
            int perEpoch = task.batchesPerEpoch(config.hp().batchSize());
            if (perEpoch == 0) {
                throw new IllegalArgumentException(task.name() + " has " + task.trainSize() + " training examples, "
                        + "fewer than one batch of " + config.hp().batchSize());
            }
            try (MetricsFile metrics = MetricsFile.open(out.resolve("metrics.csv"), step)) {
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                int epoch = (int) (step / perEpoch);
                Iterator<StepBatch> batches = task.epoch(epoch, config.hp().batchSize(), config.seed());
                for (long skip = step % perEpoch; skip > 0; skip--) {
                    batches.next();
                }
                while (step < config.steps()) {
                    if (!batches.hasNext()) {
                        batches = task.epoch(++epoch, config.hp().batchSize(), config.seed());
                    }
                    StepBatch batch = batches.next();
                    long start = System.nanoTime();
                    TrainingStep.Outcome o = guardedStep(batch);
                    trainSeconds += (System.nanoTime() - start) * 1e-9;
                    step++;
                    lossSum += o.loss() * batch.size();
                    correct += o.correct();
                    seen += batch.size();
                    listener.stepped(step, o.loss(), trainSeconds);
                    if (config.swa().snapshotAfter(step)) {
                        average.add();
                    }
                    if (config.marglikEvery() > 0 && step % ((long) config.marglikEvery() * perEpoch) == 0) {
                        selectPriorPrecision(perEpoch);
                    }
                    if (step % config.evalEvery() == 0 || step == config.steps()) {
                        EvalPoint p = evaluate((double) step / perEpoch, lossSum / seen, (double) correct / seen);
                        metrics.append(p);
                        listener.evaluated(p);
                        lossSum = 0;
                        correct = 0;
                        seen = 0;
                    }
                    if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0
                            || step == config.steps()) {
                        checkpoint();
                    }
                }
            }
            ModelWeights.save(model, out.resolve("model.safetensors"), Map.of("model", config.model(),
                    "optimizer", config.optimizer().cliName(), "steps", Long.toString(step)));
            String report = optimizer.report();
            if (!report.isEmpty()) {
                Files.writeString(out.resolve("kfac-layers.txt"), report, StandardCharsets.UTF_8);
            }
            if (average != null && average.count() > 0) {
                evaluateAverage();
            }
            return MetricsFile.read(out.resolve("metrics.csv"));
        }

        /**
         * Writes the weight average into the model, recomputes its BatchNorm statistics over one pass of the training
         * data (a fixed shuffle), evaluates it and saves it. The recount's time is added to the training time.
         */
        private void evaluateAverage() throws IOException {
            long start = System.nanoTime();
            average.writeInto();
            try (BatchNormRecount recount = BatchNormRecount.begin(model)) {
                if (recount.needed()) {
                    Iterator<StepBatch> it = task.epoch(0, config.hp().batchSize(), config.seed() ^ 0x5A4AL);
                    while (it.hasNext()) {
                        StepBatch b = it.next();
                        model.forward(b.inputs(), b.pass(linalg, true, Captures.NONE));
                    }
                }
            }
            trainSeconds += (System.nanoTime() - start) * 1e-9;
            EvalPoint p = evaluate((double) step / task.batchesPerEpoch(config.hp().batchSize()), Double.NaN,
                    Double.NaN);
            try (MetricsFile metrics = MetricsFile.open(config.out().resolve(SWA_METRICS), 0)) {
                metrics.append(p);
            }
            ModelWeights.save(model, config.out().resolve(SWA_WEIGHTS), Map.of("model", config.model(),
                    "optimizer", config.optimizer().cliName(), "steps", Long.toString(step),
                    "snapshots", Long.toString(average.count()), "swa", config.swa().describe()));
            listener.averaged(p, average.count());
        }

        /** One step, with every non-finite outcome turned into an error naming the step and the last checkpoint. */
        private TrainingStep.Outcome guardedStep(StepBatch batch) {
            TrainingStep.Outcome o;
            try {
                o = optimizer.run(batch);
            } catch (NonFiniteOutputException | NonFiniteFactorException e) {
                throw new NonFiniteLossException(step, e.getMessage(), lastCheckpoint);
            }
            if (!Double.isFinite(o.loss())) {
                throw new NonFiniteLossException(step, "the training loss is " + o.loss(), lastCheckpoint);
            }
            return o;
        }

        /**
         * The prior precision the Laplace evidence selects on the first {@code marglikBatches} batches of a fixed
         * shuffle of the training set (the same batches every time, so a resumed run selects as an uninterrupted
         * one); it sets the weight decay from the next step on. Its time counts as training time.
         */
        private void selectPriorPrecision(int perEpoch) {
            long start = System.nanoTime();
            List<StepBatch> data = new ArrayList<>();
            Iterator<StepBatch> it = task.epoch(0, config.hp().batchSize(), config.seed() ^ 0x5EEDL);
            while (data.size() < config.marglikBatches() && it.hasNext()) {
                data.add(it.next());
            }
            try {
                optimizer.selectPriorPrecision(data, (double) perEpoch * config.hp().batchSize(), linalg,
                        config.seed() + step);
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            trainSeconds += (System.nanoTime() - start) * 1e-9;
        }

        /** δ = λ·Z once the evidence has selected it (NaN before, and without {@code --marglik}). */
        private double priorPrecision(int perEpoch) {
            boolean selected = config.marglikEvery() > 0 && step >= (long) config.marglikEvery() * perEpoch;
            return selected ? optimizer.weightDecay() * perEpoch * config.hp().batchSize() : Double.NaN;
        }

        private EvalPoint evaluate(double epochs, double trainLoss, double trainAccuracy) {
            double loss = 0;
            long right = 0;
            long n = 0;
            for (StepBatch b : validation) {
                Tensor logits = model.forward(b.inputs(), b.pass(linalg, false, Captures.NONE)).output();
                LossValue l = LOSS.evaluate(logits, b.labels());
                loss += l.value() * b.size();
                right += Predictions.correct(logits, b.labels());
                n += b.size();
            }
            int perEpoch = task.batchesPerEpoch(config.hp().batchSize());
            return new EvalPoint(step, epochs, trainSeconds, trainLoss, trainAccuracy, loss / n, (double) right / n,
                    priorPrecision(perEpoch), optimizer.weightDecay());
        }

        private void checkpoint() throws IOException {
            for (Parameter p : model.parameters()) {
                Tensor v = p.value();
                for (int i = 0; i < v.size(); i++) {
                    if (!Double.isFinite(v.get(i))) {
                        throw new NonFiniteLossException(step - 1, "parameter " + p.name() + "[" + i + "] became "
                                + v.get(i) + " in the update", lastCheckpoint);
                    }
                }
            }
            Checkpoint c = new Checkpoint(Checkpoint.FORMAT, config.model(), task.name(),
                    config.optimizer().cliName(), config.seed(), config.steps(), step, trainSeconds,
                    config.swa().describe());
            c.save(config.out(), model, optimizer, average);
            lastCheckpoint = config.out().resolve(Checkpoint.MANIFEST) + " (step " + step + ")";
        }
    }
}
