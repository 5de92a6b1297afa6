package org.kfac4j.linalg;

/**
 * A Cholesky factorisation met a pivot that is not positive: the matrix is not (numerically) symmetric positive
 * definite. {@link #pivot()} is the 0-based index of the failing diagonal element and {@link #value()} what
 * remained of it after the elimination of the rows before it (≤ 0, or NaN). A damped matrix A + λI with a larger λ
 * usually factors.
 */
public final class NotPositiveDefiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final int pivot;
    private final double value;

    public NotPositiveDefiniteException(int pivot, double value, int n) {
        super("matrix is not positive definite: pivot " + pivot + " of " + n + " is " + value
                + " after eliminating the rows before it");
        this.pivot = pivot;
        this.value = value;
    }

    public int pivot() {
        return pivot;
    }

    public double value() {
        return value;
    }
}
