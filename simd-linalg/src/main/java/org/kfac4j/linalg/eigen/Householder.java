package org.kfac4j.linalg.eigen;

import org.kfac4j.linalg.kernel.Level1KernelF64;

/** Elementary reflectors H = I − τ·v·vᵀ, as LAPACK's dlarfg makes them. */
final class Householder {
    /**
     * Below this norm the rest of a column is treated as zero: the solver works on matrices scaled to a largest
     * entry near 1, so this is far below the ε·‖A‖ the result is accurate to, and 1/norm stays finite.
     */
    private static final double NEGLIGIBLE = 0x1p-900;

    private Householder() {
    }

    /**
     * Makes H with H·x = β·e₁ for x = {@code x[off : off+m)} (m ≥ 1) and returns τ. On return {@code x[off]}
     * holds β and {@code x[off+1 : off+m)} holds v's tail (v₀ = 1 is implicit). With a zero tail, τ = 0 (H = I).
     */
    static double reflect(int m, double[] x, int off, Level1KernelF64 l1) {
        double tailNorm = norm(m - 1, x, off + 1, l1);
        if (tailNorm <= NEGLIGIBLE) {
            return 0.0;
        }
        double alpha = x[off];
        double beta = -Math.copySign(Math.hypot(alpha, tailNorm), alpha);
        l1.scale(m - 1, 1.0 / (alpha - beta), x, off + 1);
        x[off] = beta;
        return (beta - alpha) / beta;
    }

    /** ‖x‖₂, by the plain sum of squares unless it over- or underflows, then by a scaled one. */
    static double norm(int n, double[] x, int off, Level1KernelF64 l1) {
        double sumSq = l1.dot(n, x, off, x, off);
        if (sumSq > 0x1p-900 && sumSq < 0x1p900) {
            return Math.sqrt(sumSq);
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(x[off + i]));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double r = x[off + i] / max;
            sum += r * r;
        }
        return max * Math.sqrt(sum);
    }
}
