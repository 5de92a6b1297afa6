package org.kfac4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.io.SafeTensors;
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
    void dataAndModelMustFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tasks.load("synthetic-images", "gcn", NO_FASHION_MNIST, 100));
        assertTrue(e.getMessage().contains("gcn needs graph data"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tasks.load("imagenet", "vit", NO_FASHION_MNIST, 100));
        assertThrows(org.kfac4j.nn.data.DatasetNotFoundException.class,
                () -> Tasks.load("fashion-mnist", "vit", NO_FASHION_MNIST, 100));
    }
}
