package org.kfac4j.kfac.factor;

/**
 * Which backward passes of a forward pass carry the output gradients the G factor is built from, and the scale that
 * turns {@code Σ g gᵀ} over them into the factor: backward passes {@code first .. first + count − 1} of the
 * captures, {@code G_batch = scale · Σ_passes Σ_rows g gᵀ} (before reduce's per-example sums).
 *
 * @param first the index of the first pass (as counted by {@code Captures.beginBackward()})
 * @param count how many passes
 * @param scale 1/Z for the exact GGN (columns of the Hessian's square root), Z/k for k Monte-Carlo samples and Z for
 *              the empirical Fisher (both seeded with gradients of the mean loss, which carry a 1/Z each)
 */
public record GradientPasses(int first, int count, double scale) {
    public GradientPasses {
        if (first < 0 || count < 1 || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("GradientPasses: need first >= 0, count >= 1 and a finite scale > 0, got "
                    + first + ", " + count + ", " + scale);
        }
    }
}
