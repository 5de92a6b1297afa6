package org.kfac4j.kfac;

import java.util.random.RandomGenerator;
import org.kfac4j.kfac.factor.GradientPasses;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Runs the backward passes a curvature type needs from one forward pass, and says which passes hold the output
 * gradients and how to scale them into G ({@link GradientPasses}).
 */
final class CurvatureBackward {
    private CurvatureBackward() {
    }

    /**
     * The passes for {@code curvature}. The empirical Fisher reads the training backward pass, which must have been
     * run from the gradient of {@code loss} at the observed targets ({@code loss.evaluate(output, targets)
     * .gradient()}, as {@code backward} takes it); the exact GGN and the Monte-Carlo Fisher run their own passes.
     */
    static <Y> GradientPasses run(ForwardResult forward, Loss<Y> loss, Curvature curvature, RandomGenerator rng) {
        Tensor output = forward.output();
        double z = loss.normaliser(output);
        int first = forward.captures().backwardPasses();
        return switch (curvature.type()) {
            case EMPIRICAL -> {
                if (first == 0) {
                    throw new IllegalStateException("the empirical Fisher reads the training backward pass's output "
                            + "gradients: call backward(loss gradient) on this forward pass before the K-FAC step");
                }
                yield new GradientPasses(first - 1, 1, z);
            }
            case EXACT_GGN -> {
                int columns = loss.hessianColumns(output);
                for (int c = 0; c < columns; c++) {
                    forward.backwardCaptureOnly(loss.hessianFactorColumn(output, c));
                }
                yield new GradientPasses(first, columns, 1 / z);
            }
            case MONTE_CARLO -> {
                for (int s = 0; s < curvature.samples(); s++) {
                    Y sampled = loss.sample(output, rng);
                    // the gradient of the mean loss carries 1/Z: the scale Z/k gives (1/(Z·k)) Σ (Z·g)(Z·g)ᵀ
                    forward.backwardCaptureOnly(loss.evaluate(output, sampled).gradient());
                }
                yield new GradientPasses(first, curvature.samples(), z / curvature.samples());
            }
        };
    }
}
