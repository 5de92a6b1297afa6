package org.kfac4j.linalg.gemm;

/** Which part of a square C a triangular product ("gemmt") reads and writes, the diagonal included. */
public enum Triangle {
    /** Every element. */
    FULL,
    /** Elements on and below the diagonal (i ≥ j). */
    LOWER,
    /** Elements on and above the diagonal (i ≤ j). */
    UPPER
}
