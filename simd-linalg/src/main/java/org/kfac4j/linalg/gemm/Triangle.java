package org.kfac4j.linalg.gemm;

/**
 * Which part of a square C a triangular product ("gemmt") computes. Tiles that cross the diagonal are computed
 * whole, so a few elements of the other triangle next to the diagonal are overwritten too.
 */
public enum Triangle {
    /** Every element. */
    FULL,
    /** Elements on and below the diagonal (i ≥ j). */
    LOWER,
    /** Elements on and above the diagonal (i ≤ j). */
    UPPER
}
