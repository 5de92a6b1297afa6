package org.kfac4j.bench.impl;

/**
 * One library's way of computing C = A·B (square, row-major in our arrays) or the factor Gram matrix
 * C = AᵀA, prepared outside the timed region so that {@link #run()} neither copies nor allocates.
 */
public interface MatMul {

    /** The timed call. */
    void run();

    /** C as row-major doubles, for the check before timing. */
    double[] result();

    /** Names of the implementations, as the JMH {@code impl} parameter takes them. */
    String[] NAMES = {"kfac4j", "vectorblas", "ejml", "ojalgo", "openblas"};
}
