package org.kfac4j.bench.impl;

/**
 * One library's Cholesky factorisation A = L·Lᵀ, prepared outside the timed region. Every library factors in
 * place, so each call first copies A into the matrix it factors (n² elements, about 1% of the time at n = 1024).
 */
public interface CholeskyFactorization {

    /** The timed call. */
    void run();

    /** L[i][j] (i ≥ j) as a double, read after {@link #run()}. */
    double lower(int i, int j);

    /** Names of the implementations, as the JMH {@code impl} parameter takes them. */
    String[] NAMES = {"kfac4j", "ejml", "ojalgo", "lapack"};
}
