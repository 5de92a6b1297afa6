package org.kfac4j.nn.tensor;

import java.util.Arrays;

/** An operand's shape (or dtype) does not fit where it is used; the message names the place and both shapes. */
public final class ShapeMismatchException extends IllegalArgumentException {
    public ShapeMismatchException(String message) {
        super(message);
    }

    /**
     * Checks that the gradient handed to a backward pass has its output's shape and dtype: "{@code layer} output
     * gradient: expected F32[2, 4], got F32[2, 5]".
     */
    public static void requireGradientLike(Object layer, Tensor output, Tensor gradient) {
        if (!gradient.hasShape(output.shape()) || gradient.dtype() != output.dtype()) {
            throw new ShapeMismatchException(layer + " output gradient: expected " + output.dtype()
                    + Arrays.toString(output.shape()) + ", got " + gradient.dtype() + Arrays.toString(gradient.shape()));
        }
    }

    /** "{@code where}: expected {@code expected}, got {@code actual}", shapes printed as {@code [2, 3]}. */
    public static ShapeMismatchException of(String where, String expected, int[] actual) {
        return new ShapeMismatchException(where + ": expected " + expected + ", got " + Arrays.toString(actual));
    }
}
