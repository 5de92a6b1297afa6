package org.kfac4j.nn.capture;

/**
 * A tensor a K-FAC layer recorded by reference (its input) was changed between the forward pass and K-FAC's reading
 * of it, so the factors would be formed from data the gradients were not computed on. Typically a batch buffer
 * refilled before the optimiser step: step K-FAC first, or hand the model a tensor of its own.
 */
public final class CapturedInputModifiedException extends IllegalStateException {
    public CapturedInputModifiedException(String message) {
        super(message);
    }
}
