package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class ElementwiseTest {
    private static final long SEED = 7L;

    @Test
    void reluBackwardMatchesFiniteDifferences() {
        GradientCheck.check(new Relu("relu"), GradientCheck.random(SEED, DType.F64, 5, 13), SEED, 1e-7);
    }

    @Test
    void tanhBackwardMatchesFiniteDifferences() {
        GradientCheck.check(new Tanh("tanh"), GradientCheck.random(SEED, DType.F64, 3, 4, 7), SEED, 1e-7);
    }

    @Test
    void forwardIsTheScalarFunctionInBothPrecisions() {
        for (DType dtype : DType.values()) {
            Tensor x = GradientCheck.random(SEED, dtype, 37);
            Tensor relu = new Relu("r").forward(x, Pass.evaluation()).output();
            Tensor tanh = new Tanh("t").forward(x, Pass.evaluation()).output();
            double tol = dtype == DType.F32 ? 1e-7 : 1e-16;
            for (int i = 0; i < 37; i++) {
                assertEquals(Math.max(0, x.get(i)), relu.get(i), 0);
                assertEquals(Math.tanh(x.get(i)), tanh.get(i), tol);
            }
        }
    }
}
