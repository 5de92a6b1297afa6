package org.kfac4j.nn.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Multi-head self-attention on {@code [N, T, D]}, as PyTorch's {@code nn.MultiheadAttention} computes it: Q, K, V
 * and the output projection are {@link Linear} layers ({@code .q}, {@code .k}, {@code .v}, {@code .out}, each with
 * bias; each a K-FAC layer shared over the T positions); per head h of width D/H,
 * {@code O_h = softmax(Q_h·K_hᵀ/√(D/H) + mask)·V_h}, with an optional causal mask (position i attends to j ≤ i).
 * The heads' products run as small GEMMs on strided views of Q, K and V (no copies).
 */
public final class MultiHeadAttention implements Layer {
    private final String name;
    private final int dim;
    private final int heads;
    private final boolean causal;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;

    public MultiHeadAttention(String name, int dim, int heads, boolean causal, DType dtype, RandomGenerator rng) {
        if (heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException(name + ": " + heads + " heads do not divide the width " + dim);
        }
        this.name = name;
        this.dim = dim;
        this.heads = heads;
        this.causal = causal;
        this.q = new Linear(name + ".q", dim, dim, true, dtype, rng);
        this.k = new Linear(name + ".k", dim, dim, true, dtype, rng);
        this.v = new Linear(name + ".v", dim, dim, true, dtype, rng);
        this.out = new Linear(name + ".out", dim, dim, true, dtype, rng);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (Linear l : List.of(q, k, v, out)) {
            p.addAll(l.parameters());
        }
        return List.copyOf(p);
    }

    @Override
    public List<Layer> layers() {
        return List.of(this, q, k, v, out);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 3 || x.dim(2) != dim) {
            throw ShapeMismatchException.of(this + " input", "[N, T, " + dim + "]", x.shape());
        }
        int n = x.dim(0);
        int t = x.dim(1);
        int dh = dim / heads;
        double scale = 1 / Math.sqrt(dh);
        Node qn = q.forward(x, pass);
        Node kn = k.forward(x, pass);
        Node vn = v.forward(x, pass);
        Tensor qs = qn.output();
        Tensor ks = kn.output();
        Tensor vs = vn.output();
        Linalg la = pass.linalg();
        Tensor p = x.zeros(n, heads, t, t);
        Tensor o = x.zeros(n, t, dim);
        // (example, head) pairs are independent: one task each, their small GEMMs running inline on the task's thread
        la.parallelFor(n * heads, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int e = task / heads;
                int h = task % heads;
                int head = e * t * dim + h * dh;
                int scores = task * t * t;
                MatMul.gemm(la, Transpose.N, Transpose.T, t, t, dh, scale, qs, head, dim, ks, head, dim, 0, p, scores, t);
                softmaxRows(la, p, scores, t);
                MatMul.gemm(la, Transpose.N, Transpose.N, t, dh, t, 1, p, scores, t, vs, head, dim, 0, o, head, dim);
            }
        });
        Node on = out.forward(o, pass);
        return new Node() {
            @Override
            public Tensor output() {
                return on.output();
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                Backward inner = new Backward(how.parameterGradients(), true);
                Tensor dO = on.backward(g, inner);
                Tensor dQ = x.zeros(n, t, dim);
                Tensor dK = x.zeros(n, t, dim);
                Tensor dV = x.zeros(n, t, dim);
                la.parallelFor(n * heads, 1, (from, to) -> {
                    Tensor dP = x.zeros(t, t);
                    for (int task = from; task < to; task++) {
                        int e = task / heads;
                        int h = task % heads;
                        int head = e * t * dim + h * dh;
                        int scores = task * t * t;
                        // dP = dO_h·V_hᵀ; dV_h = Pᵀ·dO_h
                        MatMul.gemm(la, Transpose.N, Transpose.T, t, t, dh, 1, dO, head, dim, vs, head, dim, 0, dP, 0, t);
                        MatMul.gemm(la, Transpose.T, Transpose.N, t, dh, t, 1, p, scores, t, dO, head, dim, 0, dV, head, dim);
                        // dS = P ⊙ (dP − rowsum(dP ⊙ P)), the softmax's adjoint, into dP
                        softmaxAdjoint(p, scores, dP, t);
                        // dQ_h = dS·K_h/√dh; dK_h = dSᵀ·Q_h/√dh
                        MatMul.gemm(la, Transpose.N, Transpose.N, t, dh, t, scale, dP, 0, t, ks, head, dim, 0, dQ, head, dim);
                        MatMul.gemm(la, Transpose.T, Transpose.N, t, dh, t, scale, dP, 0, t, qs, head, dim, 0, dK, head, dim);
                    }
                });
                Backward projections = how.inputGradient() ? inner : how;
                Tensor dxq = qn.backward(dQ, projections);
                Tensor dxk = kn.backward(dK, projections);
                Tensor dxv = vn.backward(dV, projections);
                if (!how.inputGradient()) {
                    return null;
                }
                return dxq.plus(dxk, la).plus(dxv, la);
            }
        };
    }

    /**
     * Row-wise softmax of the t×t block at {@code off}, masked above the diagonal when causal; sums in double. The
     * float exponentials go through the vector kernel (the scalar {@code Math.exp} was 9% of a ViT step).
     */
    private void softmaxRows(Linalg la, Tensor p, int off, int t) {
        if (p.dtype() == DType.F32) {
            float[] v = p.f32();
            for (int i = 0; i < t; i++) {
                int row = off + i * t;
                int visible = causal ? i + 1 : t;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    max = Math.max(max, v[row + j]);
                }
                la.sexp(visible, v, row, max, v, row);
                double sum = 0;
                for (int j = 0; j < visible; j++) {
                    sum += v[row + j];
                }
                float inv = (float) (1 / sum);
                for (int j = 0; j < visible; j++) {
                    v[row + j] *= inv;
                }
                for (int j = visible; j < t; j++) {
                    v[row + j] = 0f;
                }
            }
        } else {
            double[] v = p.f64();
            for (int i = 0; i < t; i++) {
                int row = off + i * t;
                int visible = causal ? i + 1 : t;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    max = Math.max(max, v[row + j]);
                }
                double sum = 0;
                for (int j = 0; j < visible; j++) {
                    double e = Math.exp(v[row + j] - max);
                    v[row + j] = e;
                    sum += e;
                }
                double inv = 1 / sum;
                for (int j = 0; j < visible; j++) {
                    v[row + j] *= inv;
                }
                for (int j = visible; j < t; j++) {
                    v[row + j] = 0d;
                }
            }
        }
    }

    /** dS = P ⊙ (dP − rowsum(dP ⊙ P)) for the t×t block of P at {@code off}, written over dP. */
    private static void softmaxAdjoint(Tensor p, int off, Tensor dP, int t) {
        if (p.dtype() == DType.F32) {
            float[] pv = p.f32();
            float[] d = dP.f32();
            for (int i = 0; i < t; i++) {
                double dot = 0;
                for (int j = 0; j < t; j++) {
                    dot += d[i * t + j] * pv[off + i * t + j];
                }
                float dotF = (float) dot;
                for (int j = 0; j < t; j++) {
                    d[i * t + j] = pv[off + i * t + j] * (d[i * t + j] - dotF);
                }
            }
        } else {
            double[] pv = p.f64();
            double[] d = dP.f64();
            for (int i = 0; i < t; i++) {
                double dot = 0;
                for (int j = 0; j < t; j++) {
                    dot += d[i * t + j] * pv[off + i * t + j];
                }
                for (int j = 0; j < t; j++) {
                    d[i * t + j] = pv[off + i * t + j] * (d[i * t + j] - dot);
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " (MultiHeadAttention " + dim + ", " + heads + " heads" + (causal ? ", causal" : "") + ")";
    }
}
