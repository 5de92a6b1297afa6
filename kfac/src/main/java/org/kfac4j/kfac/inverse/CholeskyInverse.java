package org.kfac4j.kfac.inverse;

import java.util.Map;
import org.kfac4j.linalg.Cholesky;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.NotPositiveDefiniteException;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The π-split damped inverses by Cholesky: {@code ΔW = (G + (√δ/π) I)⁻¹ ∇W (A + π√δ I)⁻¹}, the two inverses formed
 * explicitly at each inverse update (so that a step costs two GEMMs). The damping is folded into the inverses when
 * they are formed: a damping schedule takes effect at the next inverse update.
 */
public final class CholeskyInverse implements FactorInverse {
    private final Linalg linalg;
    private final Cholesky cholesky;
    private final String layer;
    private final Tensor inverseA;
    private final Tensor inverseG;
    private final Tensor work;
    private boolean ready;

    /** An inverse for layer {@code layer}'s {@code dOut × dIn} weight (bias column included) in {@code dtype}. */
    public CholeskyInverse(Linalg linalg, DType dtype, String layer, int dOut, int dIn) {
        this.linalg = linalg;
        this.cholesky = Cholesky.of(linalg);
        this.layer = layer;
        this.inverseA = Tensor.zeros(dtype, dIn, dIn);
        this.inverseG = Tensor.zeros(dtype, dOut, dOut);
        this.work = Tensor.zeros(dtype, dOut, dIn);
    }

    @Override
    public void update(Tensor a, Tensor g, double damping) {
        double pi = FactorInverse.pi(a, g);
        dampedInverse("A", a, pi * Math.sqrt(damping), inverseA);
        dampedInverse("G", g, Math.sqrt(damping) / pi, inverseG);
        ready = true;
    }

    private void dampedInverse(String factor, Tensor f, double shift, Tensor out) {
        int n = f.dim(0);
        out.copyFrom(f);
        for (int i = 0; i < n; i++) {
            out.set(i * n + i, out.get(i * n + i) + shift);
        }
        try {
            if (out.dtype() == DType.F32) {
                cholesky.factor(n, out.f32(), 0, n);
                cholesky.invert(n, out.f32(), 0, n);
            } else {
                cholesky.factor(n, out.f64(), 0, n);
                cholesky.invert(n, out.f64(), 0, n);
            }
        } catch (NotPositiveDefiniteException e) {
            throw new FactorNotPositiveDefiniteException(layer, factor, shift, e);
        }
    }

    @Override
    public void precondition(Tensor grad, double damping, Tensor out) {
        if (!ready) {
            throw new IllegalStateException("CholeskyInverse: precondition before the first update");
        }
        int dOut = inverseG.dim(0);
        int dIn = inverseA.dim(0);
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dIn, 1, grad, 0, dIn, inverseA, 0, dIn, 0, work, 0, dIn);
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dOut, 1, inverseG, 0, dOut, work, 0, dIn, 0, out, 0, dIn);
    }

    @Override
    public String label() {
        return "cholesky π-split";
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of("inverse.A", inverseA, "inverse.G", inverseG);
    }

    @Override
    public void restored() {
        ready = true;
    }
}
