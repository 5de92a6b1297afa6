package org.kfac4j.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.model.WeightAverage;

/**
 * A run's checkpoint in its output folder: the model weights (with BatchNorm statistics), the optimiser state and,
 * with weight averaging, the average so far, of one step, each a safetensors file named by the step, and
 * {@value #MANIFEST} naming them. The manifest is replaced last, by an atomic
 * move, so the folder always holds one complete checkpoint: an interrupted save leaves the previous one in force.
 *
 * @param format       {@value #FORMAT}
 * @param model        model name
 * @param data         data set name
 * @param optimizer    optimiser name
 * @param seed         the run's seed
 * @param totalSteps   the run's step budget
 * @param step         steps taken
 * @param trainSeconds training time so far
 * @param swa          the run's weight averaging, {@link Swa#describe()} (null in manifests from before it existed:
 *                     off)
 */
public record Checkpoint(String format, String model, String data, String optimizer, long seed, long totalSteps,
                         long step, double trainSeconds, String swa) {
    public static final String FORMAT = "kfac4j-train-checkpoint/1";
    public static final String MANIFEST = "checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    String modelFile() {
        return String.format("checkpoint-%08d.model.safetensors", step);
    }

    String optimizerFile() {
        return String.format("checkpoint-%08d.optimizer.safetensors", step);
    }

    /** The run's weight averaging as {@link Swa#describe()} gives it ("off" for manifests from before it existed). */
    public String swaSettings() {
        return swa == null ? Swa.OFF.describe() : swa;
    }

    String averageFile() {
        return String.format("checkpoint-%08d.swa.safetensors", step);
    }

    /**
     * Writes this checkpoint of {@code model}, {@code optimizer} and the weight {@code average} (null without
     * averaging) into {@code dir}, then drops older ones.
     */
    void save(Path dir, Model net, TrainingStep optimizerStep, WeightAverage average) throws IOException {
        ModelWeights.save(net, dir.resolve(modelFile()), Map.of("step", Long.toString(step), "model", model));
        optimizerStep.save(dir.resolve(optimizerFile()));
        if (average != null) {
            average.save(dir.resolve(averageFile()));
        }
        Path temp = Files.createTempFile(dir, ".checkpoint", ".json.tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), this);
            try {
                Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "checkpoint-*.safetensors")) {
            for (Path p : old) {
                // every file of this step (weights, optimiser, a base optimiser's state) starts so
                if (!p.getFileName().toString().startsWith(String.format("checkpoint-%08d.", step))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The checkpoint in {@code dir}, if it has one (an error naming the file if it is corrupt). */
    public static Optional<Checkpoint> read(Path dir) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.exists(manifest)) {
            return Optional.empty();
        }
        Checkpoint c;
        try {
            c = JSON.readValue(manifest.toFile(), Checkpoint.class);
        } catch (JacksonException e) {
            throw new IOException(manifest + " is not a kfac4j checkpoint manifest: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(c.format())) {
            throw new IOException(manifest + ": format '" + c.format() + "', expected " + FORMAT);
        }
        return Optional.of(c);
    }

    /** Loads the weights, the optimiser state and the weight average (if not null) into fresh ones. */
    void restore(Path dir, Model net, TrainingStep optimizerStep, WeightAverage average) throws IOException {
        ModelWeights.load(net, dir.resolve(modelFile()));
        optimizerStep.restore(dir.resolve(optimizerFile()));
        if (average != null) {
            average.restore(dir.resolve(averageFile()));
        }
    }

    /**
     * Checks this checkpoint belongs to the same run: model, data, optimiser, seed, step budget (the learning-rate
     * schedule spans the budget, so another budget would not continue the same trajectory) and weight averaging.
     */
    void checkMatches(String wantModel, String wantData, String wantOptimizer, long wantSeed, long wantTotal,
                      String wantSwa, Path dir) {
        if (!model.equals(wantModel) || !data.equals(wantData) || !optimizer.equals(wantOptimizer)) {
            throw new CheckpointMismatchException(dir.resolve(MANIFEST) + " is a checkpoint of model " + model
                    + " on " + data + " with " + optimizer + "; this run is model " + wantModel + " on " + wantData
                    + " with " + wantOptimizer);
        }
        if (seed != wantSeed || totalSteps != wantTotal) {
            throw new CheckpointMismatchException(dir.resolve(MANIFEST) + " is a checkpoint of a " + totalSteps
                    + "-step run with seed " + seed + "; this run has " + wantTotal + " steps and seed " + wantSeed
                    + " (give the same --steps/--epochs and --seed to resume)");
        }
        String had = swaSettings();
        if (!had.equals(wantSwa)) {
            throw new CheckpointMismatchException(dir.resolve(MANIFEST) + " is a checkpoint of a run with weight "
                    + "averaging " + had + "; this run has " + wantSwa + " (give the same --swa-* options to resume)");
        }
    }
}
