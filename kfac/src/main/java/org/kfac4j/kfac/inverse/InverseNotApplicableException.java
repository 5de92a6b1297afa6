package org.kfac4j.kfac.inverse;

/** An inverse method was chosen for a layer it cannot serve; the message names the layer, the factor and why. */
public final class InverseNotApplicableException extends IllegalArgumentException {
    public InverseNotApplicableException(String message) {
        super(message);
    }
}
