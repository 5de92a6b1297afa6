package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class TransformerLayersTest {
    private static final long SEED = 77L;

    @Test
    void geluAndLayerNormBackwardMatchFiniteDifferences() {
        GradientCheck.check(new Gelu("gelu"), GradientCheck.random(SEED, DType.F64, 3, 11).reshape(3, 11), SEED, 1e-7);
        LayerNorm ln = new LayerNorm("ln", 6, DType.F64);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int j = 0; j < 6; j++) {
            ln.parameters().get(0).value().set(j, 0.5 + rng.nextDouble());
            ln.parameters().get(1).value().set(j, rng.nextDouble());
        }
        GradientCheck.check(ln, GradientCheck.random(SEED, DType.F64, 2, 3, 6), SEED, 1e-6);
    }

    @Test
    void geluIsItsTanhFormula() {
        Tensor x = Tensor.wrap(new double[] {-3, -0.5, 0, 0.7, 2.5}, 5);
        Tensor y = new Gelu("g").forward(x, Pass.evaluation()).output();
        for (int i = 0; i < 5; i++) {
            double v = x.get(i);
            double erfForm = 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            assertEquals(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), y.get(i), 1e-15);
            assertEquals(erfForm, y.get(i), 1e-3, "within 1e-3 of the erf form");
        }
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention mha = new MultiHeadAttention("attn", 6, 3, causal, DType.F64, new SplittableRandom(SEED));
            GradientCheck.check(mha, GradientCheck.random(SEED, DType.F64, 2, 5, 6), SEED, 1e-6);
        }
    }

    /** Attention against its definition, one head and one query at a time, written without GEMMs. */
    @Test
    void attentionIsScaledDotProductSoftmaxPerHead() {
        int n = 2, t = 4, d = 6, heads = 2, dh = 3;
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention mha = new MultiHeadAttention("a", d, heads, causal, DType.F64, new SplittableRandom(SEED));
            Tensor x = GradientCheck.random(SEED, DType.F64, n, t, d);
            Tensor y = mha.forward(x, Pass.evaluation()).output();
            Tensor q = project(mha, 0, x);
            Tensor k = project(mha, 2, x);
            Tensor v = project(mha, 4, x);
            Tensor o = Tensor.zeros(DType.F64, n, t, d);
            for (int e = 0; e < n; e++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < t; i++) {
                        double[] w = new double[t];
                        double z = 0;
                        for (int j = 0; j < t; j++) {
                            double s = 0;
                            for (int c = 0; c < dh; c++) {
                                s += q.at(e, i, h * dh + c) * k.at(e, j, h * dh + c);
                            }
                            w[j] = causal && j > i ? 0 : Math.exp(s / Math.sqrt(dh));
                            z += w[j];
                        }
                        for (int c = 0; c < dh; c++) {
                            double s = 0;
                            for (int j = 0; j < t; j++) {
                                s += w[j] / z * v.at(e, j, h * dh + c);
                            }
                            o.set(o.offset(e, i, h * dh + c), s);
                        }
                    }
                }
            }
            Tensor expected = project(mha, 6, o);
            for (int i = 0; i < y.size(); i++) {
                assertEquals(expected.get(i), y.get(i), 1e-13, "causal " + causal + " element " + i);
            }
        }
    }

    private static Tensor project(MultiHeadAttention mha, int param, Tensor x) {
        Tensor w = mha.parameters().get(param).value();
        Tensor b = mha.parameters().get(param + 1).value();
        Tensor y = x.zerosLike();
        int d = x.dim(-1);
        for (int r = 0; r < x.rows(); r++) {
            for (int o = 0; o < d; o++) {
                double s = b.get(o);
                for (int i = 0; i < d; i++) {
                    s += x.get(r * d + i) * w.at(o, i);
                }
                y.set(r * d + o, s);
            }
        }
        return y;
    }

    /** Q, K, V and the output projection are K-FAC layers over the T positions. */
    @Test
    void attentionProjectionsAreCapturedOverPositions() {
        MultiHeadAttention mha = new MultiHeadAttention("attn", 8, 2, true, DType.F32, new SplittableRandom(SEED));
        Captures captures = Captures.create();
        mha.forward(GradientCheck.random(SEED, DType.F32, 3, 5, 8), Pass.training(captures));
        assertEquals(4, captures.layers().size());
        captures.layers().values().forEach(c -> assertTrue(c.inputs().get(0).hasShape(3, 5, 9)));
        assertThrows(IllegalArgumentException.class,
                () -> new MultiHeadAttention("bad", 8, 3, false, DType.F32, new SplittableRandom(SEED)));
    }

    @Test
    void tokenLayersBackwardMatchFiniteDifferences() {
        GradientCheck.check(new ClassToken("embed", 4, 3, DType.F64, new SplittableRandom(SEED)),
                GradientCheck.random(SEED, DType.F64, 2, 4, 3), SEED, 1e-7);
        GradientCheck.check(new SelectToken("cls", 1), GradientCheck.random(SEED, DType.F64, 2, 4, 3), SEED, 1e-7);
        GradientCheck.check(new ToTokens("tok"), GradientCheck.random(SEED, DType.F64, 2, 3, 2, 4), SEED, 1e-7);
    }

    /** erf by its Maclaurin series (|x| ≤ 3 here: 60 terms reach double precision). */
    private static double erf(double x) {
        double term = x;
        double sum = x;
        for (int k = 1; k < 60; k++) {
            term *= -x * x / k;
            sum += term / (2 * k + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
