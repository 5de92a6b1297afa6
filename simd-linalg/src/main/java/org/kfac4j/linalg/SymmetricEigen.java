package org.kfac4j.linalg;

import org.kfac4j.linalg.eigen.SymmetricEigenSolver;

/**
 * Eigenvalues and eigenvectors of real symmetric matrices, as LAPACK's dsyevd computes them: Householder
 * tridiagonalisation (blocked, its trailing updates on the GEMM kernels), divide and conquer for the
 * tridiagonal eigenproblem (its vector updates are GEMMs) and a blocked back-transformation (compact WY form,
 * GEMMs). Uses the threads of the {@link Linalg} it was made from; the result is bitwise the same for every
 * thread count.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Matrices are row-major n×n with an offset and a leading dimension, as in {@link Linalg}.</li>
 *   <li>The input is <b>preserved</b>. Both triangles are read: the decomposition is that of the symmetric part
 *       (A + Aᵀ)/2, so a matrix symmetric only up to rounding is handled as the nearest symmetric one.</li>
 *   <li>Eigenvalues come in ascending order. Eigenvector i is column i of V: A·V = V·diag(λ), VᵀV = I. Signs of
 *       the eigenvectors are not normalised.</li>
 *   <li>Accuracy: ‖A·V − V·Λ‖ and ‖VᵀV − I‖ within a small multiple of n·ε·‖A‖, for any finite symmetric input
 *       including graded, rank-deficient and clustered ones. NaN or ±Inf in A raises {@link NonFiniteValueException}.</li>
 *   <li>The single-precision methods compute in double and round the results: float accuracy for the price of
 *       the double computation.</li>
 *   <li>Memory: scratch of about 3n² doubles with vectors (n² without; 4n² for float input) is kept per calling
 *       thread between calls, softly referenced, so repeated decompositions allocate nothing (dsyevd takes
 *       2n² from its caller).</li>
 * </ul>
 */
public final class SymmetricEigen {
    private final SymmetricEigenSolver solver;

    private SymmetricEigen(Linalg linalg) {
        this.solver = new SymmetricEigenSolver(linalg.gemmF64(), linalg.config().backend().level1F64(),
                linalg.team());
    }

    /** An eigensolver on the kernels and threads of {@code linalg}. Immutable and safe to share between threads. */
    public static SymmetricEigen of(Linalg linalg) {
        Arguments.notNull(linalg, "linalg");
        return new SymmetricEigen(linalg);
    }

    /** The eigenvalues of A (n×n at aOff, leading dimension lda), ascending, into {@code values[valuesOff:+n)}. */
    public void eigenvalues(int n, double[] a, int aOff, int lda, double[] values, int valuesOff) {
        check(n, a == null ? -1 : a.length, aOff, lda, values == null ? -1 : values.length, valuesOff);
        solver.solve(n, a, aOff, lda, values, valuesOff, null, 0, 0);
    }

    /** Single-precision {@link #eigenvalues(int, double[], int, int, double[], int)}, computed in double. */
    public void eigenvalues(int n, float[] a, int aOff, int lda, float[] values, int valuesOff) {
        check(n, a == null ? -1 : a.length, aOff, lda, values == null ? -1 : values.length, valuesOff);
        solver.solve(n, a, aOff, lda, values, valuesOff, null, 0, 0);
    }

    /**
     * Eigenvalues of A, ascending, into {@code values[valuesOff:+n)}, and the unit eigenvector of value i into
     * column i of V (n×n at vOff, leading dimension ldv). V may be A's own array (as LAPACK overwrites A): A is
     * read completely first.
     */
    public void decompose(int n, double[] a, int aOff, int lda, double[] values, int valuesOff,
                          double[] vectors, int vOff, int ldv) {
        check(n, a == null ? -1 : a.length, aOff, lda, values == null ? -1 : values.length, valuesOff);
        checkVectors(n, vectors == null ? -1 : vectors.length, vOff, ldv);
        solver.solve(n, a, aOff, lda, values, valuesOff, vectors, vOff, ldv);
    }

    /** Single-precision {@link #decompose(int, double[], int, int, double[], int, double[], int, int)}, computed in double. */
    public void decompose(int n, float[] a, int aOff, int lda, float[] values, int valuesOff,
                          float[] vectors, int vOff, int ldv) {
        check(n, a == null ? -1 : a.length, aOff, lda, values == null ? -1 : values.length, valuesOff);
        checkVectors(n, vectors == null ? -1 : vectors.length, vOff, ldv);
        solver.solve(n, a, aOff, lda, values, valuesOff, vectors, vOff, ldv);
    }

    private static void check(int n, int aLength, int aOff, int lda, int valuesLength, int valuesOff) {
        Arguments.nonNegative(n, "n");
        if (aLength < 0) {
            throw new IllegalArgumentException("A must not be null");
        }
        if (valuesLength < 0) {
            throw new IllegalArgumentException("values must not be null");
        }
        String problem = Arguments.matrixProblem("A", aLength, aOff, n, n, lda);
        if (problem == null) {
            problem = Arguments.matrixProblem("values", valuesLength, valuesOff, 1, n, Math.max(1, n));
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (n = " + n + ")");
        }
    }

    private static void checkVectors(int n, int length, int vOff, int ldv) {
        if (length < 0) {
            throw new IllegalArgumentException("vectors must not be null");
        }
        String problem = Arguments.matrixProblem("V", length, vOff, n, n, ldv);
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (n = " + n + ")");
        }
    }
}
