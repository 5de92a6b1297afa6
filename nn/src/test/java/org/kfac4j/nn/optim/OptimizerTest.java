package org.kfac4j.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.Tensor;

/** Updates against their published definitions (PyTorch's documented pseudo-code), step by step by hand. */
class OptimizerTest {
    private static Parameter scalar(double value) {
        return new Parameter("p", Tensor.wrap(new double[] {value}, 1));
    }

    @Test
    void sgdWithNesterovMomentumAndWeightDecay() {
        Parameter p = scalar(1.0);
        Sgd sgd = new Sgd(List.of(p), Schedule.constant(0.1), 0.9, true, 0.01);
        double[] grads = {0.5, -0.2, 0.3};
        double theta = 1.0;
        double buf = 0;
        for (int t = 0; t < grads.length; t++) {
            p.grad().set(0, grads[t]);
            sgd.step();
            double g = grads[t] + 0.01 * theta;
            buf = t == 0 ? g : 0.9 * buf + g;
            theta -= 0.1 * (g + 0.9 * buf);
            assertEquals(theta, p.value().get(0), 1e-15, "step " + t);
        }
        assertEquals(3, sgd.steps());
    }

    @Test
    void sgdWithoutMomentumIsPlainGradientDescent() {
        Parameter p = scalar(2.0);
        Sgd sgd = new Sgd(List.of(p), Schedule.constant(0.5), 0, false, 0);
        p.grad().set(0, 3.0);
        sgd.step();
        assertEquals(0.5, p.value().get(0), 0);
    }

    @Test
    void adamWDecouplesTheDecayAndCorrectsTheBias() {
        Parameter p = scalar(1.0);
        AdamW adam = new AdamW(List.of(p), Schedule.constant(0.01), 0.9, 0.999, 1e-8, 0.1);
        double[] grads = {0.5, -0.2, 0.3};
        double theta = 1.0;
        double m = 0;
        double v = 0;
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            p.grad().set(0, g);
            adam.step();
            theta *= 1 - 0.01 * 0.1;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mHat = m / (1 - Math.pow(0.9, t));
            double vHat = v / (1 - Math.pow(0.999, t));
            theta -= 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
            assertEquals(theta, p.value().get(0), 1e-15, "step " + t);
        }
    }

    @Test
    void warmupCosineRisesLinearlyThenDecaysToTheFloor() {
        Schedule s = Schedule.warmupCosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(1.0, s.at(9), 1e-15);
        assertEquals(1.0, s.at(10), 1e-15);
        assertEquals(0.55, s.at(60), 1e-15);
        assertEquals(0.1, s.at(110), 1e-15);
        assertEquals(0.1, s.at(1000), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Schedule.warmupCosine(1, 10, 5, 0));
    }

    @Test
    void clippingScalesTheJointNormDownOnly() {
        Parameter a = new Parameter("a", Tensor.wrap(new double[2], 2));
        Parameter b = new Parameter("b", Tensor.wrap(new double[1], 1));
        a.grad().set(0, 3);
        b.grad().set(0, 4);
        assertEquals(5, GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0), 1e-15);
        assertEquals(0.6, a.grad().get(0), 1e-15);
        assertEquals(0.8, b.grad().get(0), 1e-15);
        assertEquals(1.0, GradientClipping.clipByGlobalNorm(List.of(a, b), 2.0), 1e-15);
        assertEquals(0.6, a.grad().get(0), 1e-15);
        b.grad().set(0, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0));
    }

    /** Restoring a state into a fresh optimiser continues the exact trajectory of the one it was taken from. */
    @Test
    void restoredStateContinuesTheSameTrajectory() {
        double[] grads = {0.5, -0.2, 0.3, 0.7, -0.4};
        for (int kind = 0; kind < 2; kind++) {
            Parameter p = scalar(1.0);
            Optimizer first = optimizer(kind, p);
            for (int t = 0; t < 3; t++) {
                p.grad().set(0, grads[t]);
                first.step();
            }
            Map<String, Tensor> saved = new LinkedHashMap<>();
            first.state().forEach((k, v) -> saved.put(k, v.copy()));
            double thetaAtSave = p.value().get(0);
            for (int t = 3; t < grads.length; t++) {
                p.grad().set(0, grads[t]);
                first.step();
            }
            Parameter q = scalar(thetaAtSave);
            Optimizer resumed = optimizer(kind, q);
            resumed.restore(saved);
            assertEquals(3, resumed.steps());
            for (int t = 3; t < grads.length; t++) {
                q.grad().set(0, grads[t]);
                resumed.step();
            }
            assertEquals(p.value().get(0), q.value().get(0), 0.0, "optimiser " + kind);
            Map<String, Tensor> broken = new LinkedHashMap<>(saved);
            broken.remove("steps");
            Optimizer other = optimizer(kind, scalar(0));
            assertThrows(IllegalArgumentException.class, () -> other.restore(broken));
        }
    }

    private static Optimizer optimizer(int kind, Parameter p) {
        return kind == 0 ? new Sgd(List.of(p), Schedule.constant(0.1), 0.9, true, 0.01)
                : new AdamW(List.of(p), Schedule.warmupCosine(0.01, 2, 10, 0), 0.9, 0.999, 1e-8, 0.1);
    }
}
