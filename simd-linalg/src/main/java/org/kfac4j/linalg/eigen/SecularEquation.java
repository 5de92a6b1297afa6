package org.kfac4j.linalg.eigen;

import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * Roots of the secular equation of a rank-one update D + ρ·z·zᵀ (ρ > 0, d strictly increasing, z without zeros):
 *
 * <pre>  g(λ) = 1/ρ + Σ_i z_i² / (d_i − λ) = 0  </pre>
 *
 * g increases between its poles, so root j lies in (d_j, d_{j+1}), and the last one in (d_{k−1}, d_{k−1} + ρ·zᵀz].
 * Each root is returned as the pole it is nearer to (its origin o_j) and the offset τ_j = λ_j − d_{o_j}, so that
 * the differences d_i − λ_j = (d_i − d_{o_j}) − τ_j, which make the eigenvectors, keep their relative accuracy even
 * when λ_j is within a few ulps of d_{o_j}.
 *
 * <p>Iteration: Li's "middle way" rational model (as in LAPACK's dlaed4). The terms with poles left of the root
 * are matched by s/(d_a − λ) plus a constant, those right of it by t/(d_b − λ), value and slope at the current
 * point; the model's root is the next iterate. The root is always kept in a bracket that every evaluation
 * narrows, and a step that leaves it, or two steps in a row that fail to halve |g|, bisect instead. Iterations
 * stop when |g| is below its rounding-error bound, or at {@value #MAX_ITERATIONS}: never a hang.
 */
final class SecularEquation {
    /** Bound on evaluations per root: the rational steps converge in 2-5; bisection alone needs at most ~60. */
    static final int MAX_ITERATIONS = 100;
    private static final double EPS = 0x1p-52;

    private SecularEquation() {
    }

    /**
     * Root j of the k-term equation: writes {@code origin[j]} and {@code tau[j]}. {@code delta} (k entries) and
     * {@code sums} (6 entries) are scratch; the sums over the poles are {@code l1}'s.
     */
    static void root(int j, int k, double[] d, double[] z, double rho, int[] origin, double[] tau, double[] delta,
                     double[] sums, Level1KernelF64 l1) {
        if (k == 1) {
            origin[j] = 0;
            tau[j] = rho * z[0] * z[0];
            return;
        }
        double rhoInv = 1 / rho;
        int o;
        int a;
        double lo;
        double hi;
        double t;
        if (j < k - 1) {
            a = j;
            double mid = 0.5 * (d[j + 1] - d[j]);
            setOrigin(k, d, j, delta);
            l1.secularSums(k, z, 0, delta, mid, sums, 0);
            if (rhoInv + sums[0] >= 0) {
                o = j; // the root lies in the left half: measure it from d_j
                lo = 0;
                hi = mid;
                t = mid;
            } else {
                o = j + 1; // the right half: from d_{j+1}
                setOrigin(k, d, j + 1, delta);
                lo = delta[j];
                hi = 0;
                t = -mid;
            }
        } else {
            a = k - 2;
            o = k - 1;
            setOrigin(k, d, o, delta);
            double zz = 0;
            for (int i = 0; i < k; i++) {
                zz += z[i] * z[i];
            }
            lo = 0;
            hi = rho * zz; // g(d_{k−1} + ρ·zᵀz) ≥ 0, since every |d_i − λ| ≥ ρ·zᵀz there
            t = 0.5 * hi;
        }
        int b = a + 1;
        double previousAbsG = Double.POSITIVE_INFINITY;
        int slowSteps = 0;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            // ψ over the poles left of the root (i ≤ a), φ over those right of it (i ≥ b); slopes dψ, dφ.
            l1.secularSums(a + 1, z, 0, delta, t, sums, 0);
            l1.secularSums(k - b, z, b, delta, t, sums, 3);
            double psi = sums[0], dpsi = sums[1], phi = sums[3], dphi = sums[4];
            double errorSum = sums[2] + sums[5];
            double g = rhoInv + psi + phi;
            // A bound on the rounding error of g as evaluated (terms, partial sums, and τ's own error).
            double errorBound = 8 * (phi - psi) + errorSum + 2 * rhoInv + Math.abs(t) * (dpsi + dphi);
            if (Math.abs(g) <= EPS * errorBound) {
                break;
            }
            if (g < 0) {
                lo = Math.max(lo, t);
            } else {
                hi = Math.min(hi, t);
            }
            if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
                break; // the bracket holds no other double
            }
            slowSteps = Math.abs(g) > 0.5 * previousAbsG ? slowSteps + 1 : 0;
            previousAbsG = Math.abs(g);
            double next = slowSteps >= 2 ? Double.NaN : t + modelStep(delta[a] - t, delta[b] - t, g, dpsi, dphi,
                    lo - t, hi - t);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
                slowSteps = 0;
            }
            if (next == t) {
                break;
            }
            t = next;
        }
        origin[j] = o;
        tau[j] = t;
    }

    /** delta[i] = d_i − d_o: exact for the neighbours of o, whose differences matter most. */
    private static void setOrigin(int k, double[] d, int o, double[] delta) {
        double dOrigin = d[o];
        for (int i = 0; i < k; i++) {
            delta[i] = d[i] - dOrigin;
        }
    }


    /**
     * The step η to the root of the model c + s/(Δa − η) + t/(Δb − η) that matches g, dψ and dφ at the current
     * point (Δ = pole − current point); NaN when the model has no root in (etaLo, etaHi).
     */
    private static double modelStep(double da, double db, double g, double dpsi, double dphi,
                                    double etaLo, double etaHi) {
        double s = da * da * dpsi;
        double u = db * db * dphi;
        double c = g - s / da - u / db;
        // c·(Δa − η)(Δb − η) + s·(Δb − η) + u·(Δa − η) = 0, i.e. qa·η² + qb·η + qc = 0.
        double qa = c;
        double qb = -(c * (da + db) + s + u);
        double qc = c * da * db + s * db + u * da;
        double r1;
        double r2;
        if (qa == 0) {
            r1 = r2 = -qc / qb;
        } else {
            double disc = Math.max(0, qb * qb - 4 * qa * qc);
            double q = -0.5 * (qb + Math.copySign(Math.sqrt(disc), qb));
            r1 = q / qa;
            r2 = q != 0 ? qc / q : r1;
        }
        boolean in1 = r1 > etaLo && r1 < etaHi;
        boolean in2 = r2 > etaLo && r2 < etaHi;
        if (in1 && in2) {
            return Math.abs(r1) <= Math.abs(r2) ? r1 : r2;
        }
        return in1 ? r1 : in2 ? r2 : Double.NaN;
    }
}
