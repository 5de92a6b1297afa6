package org.kfac4j.linalg.eigen;

import java.util.Arrays;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * One merge of divide and conquer (Cuppen; LAPACK's dlaed1-3): the tridiagonal T of two solved halves coupled
 * by β is Q·(D + ρ·z·zᵀ)·Qᵀ with Q = diag(Q₁, Q₂), ρ = 2|β| and z = [last row of Q₁; ±first row of Q₂]/√2,
 * ‖z‖ = 1. Its eigenvectors are Q times those of the rank-one update:
 *
 * <ol>
 *   <li>Deflation: a pair whose z_i is negligible, or two poles so close that a rotation zeroes one z_i at
 *       negligible cost, is already an eigenpair (tolerance 8ε·max(|d|, |z|)).</li>
 *   <li>The remaining k poles give k roots of the {@link SecularEquation}.</li>
 *   <li>Gu and Eisenstat: ẑ is recomputed from the roots so that the computed roots are exact eigenvalues of
 *       D + ρ·ẑ·ẑᵀ; the vectors (ẑ_i / (d_i − λ_j))_i are then orthogonal to working precision.</li>
 *   <li>The new eigenvectors are one GEMM with those vectors. Eigenvectors are held as rows; a row of Q₁
 *       (Q₂) is zero right (left) of the split, so the kept rows are ordered [Q₁ only | mixed by a rotation |
 *       Q₂ only] and each half of the columns multiplies only the rows that are non-zero there (LAPACK's column
 *       types), which halves the flops when nothing mixed.</li>
 * </ol>
 */
final class RankOneMerge {
    private static final double EPS = 0x1p-52;
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** Roots, ẑ entries or vector rows per parallel task. */
    private static final int TASK = 32;
    private static final byte TOP = 1, MIXED = 2, BOTTOM = 3;

    private final GemmEngine<double[]> gemm;
    private final Level1KernelF64 l1;
    private final ThreadTeam team;

    RankOneMerge(GemmEngine<double[]> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.gemm = gemm;
        this.l1 = l1;
        this.team = team;
    }

    /**
     * Merges the solved halves [lo, mid) and [mid, hi) of a tridiagonal matrix coupled by {@code beta}. On entry
     * {@code d[lo:hi)} holds the halves' eigenvalues and rows lo..hi−1 of q (columns lo..hi−1, leading dimension
     * ldq) their eigenvectors, block-diagonally; on return they hold the merged eigenpairs, in no particular
     * order. {@code gather} and {@code u} are scratch from {@code wsOff} on, (hi − lo)² entries each.
     */
    void merge(int lo, int mid, int hi, double beta, double[] d, double[] q, int qOff, int ldq,
               double[] gather, double[] u, int wsOff) {
        if (beta == 0) {
            return; // the halves do not interact: their eigenpairs are the merged ones
        }
        int m = hi - lo;
        int m1 = mid - lo;
        int block = qOff + lo * ldq + lo;
        double rho = 2 * Math.abs(beta);
        double[] z = new double[m];
        for (int i = 0; i < m1; i++) {
            z[i] = q[block + i * ldq + m1 - 1] * INV_SQRT2;
        }
        for (int i = m1; i < m; i++) {
            z[i] = Math.copySign(INV_SQRT2, beta) * q[block + i * ldq + m1];
        }
        double[] dl = Arrays.copyOfRange(d, lo, hi);
        double dMax = 0, zMax = 0;
        for (int i = 0; i < m; i++) {
            dMax = Math.max(dMax, Math.abs(dl[i]));
            zMax = Math.max(zMax, Math.abs(z[i]));
        }
        double tol = 8 * EPS * Math.max(dMax, zMax);
        if (rho * zMax <= tol) {
            return; // the coupling is negligible
        }

        // Deflation, in ascending order of d: each pole is compared with the last one not deflated.
        int[] order = Ordering.ascending(dl, 0, m);
        byte[] type = new byte[m];
        Arrays.fill(type, 0, m1, TOP);
        Arrays.fill(type, m1, m, BOTTOM);
        int[] kept = new int[m];
        int[] deflated = new int[m];
        int k = 0, nd = 0, prev = -1;
        for (int t = 0; t < m; t++) {
            int i = order[t];
            if (rho * Math.abs(z[i]) <= tol) {
                deflated[nd++] = i;
                continue;
            }
            if (prev < 0) {
                prev = i;
                continue;
            }
            // The rotation of the pair (prev, i) that moves all of z onto i: c = z_i/r, s = −z_prev/r.
            double r = Math.hypot(z[prev], z[i]);
            double c = z[i] / r;
            double s = -z[prev] / r;
            if (Math.abs((dl[i] - dl[prev]) * c * s) <= tol) {
                z[i] = r;
                z[prev] = 0;
                double dp = dl[prev] * c * c + dl[i] * s * s;
                dl[i] = dl[prev] * s * s + dl[i] * c * c;
                dl[prev] = dp;
                boolean sameHalf = type[prev] == type[i] && type[i] != MIXED;
                int from = sameHalf && type[i] == BOTTOM ? m1 : 0;
                int len = sameHalf ? (type[i] == TOP ? m1 : m - m1) : m;
                l1.rot(len, q, block + prev * ldq + from, q, block + i * ldq + from, c, s);
                if (!sameHalf) {
                    type[i] = MIXED;
                }
                deflated[nd++] = prev;
            } else {
                kept[k++] = prev;
            }
            prev = i;
        }
        kept[k++] = prev;

        double[] dk = new double[k];
        double[] zk = new double[k];
        for (int j = 0; j < k; j++) {
            dk[j] = dl[kept[j]];
            zk[j] = z[kept[j]];
        }
        int[] origin = new int[k];
        double[] tau = new double[k];
        final int kk = k;
        team.forEachRange(k, TASK, (from, to) -> {
            double[] delta = new double[kk];
            double[] sums = new double[6];
            for (int j = from; j < to; j++) {
                SecularEquation.root(j, kk, dk, zk, rho, origin, tau, delta, sums, l1);
            }
        });

        // Gu–Eisenstat: ρ·ẑ_i² = (λ_i − d_i)·Π_{j≠i} (d_i − λ_j)/(d_i − d_j), each factor of order one.
        double[] zHat = new double[k];
        team.forEachRange(k, TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                double di = dk[i];
                double prod = (dk[origin[i]] - di) + tau[i];
                for (int j = 0; j < kk; j++) {
                    if (j != i) {
                        prod *= ((di - dk[origin[j]]) - tau[j]) / (di - dk[j]);
                    }
                }
                zHat[i] = Math.copySign(Math.sqrt(Math.abs(prod) / rho), zk[i]);
            }
        });

        // Positions in the order [top only | mixed | bottom only].
        int k1 = 0, k2 = 0;
        for (int j = 0; j < k; j++) {
            if (type[kept[j]] == TOP) {
                k1++;
            } else if (type[kept[j]] == MIXED) {
                k2++;
            }
        }
        int[] pos = new int[k];
        int nextTop = 0, nextMixed = k1, nextBottom = k1 + k2;
        for (int j = 0; j < k; j++) {
            byte ty = type[kept[j]];
            pos[j] = ty == TOP ? nextTop++ : ty == MIXED ? nextMixed++ : nextBottom++;
        }

        // Row j of u: the unit eigenvector of D + ρ·ẑ·ẑᵀ for root j, its entries at the positions above.
        team.forEachRange(k, TASK, (from, to) -> {
            for (int j = from; j < to; j++) {
                int row = wsOff + j * kk;
                double dOrigin = dk[origin[j]];
                double tj = tau[j];
                for (int i = 0; i < kk; i++) {
                    u[row + pos[i]] = zHat[i] / ((dk[i] - dOrigin) - tj);
                }
                l1.scale(kk, 1 / Householder.norm(kk, u, row, l1), u, row);
            }
        });

        // Gather the kept rows of Q (in position order) and the deflated ones, then write the block anew.
        for (int j = 0; j < k; j++) {
            System.arraycopy(q, block + kept[j] * ldq, gather, wsOff + pos[j] * m, m);
        }
        for (int t = 0; t < nd; t++) {
            System.arraycopy(q, block + deflated[t] * ldq, gather, wsOff + (k + t) * m, m);
        }
        int k3 = k - k1 - k2;
        gemm.gemm(false, false, k, m1, k1 + k2, 1.0, u, wsOff, k, gather, wsOff, m, 0.0, q, block, ldq);
        gemm.gemm(false, false, k, m - m1, k2 + k3, 1.0, u, wsOff + k1, k, gather, wsOff + k1 * m + m1, m,
                0.0, q, block + m1, ldq);
        for (int t = 0; t < nd; t++) {
            System.arraycopy(gather, wsOff + (k + t) * m, q, block + (k + t) * ldq, m);
        }
        for (int j = 0; j < k; j++) {
            d[lo + j] = dk[origin[j]] + tau[j];
        }
        for (int t = 0; t < nd; t++) {
            d[lo + k + t] = dl[deflated[t]];
        }
    }

}
