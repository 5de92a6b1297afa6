package org.kfac4j.kfac.inverse;

import java.util.Map;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Preconditioning in the factors' eigenbases, {@code A = Q_A diag(λ_A) Q_Aᵀ}, {@code G = Q_G diag(λ_G) Q_Gᵀ}:
 * {@code ΔW = Q_G [(Q_Gᵀ ∇W Q_A) ⊘ D] Q_Aᵀ} with {@code D = λ_G λ_Aᵀ + δ} ("exact" damping: this is
 * {@code (G ⊗ A + δI)⁻¹ vec ∇W}), or {@code D = (λ_G + √δ/π)(λ_A + π√δ)ᵀ} (the π-split). The damping enters only
 * here, so a damping schedule acts at every step, not only when the factors are decomposed.
 *
 * <p>Decompositions are computed in double ({@link SymmetricEigen}); eigenvalues below zero, which a positive
 * semi-definite factor shows only through rounding, are clamped to zero.
 */
public final class EigenInverse implements FactorInverse {
    private final Linalg linalg;
    private final SymmetricEigen eigen;
    private final boolean piSplit;
    private final Tensor qA;
    private final Tensor qAt;
    private final Tensor lambdaA;
    private final Tensor qG;
    private final Tensor qGt;
    private final Tensor lambdaG;
    private final Tensor pi;
    private final Tensor work;
    private final Tensor work2;
    private final double[] dampedA;
    private boolean ready;

    /** An inverse for a {@code dOut × dIn} weight (bias column included) in {@code dtype}. */
    public EigenInverse(Linalg linalg, DType dtype, int dOut, int dIn, boolean piSplit) {
        this.linalg = linalg;
        this.eigen = SymmetricEigen.of(linalg);
        this.piSplit = piSplit;
        this.qA = Tensor.zeros(dtype, dIn, dIn);
        this.qAt = Tensor.zeros(dtype, dIn, dIn);
        this.lambdaA = Tensor.zeros(dtype, dIn);
        this.qG = Tensor.zeros(dtype, dOut, dOut);
        this.qGt = Tensor.zeros(dtype, dOut, dOut);
        this.lambdaG = Tensor.zeros(dtype, dOut);
        this.pi = Tensor.zeros(DType.F64, 1);
        this.work = Tensor.zeros(dtype, dOut, dIn);
        this.work2 = Tensor.zeros(dtype, dOut, dIn);
        this.dampedA = new double[dIn];
    }

    @Override
    public void update(Tensor a, Tensor g, double damping) {
        decompose(a, lambdaA, qA);
        decompose(g, lambdaG, qG);
        pi.set(0, FactorInverse.pi(a, g));
        transposeInto(qA, qAt);
        transposeInto(qG, qGt);
        ready = true;
    }

    /** Both eigenbases are kept transposed too: every product of a step then packs its operands row-wise. */
    private static void transposeInto(Tensor q, Tensor qt) {
        int n = q.dim(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qt.set(j * n + i, q.get(i * n + j));
            }
        }
    }

    private void decompose(Tensor f, Tensor values, Tensor vectors) {
        int n = f.dim(0);
        if (f.dtype() == DType.F32) {
            eigen.decompose(n, f.f32(), 0, n, values.f32(), 0, vectors.f32(), 0, n);
        } else {
            eigen.decompose(n, f.f64(), 0, n, values.f64(), 0, vectors.f64(), 0, n);
        }
        for (int i = 0; i < n; i++) {
            if (values.get(i) < 0) {
                values.set(i, 0);
            }
        }
    }

    @Override
    public void precondition(Tensor grad, double damping, Tensor out) {
        if (!ready) {
            throw new IllegalStateException("EigenInverse: precondition before the first update");
        }
        int dOut = qG.dim(0);
        int dIn = qA.dim(0);
        // the four products of Q_G [(Q_Gᵀ ∇W Q_A) ⊘ D] Q_Aᵀ, each a GEMM, innermost first
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dIn, 1, grad, 0, dIn, qA, 0, dIn, 0, work, 0, dIn);
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dOut, 1, qGt, 0, dOut, work, 0, dIn, 0, work2, 0, dIn);
        divideByDampedEigenvalues(work2, damping);
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dIn, 1, work2, 0, dIn, qAt, 0, dIn, 0, work, 0, dIn);
        MatMul.gemm(linalg, Transpose.N, Transpose.N, dOut, dIn, dOut, 1, qG, 0, dOut, work, 0, dIn, 0, out, 0, dIn);
    }

    private void divideByDampedEigenvalues(Tensor t, double damping) {
        int dOut = qG.dim(0);
        int dIn = qA.dim(0);
        double gammaA = piSplit ? pi.get(0) * Math.sqrt(damping) : 0;
        double gammaG = piSplit ? Math.sqrt(damping) / pi.get(0) : 0;
        double[] la = dampedA;
        for (int j = 0; j < dIn; j++) {
            la[j] = lambdaA.get(j) + gammaA;
        }
        double add = piSplit ? 0 : damping;
        for (int i = 0; i < dOut; i++) {
            double lg = lambdaG.get(i) + gammaG;
            if (t.dtype() == DType.F32) {
                float[] v = t.f32();
                for (int j = 0, k = i * dIn; j < dIn; j++, k++) {
                    v[k] = (float) (v[k] / (lg * la[j] + add));
                }
            } else {
                double[] v = t.f64();
                for (int j = 0, k = i * dIn; j < dIn; j++, k++) {
                    v[k] = v[k] / (lg * la[j] + add);
                }
            }
        }
    }

    @Override
    public String label() {
        return piSplit ? "eigen π-split" : "eigen";
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public double[] eigenvalueRange() {
        if (!ready) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        // ascending order: first and last
        return new double[] {lambdaA.get(0), lambdaA.get(lambdaA.size() - 1), lambdaG.get(0),
                lambdaG.get(lambdaG.size() - 1)};
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of("eigenvectors.A", qA, "eigenvalues.A", lambdaA, "eigenvectors.G", qG, "eigenvalues.G", lambdaG,
                "pi", pi);
    }

    @Override
    public void restored() {
        transposeInto(qA, qAt);
        transposeInto(qG, qGt);
        ready = true;
    }
}
