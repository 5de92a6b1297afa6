package org.kfac4j.linalg;

/**
 * A matrix handed to a factorisation holds NaN or ±Inf. Names the first such element found, in row-major order,
 * by its row and column within the matrix (not the array offset).
 */
public final class NonFiniteValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int row;
    private final int column;
    private final double value;

    public NonFiniteValueException(String matrix, int row, int column, double value) {
        super(matrix + " holds " + value + " at (" + row + ", " + column + "); it must be finite");
        this.row = row;
        this.column = column;
        this.value = value;
    }

    public int row() {
        return row;
    }

    public int column() {
        return column;
    }

    public double value() {
        return value;
    }
}
