package org.kfac4j.linalg.eigen;

import org.kfac4j.linalg.ConvergenceException;
import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * Eigenvalues, and optionally eigenvectors, of a symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson shifts (EISPACK's tql2). O(n²) without vectors; with vectors each sweep rotates pairs of rows, so it
 * is used for the small leaves of divide and conquer only.
 */
final class TridiagonalQl {
    /** Sweeps allowed per eigenvalue, as in EISPACK and LAPACK; two or three are typical. */
    static final int MAX_SWEEPS_PER_EIGENVALUE = 30;
    private static final double EPS = 0x1p-52;

    private TridiagonalQl() {
    }

    /**
     * Diagonalises the n×n tridiagonal matrix with diagonal {@code d[dOff : dOff+n)} and off-diagonal
     * {@code e[eOff : eOff+n−1)}: on return d holds the eigenvalues (in no particular order) and e is destroyed
     * ({@code e[eOff+n−1]} is used as scratch). With {@code z} non-null, rows {@code zOff + i·ldz} (i in [0, n),
     * {@code zLen} entries each) are the basis the matrix is expressed in; they are rotated along so that on
     * return row i is the eigenvector of eigenvalue {@code d[dOff+i]}.
     *
     * @param offNorm an off-diagonal entry at most ε·offNorm counts as zero whatever its neighbours (pass the
     *                matrix's norm: this bounds the backward error by ε·‖T‖)
     * @throws ConvergenceException after {@value #MAX_SWEEPS_PER_EIGENVALUE} sweeps without convergence for one
     *                              eigenvalue (never seen on finite input)
     */
    static void solve(int n, double[] d, int dOff, double[] e, int eOff, double offNorm,
                      double[] z, int zOff, int ldz, int zLen, Level1KernelF64 l1) {
        if (n == 0) {
            return;
        }
        e[eOff + n - 1] = 0;
        double absTol = EPS * offNorm;
        for (int l = 0; l < n; l++) {
            int sweeps = 0;
            while (true) {
                int m = l;
                for (; m < n - 1; m++) {
                    double em = Math.abs(e[eOff + m]);
                    if (em <= EPS * (Math.abs(d[dOff + m]) + Math.abs(d[dOff + m + 1])) || em <= absTol) {
                        break;
                    }
                }
                if (m == l) {
                    break; // d[l] has converged
                }
                if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
                    throw new ConvergenceException("tridiagonal QL: eigenvalue " + l + " of " + n
                            + " did not converge in " + MAX_SWEEPS_PER_EIGENVALUE + " sweeps");
                }
                // Wilkinson shift: the eigenvalue of the leading 2×2 block nearer to d[l].
                double g = (d[dOff + l + 1] - d[dOff + l]) / (2 * e[eOff + l]);
                double r = Math.hypot(g, 1.0);
                g = d[dOff + m] - d[dOff + l] + e[eOff + l] / (g + Math.copySign(r, g));
                double s = 1, c = 1, p = 0;
                boolean underflow = false;
                // Chase the bulge from the bottom of the unreduced block [l, m] up to l.
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[eOff + i];
                    double b = c * e[eOff + i];
                    r = Math.hypot(f, g);
                    e[eOff + i + 1] = r;
                    if (r == 0) {
                        // The rotation underflowed: the block splits at i; restart from the new split.
                        d[dOff + i + 1] -= p;
                        e[eOff + m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[dOff + i + 1] - p;
                    r = (d[dOff + i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[dOff + i + 1] = g + p;
                    g = c * r - b;
                    if (z != null) {
                        // (row i, row i+1) ← (c·row i − s·row i+1, s·row i + c·row i+1)
                        l1.rot(zLen, z, zOff + i * ldz, z, zOff + (i + 1) * ldz, c, -s);
                    }
                }
                if (underflow) {
                    continue;
                }
                d[dOff + l] -= p;
                e[eOff + l] = g;
                e[eOff + m] = 0;
            }
        }
    }
}
