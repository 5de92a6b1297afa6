package org.kfac4j.kfac;

/**
 * What one preconditioned layer looks like now, and where its time went (cumulative, in nanoseconds).
 *
 * @param layer              the layer's name
 * @param approximation      expand or reduce
 * @param positions          R as last captured (the largest graph's node count for ragged graph batches), 0 before
 *                           the first factor update
 * @param eigenvaluesA       the smallest and largest eigenvalue of A at the last decomposition (NaN for Cholesky)
 * @param eigenvaluesG       the same for G
 * @param damping            the damping of the last step
 * @param factorUpdates      refreshes of the moving averages
 * @param inverse            the inverse method (per factor where they differ) and what its last use reported
 * @param accumulationNanos  time forming and averaging the factors
 * @param decompositionNanos time decomposing or inverting them
 * @param preconditionNanos  time applying the inverse to gradients
 */
public record LayerDiagnostics(String layer, Approximation approximation, int positions, double[] eigenvaluesA,
                               double[] eigenvaluesG, double damping, long factorUpdates, String inverse,
                               long accumulationNanos, long decompositionNanos, long preconditionNanos) {
    @Override
    public String toString() {
        return String.format("%s (%s, R=%d): λ_A [%.3g, %.3g], λ_G [%.3g, %.3g], damping %.3g, %d factor updates, %s; "
                        + "accumulate %.1f ms, decompose %.1f ms, precondition %.1f ms", layer,
                approximation == null ? "auto" : approximation.label(),
                positions, eigenvaluesA[0], eigenvaluesA[1], eigenvaluesG[0], eigenvaluesG[1], damping, factorUpdates,
                inverse, accumulationNanos / 1e6, decompositionNanos / 1e6, preconditionNanos / 1e6);
    }
}
