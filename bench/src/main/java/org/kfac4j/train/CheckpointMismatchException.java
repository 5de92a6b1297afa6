package org.kfac4j.train;

/** {@code --resume} found a checkpoint of another run: a different model, data set or optimiser, or a later budget. */
public final class CheckpointMismatchException extends IllegalArgumentException {
    public CheckpointMismatchException(String message) {
        super(message);
    }
}
