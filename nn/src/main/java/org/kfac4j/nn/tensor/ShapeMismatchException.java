package org.kfac4j.nn.tensor;

import java.util.Arrays;

/** An operand's shape (or dtype) does not fit where it is used; the message names the place and both shapes. */
public final class ShapeMismatchException extends IllegalArgumentException {
    public ShapeMismatchException(String message) {
        super(message);
    }

    /** "{@code where}: expected {@code expected}, got {@code actual}", shapes printed as {@code [2, 3]}. */
    public static ShapeMismatchException of(String where, String expected, int[] actual) {
        return new ShapeMismatchException(where + ": expected " + expected + ", got " + Arrays.toString(actual));
    }
}
