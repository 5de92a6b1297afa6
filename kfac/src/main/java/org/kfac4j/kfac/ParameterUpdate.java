package org.kfac4j.kfac;

import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** The all-in-one step's update of one parameter: {@code d ← ∇ + λθ; b ← μb + d; θ ← θ − ηb} (b = d when μ = 0). */
final class ParameterUpdate {
    private ParameterUpdate() {
    }

    static void apply(Tensor theta, Tensor grad, Tensor buffer, double lr, double momentum, double weightDecay) {
        if (theta.dtype() == DType.F32) {
            float[] t = theta.f32();
            float[] g = grad.f32();
            float[] b = buffer == null ? null : buffer.f32();
            for (int i = 0; i < t.length; i++) {
                double d = g[i] + weightDecay * t[i];
                if (b != null) {
                    d = momentum * b[i] + d;
                    b[i] = (float) d;
                }
                t[i] = (float) (t[i] - lr * d);
            }
        } else {
            double[] t = theta.f64();
            double[] g = grad.f64();
            double[] b = buffer == null ? null : buffer.f64();
            for (int i = 0; i < t.length; i++) {
                double d = g[i] + weightDecay * t[i];
                if (b != null) {
                    d = momentum * b[i] + d;
                    b[i] = d;
                }
                t[i] = t[i] - lr * d;
            }
        }
    }
}
