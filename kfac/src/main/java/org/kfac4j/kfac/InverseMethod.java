package org.kfac4j.kfac;

/**
 * The full-decomposition ways to keep the damped inverse of {@code G ⊗ A} between inverse updates
 * ({@link KfacBuilder#inverseMethod}); {@link InverseStrategy} names these and the low-rank and iterative ones.
 */
public enum InverseMethod {
    /**
     * Eigendecompositions of A and G; the damping added to the Kronecker product's eigenvalues
     * ({@code (G ⊗ A + δI)⁻¹}, "exact" damping). Four GEMMs per step; the damping may change at every step.
     */
    EIGEN,
    /**
     * Eigendecompositions of A and G with the π-split damping {@code (G + √δ/π I) ⊗ (A + π√δ I)} applied in the
     * eigenbasis. Four GEMMs per step; the damping may change at every step.
     */
    EIGEN_PI_SPLIT,
    /**
     * Explicit inverses of the π-split damped factors by Cholesky, formed at each inverse update (cheaper to form than
     * eigendecompositions; two GEMMs per step). The damping in force at the inverse update is the one applied until
     * the next.
     */
    CHOLESKY_PI_SPLIT
}
