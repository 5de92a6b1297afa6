package org.kfac4j.nn.optim;

import java.util.List;
import org.kfac4j.nn.layer.Parameter;

/** Rescales gradients so that their joint Euclidean norm is at most a bound (PyTorch's {@code clip_grad_norm_}). */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales every gradient by {@code min(1, maxNorm / ‖g‖)}, ‖g‖ over all parameters together.
     *
     * @return the norm before clipping
     * @throws IllegalArgumentException when a gradient holds NaN or Inf (names the parameter)
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Parameter p : parameters) {
            int bad = p.grad().firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException("gradient of " + p.name() + " holds " + p.grad().get(bad)
                        + " at element " + bad);
            }
            for (int i = 0; i < p.grad().size(); i++) {
                double g = p.grad().get(i);
                sumSquares += g * g;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (Parameter p : parameters) {
                for (int i = 0; i < p.grad().size(); i++) {
                    p.grad().set(i, p.grad().get(i) * scale);
                }
            }
        }
        return norm;
    }
}
