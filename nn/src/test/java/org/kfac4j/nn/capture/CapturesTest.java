package org.kfac4j.nn.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.layer.Tanh;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class CapturesTest {
    private static final long SEED = 99L;

    @Test
    void inputsCarryTheOnesColumnAndKeepTheNxRxDLayout() {
        Linear fc = new Linear("fc", 3, 2, true, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F64, 2, 4, 3);
        Captures captures = Captures.create();
        ForwardResult f = new Model("m", fc, DType.F64).forward(x, Pass.training(captures));
        Tensor a = captures.of(fc).inputs().get(0);
        assertTrue(a.hasShape(2, 4, 4));
        for (int n = 0; n < 2; n++) {
            for (int r = 0; r < 4; r++) {
                for (int i = 0; i < 3; i++) {
                    assertEquals(x.at(n, r, i), a.at(n, r, i), 0);
                }
                assertEquals(1.0, a.at(n, r, 3), 0);
            }
        }
        Tensor g = GradientCheck.random(SEED + 1, DType.F64, 2, 4, 2);
        f.backward(g);
        Tensor recorded = captures.of(fc).outputGradient(0, 0);
        assertTrue(recorded.hasShape(2, 4, 2));
        for (int i = 0; i < g.size(); i++) {
            assertEquals(g.get(i), recorded.get(i), 0);
        }
    }

    @Test
    void withoutBiasTheInputIsHandedOverWithoutACopy() {
        Linear fc = new Linear("fc", 3, 2, false, DType.F32, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F32, 5, 3);
        Captures captures = Captures.create();
        new Model("m", fc, DType.F32).forward(x, Pass.training(captures));
        Tensor a = captures.of(fc).inputs().get(0);
        assertTrue(a.hasShape(5, 1, 3));
        assertSame(x.f32(), a.f32());
    }

    /**
     * An input recorded by reference and refilled before K-FAC reads it (a batch buffer reused too early) is a typed
     * error naming the layer and call, not factors formed from other data; unchanged, it reads as before.
     */
    @Test
    void anInputRefilledAfterTheForwardPassIsAnError() {
        Linear fc = new Linear("fc", 3, 2, false, DType.F32, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F32, 5, 3);
        Captures captures = Captures.create();
        new Model("m", fc, DType.F32).forward(x, Pass.training(captures));
        assertEquals(1, captures.of(fc).inputRows().size()); // unchanged: no error, as often as asked
        assertEquals(1, captures.of(fc).inputRows().size());
        Tensor next = GradientCheck.random(SEED + 7, DType.F32, 5, 3);
        System.arraycopy(next.f32(), 0, x.f32(), 0, x.size());
        CapturedInputModifiedException e = assertThrows(CapturedInputModifiedException.class,
                () -> captures.of(fc).inputRows());
        assertTrue(e.getMessage().contains("fc") && e.getMessage().contains("call 0"), e.getMessage());
        assertThrows(CapturedInputModifiedException.class, () -> captures.of(fc).inputs());
    }

    /** A convolution records its input image by reference: refilling the image is caught the same way. */
    @Test
    void aConvolutionsImageRefilledAfterTheForwardPassIsAnError() {
        Conv2d conv = new Conv2d("conv", 2, 3, 3, 1, 1, false, DType.F32, new SplittableRandom(SEED));
        Tensor images = GradientCheck.random(SEED, DType.F32, 4, 6, 6, 2);
        Captures captures = Captures.create();
        new Model("m", conv, DType.F32).forward(images, Pass.training(captures));
        captures.of(conv).inputRows();
        images.set(0, images.get(0) + 1); // the first value is one of the sampled ones
        assertThrows(CapturedInputModifiedException.class, () -> captures.of(conv).inputRows());
    }

    /** A weight used twice (tied): both calls are recorded and each gets its own output gradient in every pass. */
    @Test
    void tiedWeightsRecordEveryCallInEveryPass() {
        Linear fc = new Linear("fc", 4, 4, false, DType.F64, new SplittableRandom(SEED));
        Model model = new Model("tied", new Sequential("seq", fc, new Tanh("tanh"), fc), DType.F64);
        assertEquals(1, model.kfacLayers().size());
        assertEquals(1, model.parameters().size());
        Tensor x = GradientCheck.random(SEED, DType.F64, 3, 4);
        Captures captures = Captures.create();
        ForwardResult f = model.forward(x, Pass.training(captures));
        LayerCapture c = captures.of(fc);
        assertEquals(2, c.calls());
        Tensor h = c.inputs().get(1);
        Tensor w = fc.weight().value();
        for (int pass = 0; pass < 2; pass++) {
            Tensor g1 = GradientCheck.random(SEED + 10 + pass, DType.F64, 3, 4);
            if (pass == 0) {
                f.backward(g1);
            } else {
                f.backwardCaptureOnly(g1);
            }
            // By the chain rule: g0 = (g1·W) ⊙ (1 − h²), h = tanh(x·Wᵀ) being the second call's input.
            for (int n = 0; n < 3; n++) {
                for (int j = 0; j < 4; j++) {
                    double s = 0;
                    for (int o = 0; o < 4; o++) {
                        s += g1.at(n, o) * w.at(o, j);
                    }
                    double expected = s * (1 - h.at(n, 0, j) * h.at(n, 0, j));
                    assertEquals(expected, c.outputGradient(pass, 0).at(n, 0, j), 1e-14);
                    assertEquals(g1.at(n, j), c.outputGradient(pass, 1).at(n, 0, j), 0);
                }
            }
        }
        assertEquals(2, captures.backwardPasses());
    }

    @Test
    void aLayerThatWasNotCalledIsAnError() {
        Linear used = new Linear("used", 2, 2, false, DType.F64, new SplittableRandom(SEED));
        Linear unused = new Linear("unused", 2, 2, false, DType.F64, new SplittableRandom(SEED));
        Captures captures = Captures.create();
        new Model("m", used, DType.F64).forward(Tensor.zeros(DType.F64, 1, 2), Pass.training(captures));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> captures.of(unused));
        assertTrue(e.getMessage().contains("unused"), e.getMessage());
    }
}
