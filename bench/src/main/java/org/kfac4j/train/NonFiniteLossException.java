package org.kfac4j.train;

/**
 * Training stopped because the loss (or a parameter, or a K-FAC factor) became NaN or infinite. Names the step and
 * the last good checkpoint, which is left as it was.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private final long step;

    public NonFiniteLossException(long step, String what, String lastCheckpoint) {
        super("step " + step + ": " + what + "; stopped. The last good checkpoint is " + lastCheckpoint
                + " (lower the learning rate or raise the damping, then --resume)");
        this.step = step;
    }

    /** The step (0-based) whose loss or update was not finite. */
    public long step() {
        return step;
    }
}
