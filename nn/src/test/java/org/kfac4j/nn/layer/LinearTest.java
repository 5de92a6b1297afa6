package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class LinearTest {
    private static final long SEED = 20261123L;

    @ParameterizedTest(name = "N={0} R={1} {2}→{3} bias={4}")
    @CsvSource({"3, 1, 5, 4, true", "2, 7, 3, 6, false", "1, 1, 1, 1, true", "4, 5, 17, 9, true", "2, 3, 33, 1, false"})
    void backwardMatchesFiniteDifferences(int n, int r, int in, int out, boolean bias) {
        Linear layer = new Linear("fc", in, out, bias, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED + 1, DType.F64, r == 1 ? new int[] {n, in} : new int[] {n, r, in});
        GradientCheck.check(layer, x, SEED, 1e-6);
    }

    @Test
    void forwardIsTheDefinitionAtEveryPosition() {
        for (DType dtype : DType.values()) {
            Linear layer = new Linear("fc", 19, 11, true, dtype, new SplittableRandom(SEED));
            Tensor x = GradientCheck.random(SEED + 2, dtype, 3, 4, 19);
            Tensor y = layer.forward(x, Pass.evaluation()).output();
            assertTrue(y.hasShape(3, 4, 11));
            Tensor w = layer.weight().value();
            Tensor b = layer.bias().orElseThrow().value();
            double tol = dtype == DType.F32 ? 1e-5 : 1e-13;
            for (int n = 0; n < 3; n++) {
                for (int r = 0; r < 4; r++) {
                    for (int o = 0; o < 11; o++) {
                        double s = b.get(o);
                        for (int i = 0; i < 19; i++) {
                            s += x.at(n, r, i) * w.at(o, i);
                        }
                        assertEquals(s, y.at(n, r, o), tol * 20, dtype + " y[" + n + "," + r + "," + o + "]");
                    }
                }
            }
        }
    }

    @Test
    void initialisationFollowsPyTorchsBound() {
        Linear layer = new Linear("fc", 400, 30, true, DType.F32, new SplittableRandom(SEED));
        double bound = 1 / Math.sqrt(400);
        assertTrue(GradientCheck.maxAbs(layer.weight().value()) <= bound);
        assertTrue(GradientCheck.maxAbs(layer.weight().value()) > 0.9 * bound);
        assertTrue(GradientCheck.maxAbs(layer.bias().orElseThrow().value()) <= bound);
    }

    @Test
    void shapeErrorsNameTheLayerAndBothShapes() {
        Linear layer = new Linear("encoder.fc1", 8, 4, true, DType.F32, new SplittableRandom(SEED));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> layer.forward(Tensor.zeros(DType.F32, 2, 7), Pass.evaluation()));
        assertTrue(e.getMessage().contains("encoder.fc1"), e.getMessage());
        assertTrue(e.getMessage().contains("[N, ..., 8]") && e.getMessage().contains("[2, 7]"), e.getMessage());
        ShapeMismatchException dtype = assertThrows(ShapeMismatchException.class,
                () -> layer.forward(Tensor.zeros(DType.F64, 2, 8), Pass.evaluation()));
        assertTrue(dtype.getMessage().contains("F64"), dtype.getMessage());
        Node node = layer.forward(Tensor.zeros(DType.F32, 2, 8), Pass.evaluation());
        ShapeMismatchException grad = assertThrows(ShapeMismatchException.class,
                () -> node.backward(Tensor.zeros(DType.F32, 2, 5), Backward.TRAIN));
        assertTrue(grad.getMessage().contains("[2, 4]") && grad.getMessage().contains("[2, 5]"), grad.getMessage());
    }

    @Test
    void parameterGradientsAccumulateAcrossBackwardCalls() {
        Linear layer = new Linear("fc", 3, 2, true, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F64, 4, 3);
        Node node = layer.forward(x, Pass.evaluation());
        Tensor g = GradientCheck.random(SEED + 5, DType.F64, 4, 2);
        node.backward(g, Backward.TRAIN);
        Tensor once = layer.weight().grad().copy();
        node.backward(g, Backward.TRAIN);
        for (int i = 0; i < once.size(); i++) {
            assertEquals(2 * once.get(i), layer.weight().grad().get(i), 1e-15);
        }
        node.backward(g, Backward.CAPTURE_ONLY);
        for (int i = 0; i < once.size(); i++) {
            assertEquals(2 * once.get(i), layer.weight().grad().get(i), 1e-15, "a capture-only pass changed ∂L/∂W");
        }
    }
}
