package org.kfac4j.linalg;

/** Which side of the unknown X a triangular matrix stands on in a triangular solve. */
public enum Side {
    /** op(L)·X = α·B. */
    LEFT,
    /** X·op(L) = α·B. */
    RIGHT
}
