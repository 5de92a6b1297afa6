package org.kfac4j.nn.loss;

/** A loss received a network output holding NaN or ±Inf; names the loss term and class. */
public final class NonFiniteOutputException extends IllegalArgumentException {
    public NonFiniteOutputException(String loss, int term, int column, double value) {
        super(loss + ": the network output holds " + value + " at term " + term + ", column " + column
                + " (training diverged, or the input held NaN/Inf)");
    }
}
