package org.kfac4j.linalg;

/** The argument checks of the public facade: each failure names the argument and the values involved. */
final class Arguments {
    private Arguments() {
    }

    static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    static void nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /**
     * Checks that a row-major {@code rows × cols} matrix with leading dimension {@code ld} starting at
     * {@code off} fits in an array of {@code length} elements; returns what is wrong, or {@code null}. The
     * caller adds the call's shape to the message, so a valid call builds no string.
     */
    static String matrixProblem(String name, int length, int off, int rows, int cols, int ld) {
        if (off < 0) {
            return name + " offset must be >= 0, got " + off;
        }
        if (ld < Math.max(1, cols)) {
            return "ld" + name.toLowerCase() + " = " + ld + " is less than the " + cols + " columns of stored " + name;
        }
        if (rows > 0 && cols > 0) {
            long last = (long) off + (long) (rows - 1) * ld + cols;
            if (last > length) {
                return name + " is too short: a " + rows + "x" + cols + " matrix with ld " + ld + " at offset " + off
                        + " needs " + last + " elements, the array has " + length;
            }
        }
        return null;
    }

    static void unitInterval(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + value);
        }
    }

    static void finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    /** A triangular matrix's diagonal element i: zero makes it singular, NaN or Inf make every solution NaN. */
    static void nonSingularDiagonal(double value, int i, String name) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteValueException(name, i, i, value);
        }
        if (value == 0) {
            throw new IllegalArgumentException(name + " is singular: its diagonal element (" + i + ", " + i
                    + ") is zero");
        }
    }
}
