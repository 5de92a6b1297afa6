package org.kfac4j.nn.loss;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Softmax cross-entropy over the last dimension, {@code ℓ(f, y) = log Σ_k exp f_k − f_y}, with class-index targets
 * (one per term). Its Hessian is {@code Λ = diag(p) − p·pᵀ} (p = softmax(f)); the factor used is
 * {@code S = diag(√p) − p·√pᵀ}, for which {@code S·Sᵀ = Λ} because {@code Σ p = 1} (a closed form: no
 * eigendecomposition per term). Computed in double for both precisions.
 */
public final class CrossEntropy implements Loss<int[]> {
    private final Reduction reduction;

    public CrossEntropy(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction);
    }

    /** The mean over terms, as PyTorch's {@code nn.CrossEntropyLoss()}. */
    public static CrossEntropy mean() {
        return new CrossEntropy(Reduction.MEAN);
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public LossValue evaluate(Tensor f, int[] targets) {
        int terms = terms(f);
        int c = f.dim(-1);
        checkTargets(targets, terms, c);
        double z = normaliser(f);
        Tensor grad = f.zerosLike();
        double[] p = new double[c];
        double total = 0;
        for (int t = 0; t < terms; t++) {
            double lse = softmax(f, t, c, p);
            total += lse - f.get(t * c + targets[t]);
            for (int k = 0; k < c; k++) {
                grad.set(t * c + k, (p[k] - (k == targets[t] ? 1 : 0)) / z);
            }
        }
        return new LossValue(total / z, grad);
    }

    @Override
    public int[] sample(Tensor f, RandomGenerator rng) {
        int terms = terms(f);
        int c = f.dim(-1);
        double[] p = new double[c];
        int[] y = new int[terms];
        for (int t = 0; t < terms; t++) {
            softmax(f, t, c, p);
            double u = rng.nextDouble();
            int k = 0;
            double cumulative = p[0];
            while (u >= cumulative && k < c - 1) {
                cumulative += p[++k];
            }
            y[t] = k;
        }
        return y;
    }

    @Override
    public Tensor hessianFactorColumn(Tensor f, int column) {
        int terms = terms(f);
        int c = f.dim(-1);
        if (column < 0 || column >= c) {
            throw new IndexOutOfBoundsException("Hessian factor column " + column + " of " + c);
        }
        Tensor s = f.zerosLike();
        double[] p = new double[c];
        for (int t = 0; t < terms; t++) {
            softmax(f, t, c, p);
            double root = Math.sqrt(p[column]);
            // S[i, column] = √p_column · (δ_i,column − p_i)
            for (int i = 0; i < c; i++) {
                s.set(t * c + i, root * ((i == column ? 1 : 0) - p[i]));
            }
        }
        return s;
    }

    /** Softmax of term t into p; returns log Σ exp f (shifted by the maximum, so no overflow). */
    private static double softmax(Tensor f, int t, int c, double[] p) {
        int row = t * c;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            double v = f.get(row + k);
            if (!Double.isFinite(v)) {
                throw new NonFiniteOutputException("CrossEntropy", t, k, v);
            }
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            p[k] = Math.exp(f.get(row + k) - max);
            sum += p[k];
        }
        for (int k = 0; k < c; k++) {
            p[k] /= sum;
        }
        return max + Math.log(sum);
    }

    private static void checkTargets(int[] targets, int terms, int c) {
        if (targets.length != terms) {
            throw new ShapeMismatchException("CrossEntropy: " + terms + " loss terms but " + targets.length + " targets");
        }
        for (int t = 0; t < terms; t++) {
            if (targets[t] < 0 || targets[t] >= c) {
                throw new IllegalArgumentException("CrossEntropy: target " + t + " is class " + targets[t]
                        + ", outside [0, " + c + ")");
            }
        }
    }

    @Override
    public String toString() {
        return "CrossEntropy(" + reduction + ")";
    }
}
