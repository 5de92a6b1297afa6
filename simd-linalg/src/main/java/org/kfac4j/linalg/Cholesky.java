package org.kfac4j.linalg;

import java.util.function.IntToDoubleFunction;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.triangular.RecursiveCholesky;
import org.kfac4j.linalg.triangular.Elements;
import org.kfac4j.linalg.triangular.TriangularSolve;

/**
 * Cholesky factorisation A = L·Lᵀ of symmetric positive definite matrices, and what it is for: solving A·X = B,
 * the inverse A⁻¹ and log det A. Row-major n×n with an offset and a leading dimension, as in {@link Linalg}.
 *
 * <p>{@link #factor} overwrites the lower triangle of A with L and neither reads nor writes the strict upper
 * triangle (LAPACK's potrf with uplo = 'L'). A pivot that is not positive raises
 * {@link NotPositiveDefiniteException} naming it; NaN or ±Inf in the lower triangle raises
 * {@link NonFiniteValueException}. Recursive (as LAPACK's dpotrf2): all flops but the small diagonal triangles' run
 * on the GEMM kernels, in the matrix's own precision, on the threads of the {@link Linalg} this was made from.
 * Results are bitwise the same for every thread count.
 */
public final class Cholesky {
    private final Linalg linalg;
    private final Level1KernelF64 l1;
    private final RecursiveCholesky<float[]> f32;
    private final RecursiveCholesky<double[]> f64;

    private Cholesky(Linalg linalg) {
        this.linalg = linalg;
        this.l1 = linalg.config().backend().level1F64();
        this.f32 = new RecursiveCholesky<>(Elements.FLOAT, linalg.gemmF32(), l1, linalg.trsmF32());
        this.f64 = new RecursiveCholesky<>(Elements.DOUBLE, linalg.gemmF64(), l1, linalg.trsmF64());
    }

    /** Cholesky factorisations on the kernels and threads of {@code linalg}. Immutable and safe to share. */
    public static Cholesky of(Linalg linalg) {
        Arguments.notNull(linalg, "linalg");
        return new Cholesky(linalg);
    }

    /** A = L·Lᵀ: L over the lower triangle of the n×n matrix at {@code a}. */
    public void factor(int n, double[] a, int aOff, int lda) {
        checkSquare("A", n, a == null ? -1 : a.length, aOff, lda);
        for (int i = 0; i < n; i++) {
            int j = l1.firstNonFinite(i + 1, a, aOff + i * lda);
            if (j >= 0) {
                throw new NonFiniteValueException("A", i, j, a[aOff + i * lda + j]);
            }
        }
        f64.factor(n, a, aOff, lda);
    }

    /** Single-precision {@link #factor(int, double[], int, int)}. */
    public void factor(int n, float[] a, int aOff, int lda) {
        checkSquare("A", n, a == null ? -1 : a.length, aOff, lda);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                float x = a[aOff + i * lda + j];
                if (!Float.isFinite(x)) {
                    throw new NonFiniteValueException("A", i, j, x);
                }
            }
        }
        f32.factor(n, a, aOff, lda);
    }

    /**
     * Solves A·X = B for the n×nrhs matrix X, written over B, given A's factor L (from {@link #factor}): the forward
     * solve L·Y = B, then the backward solve Lᵀ·X = Y.
     */
    public void solve(int n, int nrhs, double[] l, int lOff, int ldl, double[] b, int bOff, int ldb) {
        linalg.dtrsm(Side.LEFT, Transpose.N, n, nrhs, 1.0, l, lOff, ldl, b, bOff, ldb);
        linalg.dtrsm(Side.LEFT, Transpose.T, n, nrhs, 1.0, l, lOff, ldl, b, bOff, ldb);
    }

    /** Single-precision {@link #solve(int, int, double[], int, int, double[], int, int)}. */
    public void solve(int n, int nrhs, float[] l, int lOff, int ldl, float[] b, int bOff, int ldb) {
        linalg.strsm(Side.LEFT, Transpose.N, n, nrhs, 1f, l, lOff, ldl, b, bOff, ldb);
        linalg.strsm(Side.LEFT, Transpose.T, n, nrhs, 1f, l, lOff, ldl, b, bOff, ldb);
    }

    /**
     * A⁻¹ = L⁻ᵀ·L⁻¹ from A's factor L, written over the whole n×n matrix at {@code l} (both triangles: the result
     * is symmetric). L⁻¹ by a triangular solve that skips its zero upper part, then one SYRK.
     */
    public void invert(int n, double[] l, int lOff, int ldl) {
        checkFactor(n, l == null ? -1 : l.length, lOff, ldl, i -> l[lOff + i * ldl + i]);
        double[] inverse = new double[n * n];
        linalg.trsmF64().inverse(n, l, lOff, ldl, inverse, 0, Math.max(1, n));
        linalg.dsyrk(Transpose.T, n, n, 1.0, inverse, 0, Math.max(1, n), 0.0, l, lOff, ldl);
    }

    /** Single-precision {@link #invert(int, double[], int, int)}. */
    public void invert(int n, float[] l, int lOff, int ldl) {
        checkFactor(n, l == null ? -1 : l.length, lOff, ldl, i -> l[lOff + i * ldl + i]);
        float[] inverse = new float[n * n];
        linalg.trsmF32().inverse(n, l, lOff, ldl, inverse, 0, Math.max(1, n));
        linalg.ssyrk(Transpose.T, n, n, 1f, inverse, 0, Math.max(1, n), 0f, l, lOff, ldl);
    }

    /** log det A = 2·Σ log L_ii, from A's factor L; summed in double. */
    public double logDeterminant(int n, double[] l, int lOff, int ldl) {
        checkFactor(n, l == null ? -1 : l.length, lOff, ldl, i -> l[lOff + i * ldl + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(l[lOff + i * ldl + i]);
        }
        return 2 * sum;
    }

    /** Single-precision {@link #logDeterminant(int, double[], int, int)}, summed in double. */
    public double logDeterminant(int n, float[] l, int lOff, int ldl) {
        checkFactor(n, l == null ? -1 : l.length, lOff, ldl, i -> l[lOff + i * ldl + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(l[lOff + i * ldl + i]);
        }
        return 2 * sum;
    }

    private static void checkSquare(String name, int n, int length, int off, int ld) {
        Arguments.nonNegative(n, "n");
        if (length < 0) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        String problem = Arguments.matrixProblem(name, length, off, n, n, ld);
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (n = " + n + ")");
        }
    }

    /** A Cholesky factor must have a positive, finite diagonal. */
    private static void checkFactor(int n, int length, int off, int ld, IntToDoubleFunction diagonal) {
        checkSquare("L", n, length, off, ld);
        for (int i = 0; i < n; i++) {
            double d = diagonal.applyAsDouble(i);
            if (!(d > 0) || d == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("L is not a Cholesky factor: its diagonal element (" + i + ", " + i
                        + ") is " + d + ", not positive and finite");
            }
        }
    }
}
