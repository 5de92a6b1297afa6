package org.kfac4j.linalg;

/**
 * Whether a BLAS-style routine reads a row-major operand as stored ({@link #N}) or as its transpose
 * ({@link #T}).
 */
public enum Transpose {
    /** op(X) = X. */
    N,
    /** op(X) = Xᵀ. */
    T;

    /** {@code true} for {@link #T}. */
    public boolean transposed() {
        return this == T;
    }
}
