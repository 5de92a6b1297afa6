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

    /**
     * The float GELU (vector exponential, then vectorised loops) against the double formula on the same inputs, forward
     * and slope: over [-12, 12] on 77 elements (whole vectors and a tail at every width), at 0 and -0, and far out
     * where x³ overflows float (the slope must be 0 or 1 there, not NaN).
     */
    @Test
    void floatGeluAndItsSlopeMatchTheDoubleFormula() {
        SplittableRandom rng = new SplittableRandom(SEED);
        float[] xs = new float[77];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) rng.nextDouble(-12, 12);
        }
        float[] far = {0f, -0f, 1e20f, -1e20f, 3e13f, -3e13f, 10f, -10f, 9.5f, -9.5f};
        System.arraycopy(far, 0, xs, 0, far.length);
        Tensor x32 = Tensor.wrap(xs, xs.length);
        Tensor x64 = x32.to(DType.F64);
        float[] ones = new float[xs.length];
        java.util.Arrays.fill(ones, 1f);
        Gelu gelu = new Gelu("g");
        Node n32 = gelu.forward(x32, Pass.evaluation());
        Node n64 = gelu.forward(x64, Pass.evaluation());
        Tensor d32 = n32.backward(Tensor.wrap(ones, xs.length), Backward.TRAIN);
        Tensor d64 = n64.backward(Tensor.wrap(ones, xs.length).to(DType.F64), Backward.TRAIN);
        for (int i = 0; i < xs.length; i++) {
            double y = n64.output().get(i);
            double slope = d64.get(i);
            String at = "x = " + xs[i];
            assertEquals(y, n32.output().get(i), 4e-7 * Math.max(1, Math.abs(y)), "GELU at " + at);
            assertEquals(slope, d32.get(i), 1e-6, "slope at " + at);
            assertTrue(!Double.isNaN(d32.get(i)), "slope at " + at + " is a number");
        }
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention mha = new MultiHeadAttention("attn", 6, 3, causal, DType.F64, new SplittableRandom(SEED));
            GradientCheck.check(mha, GradientCheck.random(SEED, DType.F64, 2, 5, 6), SEED, 1e-6);
        }
    }

    /** The float path (its softmax through the vector exponential) against the double one on the same weights. */
    @Test
    void floatAttentionMatchesDouble() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention a32 = new MultiHeadAttention("a", 16, 4, causal, DType.F32, new SplittableRandom(SEED));
            MultiHeadAttention a64 = new MultiHeadAttention("a", 16, 4, causal, DType.F64, new SplittableRandom(SEED));
            for (int k = 0; k < a64.parameters().size(); k++) {
                Tensor w = a64.parameters().get(k).value();
                Tensor v = a32.parameters().get(k).value();
                for (int i = 0; i < w.size(); i++) {
                    w.set(i, v.get(i)); // the float weights, exactly, in the double model
                }
            }
            Tensor x = GradientCheck.random(SEED, DType.F64, 3, 19, 16).to(DType.F32);
            Tensor y32 = a32.forward(x, Pass.evaluation()).output();
            Tensor y64 = a64.forward(x.to(DType.F64), Pass.evaluation()).output();
            for (int i = 0; i < y64.size(); i++) {
                assertEquals(y64.get(i), y32.get(i), 1e-5 * Math.max(1, Math.abs(y64.get(i))), "causal " + causal + " at " + i);
            }
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
