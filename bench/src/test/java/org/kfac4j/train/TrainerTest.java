package org.kfac4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.layer.Buffer;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.Tensor;
import org.kfac4j.nn.tensor.DType;

/** Training runs end to end on the synthetic graphs (fast): metrics, checkpoints, resume, non-finite losses. */
class TrainerTest {
    private static final Path NO_FASHION_MNIST = Path.of("/nonexistent");

    private static TaskData graphs() throws IOException {
        return Tasks.load("synthetic-graphs", "gcn", NO_FASHION_MNIST, 200);
    }

    private static Trainer.Config config(OptimizerKind kind, Hyperparameters hp, long steps, Path out, boolean resume) {
        return new Trainer.Config("gcn", OptimizerChoice.of(kind), hp, steps, 7, 2, 10, 10, out, resume);
    }

    /** A run interrupted after a checkpoint and resumed ends with exactly the weights of an uninterrupted one. */
    @ParameterizedTest
    @EnumSource(value = OptimizerKind.class, names = {"KFAC_REDUCE", "KFAC_EXPAND", "KFAC_REDUCE_ADAMW", "ADAMW", "SGD"})
    void aResumedRunContinuesTheSameTrajectory(OptimizerKind kind, @TempDir Path dir) throws IOException {
        TaskData task = graphs();
        Hyperparameters hp = Hyperparameters.defaults("gcn", kind).withKfac(1e-3, 3, 7, 1e-3, 0.95);
        List<EvalPoint> whole = Trainer.run(config(kind, hp, 40, dir.resolve("whole"), false), task,
                new Trainer.Listener() { });
        Path broken = dir.resolve("broken");
        RuntimeException crash = new IllegalStateException("simulated crash");
        assertThrows(IllegalStateException.class, () -> Trainer.run(config(kind, hp, 40, broken, false), task,
                new Trainer.Listener() {
                    @Override
                    public void stepped(long stepsTaken, double loss, double trainSeconds) {
                        if (stepsTaken == 25) {
                            throw crash;
                        }
                    }
                }));
        assertEquals(20, Checkpoint.read(broken).orElseThrow().step());
        List<EvalPoint> resumed = Trainer.run(config(kind, hp, 40, broken, true), task, new Trainer.Listener() { });
        assertEquals(whole.size(), resumed.size(), "one metrics row per evaluation, none repeated");
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).valAccuracy(), resumed.get(i).valAccuracy(), 0.0, "row " + i);
            assertEquals(whole.get(i).valLoss(), resumed.get(i).valLoss(), 0.0, "row " + i);
        }
        var a = SafeTensors.read(dir.resolve("whole/model.safetensors")).tensors();
        var b = SafeTensors.read(broken.resolve("model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).toTensor(DType.F32).f32(), b.get(name).toTensor(DType.F32).f32(), name);
        }
    }

    /**
     * {@code --marglik}: from the first epoch boundary on, every evaluation row holds the selected prior precision δ and
     * the weight decay δ/N it set (before it, NaN and the default); a run interrupted and resumed selects the same.
     */
    @Test
    void theMarginalLikelihoodSelectsTheWeightDecayAndResumesWithIt(@TempDir Path dir) throws IOException {
        TaskData task = Tasks.load("synthetic-images", "mlp", dir, 200);
        OptimizerChoice kind = OptimizerChoice.of(OptimizerKind.KFAC_REDUCE);
        Hyperparameters hp = Hyperparameters.defaults("mlp", OptimizerKind.KFAC_REDUCE).withBatchSize(500);
        int perEpoch = task.batchesPerEpoch(500);
        List<EvalPoint> whole = Trainer.run(new Trainer.Config("mlp", kind, hp, 60, 3, 2, 12, 10,
                dir.resolve("whole"), false, 1, 2), task, new Trainer.Listener() { });
        for (EvalPoint p : whole) {
            if (p.step() < perEpoch) {
                assertTrue(Double.isNaN(p.priorPrecision()), "row " + p);
                assertEquals(hp.weightDecay(), p.weightDecay(), 0.0);
            } else {
                assertTrue(p.priorPrecision() > 0 && Double.isFinite(p.priorPrecision()), "row " + p);
                assertEquals(p.priorPrecision() / (perEpoch * 500.0), p.weightDecay(), 1e-12 * p.weightDecay());
                assertTrue(p.weightDecay() != hp.weightDecay(), "the selection changed the weight decay");
            }
        }
        assertEquals(whole, MetricsFile.read(dir.resolve("whole/metrics.csv")), "metrics.csv holds the rows");
        Path broken = dir.resolve("broken");
        assertThrows(IllegalStateException.class, () -> Trainer.run(new Trainer.Config("mlp", kind, hp, 60, 3, 2, 12,
                10, broken, false, 1, 2), task, new Trainer.Listener() {
                    @Override
                    public void stepped(long stepsTaken, double loss, double trainSeconds) {
                        if (stepsTaken == 35) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }
                }));
        List<EvalPoint> resumed = Trainer.run(new Trainer.Config("mlp", kind, hp, 60, 3, 2, 12, 10, broken, true, 1,
                2), task, new Trainer.Listener() { });
        assertEquals(whole.size(), resumed.size());
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).valLoss(), resumed.get(i).valLoss(), 0.0, "row " + i);
            assertEquals(whole.get(i).weightDecay(), resumed.get(i).weightDecay(), 0.0, "row " + i);
        }
    }

    /**
     * Weight averaging on the CNN (BatchNorm): the averaged weights are the mean of the weights after steps 8, 16 and
     * 24 (taken from separate runs of 8, 16 and 24 steps at a constant learning rate, so the same trajectory); the
     * first BatchNorm's recounted mean is the channel mean of the stem convolution's output over the whole training
     * set under the averaged stem; the saved average reproduces the logged evaluation; and a run interrupted and
     * resumed (average, BatchNorm statistics and all) ends with the same average.
     */
    @Test
    void weightAveragingAveragesTheSnapshotsAndRecountsBatchNorm(@TempDir Path dir) throws IOException {
        TaskData task = Tasks.load("synthetic-images", "cnn", NO_FASHION_MNIST, 256, 64);
        OptimizerChoice sgd = OptimizerChoice.of(OptimizerKind.SGD);
        Hyperparameters hp = Hyperparameters.defaults("cnn", OptimizerKind.SGD).withBatchSize(16)
                .withSchedule(0, false);
        Swa swa = new Swa(8, 8, Double.NaN);
        Trainer.Config averaged = new Trainer.Config("cnn", sgd, hp, 24, 5, 2, 24, 10, dir.resolve("swa"), false, 0,
                0, swa);
        Trainer.run(averaged, task, new Trainer.Listener() { });
        List<Map<String, org.kfac4j.nn.io.StoredTensor>> snapshots = new ArrayList<>();
        for (int steps : new int[] {8, 16, 24}) {
            Path d = dir.resolve("plain" + steps);
            Trainer.run(new Trainer.Config("cnn", sgd, hp, steps, 5, 2, 24, 0, d, false), task,
                    new Trainer.Listener() { });
            snapshots.add(SafeTensors.read(d.resolve("model.safetensors")).tensors());
        }
        Model model = ModelChoice.build("cnn", 99, 10);
        org.kfac4j.nn.model.ModelWeights.load(model, dir.resolve("swa").resolve(Trainer.SWA_WEIGHTS));
        for (Parameter p : model.parameters()) {
            for (int i = 0; i < p.value().size(); i++) {
                double mean = 0;
                for (var snapshot : snapshots) {
                    mean += snapshot.get(p.name()).value(i) / snapshots.size();
                }
                assertEquals(mean, p.value().get(i), 1e-6 * (1 + Math.abs(mean)), p.name() + "[" + i + "]");
            }
        }
        // the first BatchNorm follows the stem convolution: its recounted mean is the stem's mean output
        Layer stem = model.root().layers().stream().filter(l -> l instanceof org.kfac4j.nn.layer.Conv2d).findFirst()
                .orElseThrow();
        StepBatch all = task.epoch(0, 256, 1).next();
        Tensor out = stem.forward(all.inputs(), all.pass(Linalg.shared(), false, Captures.NONE)).output();
        Buffer firstMean = model.buffers().get(0);
        assertTrue(firstMean.name().endsWith("running_mean"), firstMean.name());
        int channels = firstMean.value().size();
        for (int c = 0; c < channels; c++) {
            double m = 0;
            for (int row = 0; row < out.size() / channels; row++) {
                m += out.get(row * channels + c);
            }
            m /= out.size() / channels;
            assertEquals(m, firstMean.value().get(c), 1e-5 * (1 + Math.abs(m)), "channel " + c);
        }
        List<EvalPoint> logged = MetricsFile.read(dir.resolve("swa").resolve(Trainer.SWA_METRICS));
        assertEquals(1, logged.size());
        assertTrue(Double.isNaN(logged.get(0).trainLoss()));
        double loss = 0;
        int n = 0;
        for (StepBatch b : task.validation(256)) {
            Tensor logits = model.forward(b.inputs(), b.pass(Linalg.shared(), false, Captures.NONE)).output();
            loss += CrossEntropy.mean().evaluate(logits, b.labels()).value() * b.size();
            n += b.size();
        }
        assertEquals(loss / n, logged.get(0).valLoss(), 1e-6, "the saved average is the evaluated one");

        Path broken = dir.resolve("broken");
        Trainer.Config interrupted = new Trainer.Config("cnn", sgd, hp, 24, 5, 2, 24, 10, broken, false, 0, 0, swa);
        assertThrows(IllegalStateException.class, () -> Trainer.run(interrupted, task, new Trainer.Listener() {
            @Override
            public void stepped(long stepsTaken, double l, double trainSeconds) {
                if (stepsTaken == 15) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        }));
        assertEquals(10, Checkpoint.read(broken).orElseThrow().step());
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> Trainer.run(
                new Trainer.Config("cnn", sgd, hp, 24, 5, 2, 24, 10, broken, true, 0, 0, Swa.OFF), task,
                new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("weight averaging"), e.getMessage());
        Trainer.run(new Trainer.Config("cnn", sgd, hp, 24, 5, 2, 24, 10, broken, true, 0, 0, swa), task,
                new Trainer.Listener() { });
        var a = SafeTensors.read(dir.resolve("swa").resolve(Trainer.SWA_WEIGHTS)).tensors();
        var b = SafeTensors.read(broken.resolve(Trainer.SWA_WEIGHTS)).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).toTensor(DType.F64).f64(), b.get(name).toTensor(DType.F64).f64(), name);
        }
    }

    @Test
    void weightAveragingMustStartWithinTheBudget(@TempDir Path dir) {
        Hyperparameters hp = Hyperparameters.defaults("gcn", OptimizerKind.SGD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer.Config("gcn",
                OptimizerChoice.of(OptimizerKind.SGD), hp, 20, 1, 1, 10, 10, dir, false, 0, 0, new Swa(30, 5,
                Double.NaN)));
        assertTrue(e.getMessage().contains("beyond the 20-step budget"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Swa(0, 5, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Swa(5, 5, -1));
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        TaskData task = graphs();
        Hyperparameters hp = Hyperparameters.defaults("gcn", OptimizerKind.SGD).withLearningRate(1e6)
                .withSchedule(0, false);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> Trainer.run(config(OptimizerKind.SGD, hp, 200, dir, false), task, new Trainer.Listener() { }));
        assertTrue(e.getMessage().startsWith("step " + e.step() + ":"), e.getMessage());
        assertTrue(e.step() < 200);
        Checkpoint.read(dir).ifPresent(c -> {
            assertTrue(c.step() <= e.step(), "the checkpoint is from before the divergence");
            assertTrue(e.getMessage().contains("step " + c.step() + ")"), e.getMessage());
            assertTrue(Files.exists(dir.resolve(c.modelFile())));
        });
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused(@TempDir Path dir) throws IOException {
        TaskData task = graphs();
        Hyperparameters hp = Hyperparameters.defaults("gcn", OptimizerKind.ADAMW);
        Trainer.run(config(OptimizerKind.ADAMW, hp, 10, dir, false), task, new Trainer.Listener() { });
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> Trainer.run(
                config(OptimizerKind.SGD, Hyperparameters.defaults("gcn", OptimizerKind.SGD), 10, dir, true), task,
                new Trainer.Listener() { }));
        assertTrue(e.getMessage().contains("with adamw; this run is model gcn on synthetic-graphs with sgd"),
                e.getMessage());
        CheckpointMismatchException budget = assertThrows(CheckpointMismatchException.class, () -> Trainer.run(
                config(OptimizerKind.ADAMW, hp, 30, dir, true), task, new Trainer.Listener() { }));
        assertTrue(budget.getMessage().contains("a 10-step run with seed 7; this run has 30 steps"),
                budget.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.run(config(OptimizerKind.ADAMW, hp, 10, dir,
                false), task, new Trainer.Listener() { }), "a fresh run never overwrites a run's checkpoint");
        Files.writeString(dir.resolve(Checkpoint.MANIFEST), "{not json");
        assertThrows(IOException.class, () -> Trainer.run(config(OptimizerKind.ADAMW, hp, 10, dir, true), task,
                new Trainer.Listener() { }));
    }

    @Test
    void aTrainingSubsetIsTheSplitsFirstExamplesAndIsNamed() throws IOException {
        TaskData all = graphs();
        TaskData first = Tasks.load("synthetic-graphs", "gcn", NO_FASHION_MNIST, 300, 200);
        assertEquals("synthetic-graphs", all.name());
        assertEquals("synthetic-graphs[:300]", first.name());
        assertEquals(300, first.trainSize());
        assertEquals(all.validationSize(), first.validationSize());
        TaskData images = Tasks.load("synthetic-images", "mlp", NO_FASHION_MNIST, 1_000_000, 100);
        assertEquals("synthetic-images", images.name(), "a subset as large as the split is the split");
        assertEquals(12_000, images.trainSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tasks.load("synthetic-graphs", "gcn", NO_FASHION_MNIST, 0, 200));
        assertTrue(e.getMessage().contains("--train-examples"), e.getMessage());
    }

    @Test
    void dataAndModelMustFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tasks.load("synthetic-images", "gcn", NO_FASHION_MNIST, 100));
        assertTrue(e.getMessage().contains("gcn needs graph data"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tasks.load("imagenet", "vit", NO_FASHION_MNIST, 100));
        assertThrows(org.kfac4j.nn.data.DatasetNotFoundException.class,
                () -> Tasks.load("fashion-mnist", "vit", NO_FASHION_MNIST, 100));
    }
}
