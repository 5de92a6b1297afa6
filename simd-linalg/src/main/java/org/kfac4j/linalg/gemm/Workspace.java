package org.kfac4j.linalg.gemm;

/**
 * One thread's packing buffers: the packed block of A, the packed panel of B, the scratch tile that edge
 * tiles are computed into and the row offsets of an implicit im2col block. Grown on demand and then reused, so
 * repeated calls allocate nothing.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
final class Workspace<A> {
    A packedA;
    A packedB;
    A edgeTile;
    int[] rowOffsets;
}
