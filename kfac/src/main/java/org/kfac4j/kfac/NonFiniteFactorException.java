package org.kfac4j.kfac;

/** NaN or ±Inf in a layer's Kronecker factor or gradient, caught before it is decomposed or applied. */
public final class NonFiniteFactorException extends ArithmeticException {
    private final String layer;
    private final String what;

    public NonFiniteFactorException(String layer, String what, int row, int column, double value) {
        super(layer + ": " + what + "[" + row + ", " + column + "] = " + value
                + " (non-finite: check the learning rate, the damping and the data)");
        this.layer = layer;
        this.what = what;
    }

    public String layer() {
        return layer;
    }

    /** Which matrix: "factor A", "factor G" or "gradient". */
    public String what() {
        return what;
    }
}
