package org.kfac4j.bench.impl;

/**
 * One library's symmetric eigendecomposition with eigenvectors, prepared outside the timed region. A library
 * that overwrites its input copies A inside {@link #run()} (n² elements, well under 1% of the time): kfac4j,
 * which preserves A, makes the same copy internally.
 */
public interface Eigensolver {

    /** The timed call. */
    void run();

    /** The eigenvalues in ascending order, as doubles (read after {@link #run()}, not timed). */
    double[] values();

    /** The unit eigenvector of {@code values()[j]}, as doubles. */
    double[] vector(int j);

    /** Names of the implementations, as the JMH {@code impl} parameter takes them. */
    String[] NAMES = {"kfac4j", "ejml", "ojalgo", "lapack"};
}
