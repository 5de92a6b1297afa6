package org.kfac4j.kfac;

/**
 * Which curvature matrix the Kronecker factors approximate; the three differ only in what is fed into the backward
 * passes that produce the output gradients g ({@code kfac-math.md}).
 *
 * @param type    the kind of matrix
 * @param samples Monte-Carlo samples per factor update (1 for the other types)
 */
public record Curvature(Type type, int samples) {
    /** The curvature matrices K-FAC can approximate. */
    public enum Type {
        /** Exact GGN (type-2 Fisher): one backward pass per column of the loss Hessian's square root (C passes). */
        EXACT_GGN,
        /** Monte-Carlo type-2 Fisher: one backward pass per target sampled from the model's predictive distribution. */
        MONTE_CARLO,
        /** Empirical Fisher: the observed targets' gradients, taken from the training backward pass (no extra pass). */
        EMPIRICAL
    }

    public Curvature {
        if (type == null || samples < 1 || (type != Type.MONTE_CARLO && samples != 1)) {
            throw new IllegalArgumentException("Curvature: " + type + " with " + samples
                    + " samples (Monte-Carlo needs >= 1, the other types exactly 1)");
        }
    }

    /** The exact GGN / type-2 Fisher. */
    public static Curvature exactGgn() {
        return new Curvature(Type.EXACT_GGN, 1);
    }

    /** The Monte-Carlo Fisher with {@code samples} sampled targets per factor update. */
    public static Curvature monteCarlo(int samples) {
        return new Curvature(Type.MONTE_CARLO, samples);
    }

    /** The empirical Fisher. */
    public static Curvature empirical() {
        return new Curvature(Type.EMPIRICAL, 1);
    }

    @Override
    public String toString() {
        return switch (type) {
            case EXACT_GGN -> "exact GGN";
            case MONTE_CARLO -> "Monte-Carlo Fisher (" + samples + (samples == 1 ? " sample)" : " samples)");
            case EMPIRICAL -> "empirical Fisher";
        };
    }
}
