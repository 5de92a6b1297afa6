package org.kfac4j.nn.loss;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The Gaussian negative log-likelihood with unit variance up to a constant, {@code ℓ(f, y) = ½‖f − y‖²} per term,
 * so that its Hessian is the identity (S = I). With {@link Reduction#MEAN} this is PyTorch's
 * {@code 0.5 · C · MSELoss()(f, y)}: the mean is over terms, not over the C elements of a term.
 */
public final class MeanSquaredError implements Loss<Tensor> {
    private final Reduction reduction;

    public MeanSquaredError(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction);
    }

    public static MeanSquaredError mean() {
        return new MeanSquaredError(Reduction.MEAN);
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public LossValue evaluate(Tensor f, Tensor y) {
        if (!y.hasShape(f.shape())) {
            throw ShapeMismatchException.of("MeanSquaredError targets", Arrays.toString(f.shape()), y.shape());
        }
        int c = f.dim(-1);
        double z = normaliser(f);
        Tensor grad = f.zerosLike();
        double total = 0;
        for (int i = 0; i < f.size(); i++) {
            double v = f.get(i);
            if (!Double.isFinite(v)) {
                throw new NonFiniteOutputException("MeanSquaredError", i / c, i % c, v);
            }
            double r = v - y.get(i);
            total += 0.5 * r * r;
            grad.set(i, r / z);
        }
        return new LossValue(total / z, grad);
    }

    @Override
    public Tensor sample(Tensor f, RandomGenerator rng) {
        Tensor y = f.zerosLike();
        for (int i = 0; i < f.size(); i++) {
            y.set(i, f.get(i) + rng.nextGaussian());
        }
        return y;
    }

    @Override
    public Tensor hessianFactorColumn(Tensor f, int column) {
        int c = f.dim(-1);
        if (column < 0 || column >= c) {
            throw new IndexOutOfBoundsException("Hessian factor column " + column + " of " + c);
        }
        Tensor s = f.zerosLike();
        for (int t = 0; t < terms(f); t++) {
            s.set(t * c + column, 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return "MeanSquaredError(" + reduction + ")";
    }
}
