package org.kfac4j.train;

import java.util.Iterator;
import java.util.List;

/** A classification task: a training split served in shuffled batches, and a fixed validation split. */
public interface TaskData {
    /** What the data is, for logs and the metrics file (e.g. {@code fashion-mnist}). */
    String name();

    int classes();

    /** Whether examples are graphs (for the {@code gcn} model) rather than 28×28×1 images. */
    boolean graphs();

    int trainSize();

    int validationSize();

    /** Full batches per epoch (the last, smaller batch is dropped so every step sees the same batch size). */
    default int batchesPerEpoch(int batchSize) {
        return trainSize() / batchSize;
    }

    /** The batches of epoch {@code epoch}, shuffled by (seed, epoch): the same for the same arguments. */
    Iterator<StepBatch> epoch(int epoch, int batchSize, long seed);

    /** The validation split in batches of at most {@code batchSize}, in a fixed order. */
    List<StepBatch> validation(int batchSize);
}
