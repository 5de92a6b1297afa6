package org.kfac4j.kfac.inverse;

import org.kfac4j.linalg.NotPositiveDefiniteException;

/** A damped Kronecker factor that Cholesky found not positive definite: names the layer, the factor and the pivot. */
public final class FactorNotPositiveDefiniteException extends ArithmeticException {
    private final String layer;
    private final String factor;

    public FactorNotPositiveDefiniteException(String layer, String factor, double shift, NotPositiveDefiniteException cause) {
        super(layer + ": factor " + factor + " + " + shift + "·I is not positive definite (pivot " + cause.pivot()
                + " = " + cause.value() + "); raise the damping or check the captured data");
        this.layer = layer;
        this.factor = factor;
        initCause(cause);
    }

    public String layer() {
        return layer;
    }

    /** "A" or "G". */
    public String factor() {
        return factor;
    }
}
