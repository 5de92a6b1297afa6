package org.kfac4j.kfac.inverse.lowrank;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;

/**
 * The damped inverse {@code (G̃ ⊗ Ã + δI)⁻¹} of two truncated factors {@code F̃ = U Λ Uᵀ + c (I − UUᵀ)} applied to a
 * {@code dOut × dIn} gradient, without forming anything of size d². With P = UUᵀ, the Kronecker product's eigenspaces
 * are the four blocks kept/discarded on each side, with eigenvalues λ_G,i λ_A,j; λ_G,i c_A; c_G λ_A,j; c_G c_A.
 * Writing {@code Ĝ = U_Gᵀ∇}, {@code Â = ∇U_A}, {@code K = U_Gᵀ∇U_A}, the sum of the four blocks is
 * <pre>
 *   ΔW = α∇ + U_G [(D₂ − α)Ĝ + Z U_Aᵀ] + Â (D₃ − α) U_Aᵀ,
 *   α = 1/(c_G c_A + δ),  D₂ = diag 1/(λ_G c_A + δ),  D₃ = diag 1/(c_G λ_A + δ),
 *   Z_ij = K_ij (1/(λ_G,i λ_A,j + δ) − D₂,i − D₃,j + α),
 * </pre>
 * five GEMMs of cost dOut·dIn·r. A block whose discarded side is empty (k = d) is left out, so complete spectra give
 * the eigen preconditioner {@code U_G [(U_Gᵀ∇U_A) ⊘ (λ_Gλ_Aᵀ + δ)] U_Aᵀ} exactly.
 */
public final class KroneckerSpectra {
    private final int dOut;
    private final int dIn;
    /** Leading dimension of the k_A-column scratch: at least 1, as BLAS asks, when A's spectrum is empty. */
    private final int ldk;
    private final double[] d2;
    private final double[] d3;
    private final double[] gHat;
    private final double[] aHat;
    private final double[] z;

    /**
     * The workspace for a {@code dOut × dIn} gradient and spectra of G and A keeping at most {@code capacityG} and
     * {@code capacityA} pairs, allocated once: the application runs at every step.
     */
    public KroneckerSpectra(int dOut, int dIn, int capacityG, int capacityA) {
        this.dOut = dOut;
        this.dIn = dIn;
        this.ldk = Math.max(1, capacityA);
        this.d2 = new double[capacityG];
        this.d3 = new double[capacityA];
        this.gHat = new double[capacityG * dIn];
        this.aHat = new double[dOut * ldk];
        this.z = new double[capacityG * ldk];
    }

    /** {@code out ← (G̃ ⊗ Ã + δI)⁻¹ grad}, all row-major doubles, {@code grad} and {@code out} {@code dOut × dIn}. */
    public void precondition(Linalg linalg, Spectrum g, Spectrum a, double damping, double[] grad, double[] out) {
        if (g.dim() != dOut || a.dim() != dIn || g.capacity() > d2.length || a.capacity() > d3.length) {
            throw new IllegalArgumentException("spectra of " + g.dim() + " and " + a.dim() + " for a workspace of "
                    + dOut + " × " + dIn);
        }
        int kg = g.rank;
        int ka = a.rank;
        boolean gTruncated = !g.complete();
        boolean aTruncated = !a.complete();
        double alpha = gTruncated && aTruncated ? 1 / (g.continuation * a.continuation + damping) : 0;
        for (int i = 0; i < kg; i++) {
            d2[i] = aTruncated ? 1 / (g.values[i] * a.continuation + damping) : 0;
        }
        for (int j = 0; j < ka; j++) {
            d3[j] = gTruncated ? 1 / (g.continuation * a.values[j] + damping) : 0;
        }
        linalg.dgemm(Transpose.T, Transpose.N, kg, dIn, dOut, 1, g.vectors, 0, g.capacity(), grad, 0, dIn, 0, gHat, 0,
                dIn);
        linalg.dgemm(Transpose.N, Transpose.N, dOut, ka, dIn, 1, grad, 0, dIn, a.vectors, 0, a.capacity(), 0, aHat, 0,
                ldk);
        linalg.dgemm(Transpose.N, Transpose.N, kg, ka, dIn, 1, gHat, 0, dIn, a.vectors, 0, a.capacity(), 0, z, 0, ldk);
        for (int i = 0; i < kg; i++) {
            for (int j = 0; j < ka; j++) {
                z[i * ldk + j] *= 1 / (g.values[i] * a.values[j] + damping) - d2[i] - d3[j] + alpha;
            }
            double s = d2[i] - alpha;
            for (int c = i * dIn; c < (i + 1) * dIn; c++) {
                gHat[c] *= s;
            }
        }
        for (int r = 0; r < dOut; r++) {
            for (int j = 0; j < ka; j++) {
                aHat[r * ldk + j] *= d3[j] - alpha;
            }
        }
        // T = (D₂ − α)Ĝ + Z U_Aᵀ, in place of Ĝ
        linalg.dgemm(Transpose.N, Transpose.T, kg, dIn, ka, 1, z, 0, ldk, a.vectors, 0, a.capacity(), 1, gHat, 0, dIn);
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha * grad[i];
        }
        linalg.dgemm(Transpose.N, Transpose.N, dOut, dIn, kg, 1, g.vectors, 0, g.capacity(), gHat, 0, dIn, 1, out, 0,
                dIn);
        linalg.dgemm(Transpose.N, Transpose.T, dOut, dIn, ka, 1, aHat, 0, ldk, a.vectors, 0, a.capacity(), 1, out, 0,
                dIn);
    }
}
