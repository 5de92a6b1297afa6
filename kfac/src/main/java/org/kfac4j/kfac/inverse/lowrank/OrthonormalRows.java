package org.kfac4j.kfac.inverse.lowrank;

import org.kfac4j.linalg.Cholesky;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.NotPositiveDefiniteException;
import org.kfac4j.linalg.Side;
import org.kfac4j.linalg.Transpose;

/**
 * An orthonormal basis of the row space of a short, wide matrix Y (rows × d, rows ≪ d), optionally orthogonal to the
 * kept vectors of a {@link Spectrum}: two passes ("twice is enough") of project-out-U and orthonormalisation through
 * the Gram matrix {@code S = YYᵀ}. The first pass reveals rank by a pivoted Cholesky of S (directions below the
 * threshold are dropped rather than normalised noise, which a plain Cholesky QR would not survive); the second, on
 * rows already orthonormal to rounding, is a plain Cholesky QR, with the eigen-based pass as its fallback. Every
 * step is a GEMM or TRSM with d as the long side, or a rows × rows factorisation, so the cost is linear in d.
 */
final class OrthonormalRows {
    private static final double EPS = Math.ulp(1.0);

    private OrthonormalRows() {
    }

    /**
     * The basis of the rows of {@code y} ({@code rows × d}, overwritten), orthogonal to the columns of {@code against}
     * when it is not null. Directions whose squared norm falls below {@code rows·ε·σ_max} or below
     * {@code ε·scale} (scale: the magnitude of the problem they belong to, e.g. the trace of the factor) are dropped.
     */
    static Basis of(Linalg linalg, double[] y, int rows, int d, Spectrum against, double scale) {
        if (rows == 0) {
            return new Basis(y, 0);
        }
        if (against != null && against.rank > 0) {
            projectOut(linalg, y, rows, d, against);
        }
        Basis first = pivoted(linalg, y, rows, d, EPS * scale);
        if (first.m() == 0) {
            return first;
        }
        if (against != null && against.rank > 0) {
            projectOut(linalg, first.q(), first.m(), d, against);
        }
        // the second pass starts from rows orthonormal to rounding: S ≈ I, so a Cholesky QR is safe and cheaper
        return byCholesky(linalg, first.q(), first.m(), d);
    }

    /**
     * Rank-revealing pass: Cholesky with diagonal pivoting of {@code S = YYᵀ} (LAPACK's dpstrf, unblocked: S is at
     * most (r+n)², an O(m³/3) step), stopped where the largest remaining diagonal — the squared norm of what the
     * remaining rows add — falls to the threshold; then {@code Q = L₁₁⁻¹·(PY)[0:k]}, one TRSM. A third the flops of
     * the symmetric eigendecomposition that would reveal rank too.
     */
    private static Basis pivoted(Linalg linalg, double[] y, int rows, int d, double floor) {
        double[] s = gram(linalg, y, rows, d);
        int[] order = new int[rows];
        double largest = 0;
        for (int i = 0; i < rows; i++) {
            order[i] = i;
            largest = Math.max(largest, s[i * rows + i]);
        }
        double threshold = Math.max(rows * EPS * largest, floor);
        int kept = 0;
        // right-looking: column j of L over the lower triangle of s, the trailing block updated in place
        for (int j = 0; j < rows; j++) {
            int p = j;
            for (int i = j + 1; i < rows; i++) {
                if (s[i * rows + i] > s[p * rows + p]) {
                    p = i;
                }
            }
            if (!(s[p * rows + p] > threshold)) {
                break;
            }
            swapSymmetric(s, rows, j, p);
            int t = order[j];
            order[j] = order[p];
            order[p] = t;
            double pivot = Math.sqrt(s[j * rows + j]);
            s[j * rows + j] = pivot;
            for (int i = j + 1; i < rows; i++) {
                s[i * rows + j] /= pivot;
            }
            for (int i = j + 1; i < rows; i++) {
                double lij = s[i * rows + j];
                for (int k = j + 1; k <= i; k++) {
                    s[i * rows + k] -= lij * s[k * rows + j];
                }
            }
            kept++;
        }
        double[] q = new double[kept * d];
        for (int i = 0; i < kept; i++) {
            System.arraycopy(y, order[i] * d, q, i * d, d);
        }
        if (kept > 0) {
            linalg.dtrsm(Side.LEFT, Transpose.N, kept, d, 1, s, 0, rows, q, 0, d);
        }
        return new Basis(q, kept);
    }

    /** Swaps rows and columns a < b of the symmetric matrix held in the lower triangle of s (columns < a hold L). */
    private static void swapSymmetric(double[] s, int n, int a, int b) {
        if (a == b) {
            return;
        }
        for (int k = 0; k < a; k++) { // the finished columns of L: swap rows a and b
            swap(s, a * n + k, b * n + k);
        }
        swap(s, a * n + a, b * n + b);
        for (int k = a + 1; k < b; k++) { // S[k][a] ↔ S[b][k]
            swap(s, k * n + a, b * n + k);
        }
        for (int k = b + 1; k < n; k++) { // S[k][a] ↔ S[k][b]
            swap(s, k * n + a, k * n + b);
        }
    }

    private static void swap(double[] s, int i, int j) {
        double t = s[i];
        s[i] = s[j];
        s[j] = t;
    }

    /**
     * Rank-revealing by eigendecomposition: {@code Y ← diag(σ^-½) Wᵀ Y} over the σ of {@code YYᵀ = W diag(σ) Wᵀ}
     * above the threshold.
     */
    private static Basis byEigen(Linalg linalg, double[] y, int rows, int d, double floor) {
        double[] s = gram(linalg, y, rows, d);
        double[] sigma = new double[rows];
        double[] w = new double[rows * rows];
        Spectrum.SMALL.decompose(rows, s, 0, rows, sigma, 0, w, 0, rows);
        double threshold = Math.max(rows * EPS * sigma[rows - 1], floor);
        int kept = 0;
        while (kept < rows && sigma[rows - 1 - kept] > threshold) {
            kept++;
        }
        // columns of W over the kept σ (largest first), each scaled by σ^-½
        double[] scaled = new double[rows * kept];
        for (int j = 0; j < kept; j++) {
            int from = rows - 1 - j;
            double inv = 1 / Math.sqrt(sigma[from]);
            for (int r = 0; r < rows; r++) {
                scaled[r * kept + j] = w[r * rows + from] * inv;
            }
        }
        double[] q = new double[kept * d];
        if (kept > 0) {
            linalg.dgemm(Transpose.T, Transpose.N, kept, d, rows, 1, scaled, 0, kept, y, 0, d, 0, q, 0, d);
        }
        return new Basis(q, kept);
    }

    /** {@code Y ← L⁻¹ Y} with {@code YYᵀ = LLᵀ}; falls back to the eigen pass should S not be positive definite. */
    private static Basis byCholesky(Linalg linalg, double[] y, int rows, int d) {
        double[] s = gram(linalg, y, rows, d);
        try {
            Cholesky.of(linalg).factor(rows, s, 0, rows);
        } catch (NotPositiveDefiniteException e) {
            return byEigen(linalg, y, rows, d, 0);
        }
        linalg.dtrsm(Side.LEFT, Transpose.N, rows, d, 1, s, 0, rows, y, 0, d);
        return new Basis(y, rows);
    }

    /** {@code S = YYᵀ}. */
    private static double[] gram(Linalg linalg, double[] y, int rows, int d) {
        double[] s = new double[rows * rows];
        linalg.dgemm(Transpose.N, Transpose.T, rows, rows, d, 1, y, 0, d, y, 0, d, 0, s, 0, rows);
        return s;
    }

    /** {@code Y ← Y − (Y U) Uᵀ}. */
    private static void projectOut(Linalg linalg, double[] y, int rows, int d, Spectrum u) {
        int k = u.rank;
        double[] p = new double[rows * k];
        linalg.dgemm(Transpose.N, Transpose.N, rows, k, d, 1, y, 0, d, u.vectors, 0, u.capacity(), 0, p, 0, k);
        linalg.dgemm(Transpose.N, Transpose.T, rows, d, k, -1, p, 0, k, u.vectors, 0, u.capacity(), 1, y, 0, d);
    }

    /** {@code m} orthonormal rows of length d in {@code q} (m × d). */
    record Basis(double[] q, int m) {
    }
}
