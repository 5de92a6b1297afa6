package org.kfac4j.train;

import java.util.Locale;
import org.kfac4j.nn.optim.Schedule;

/**
 * The hyperparameters of one training run. The learning rate rises linearly over the first {@code warmupFraction}
 * of the steps, then follows a cosine to zero at the last step ({@code cosine}), or stays constant.
 *
 * @param batchSize       examples per step
 * @param learningRate    peak learning rate
 * @param momentum        heavy-ball momentum (SGD, K-FAC) or β₁ (AdamW)
 * @param weightDecay     coupled L2 (SGD, K-FAC) or decoupled (AdamW)
 * @param warmupFraction  share of the steps spent warming the learning rate up
 * @param cosine          cosine decay after the warm-up (else constant)
 * @param damping         K-FAC damping δ
 * @param factorInterval  K-FAC T_cov (steps between factor refreshes)
 * @param inverseInterval K-FAC T_inv (steps between decompositions)
 * @param klClip          K-FAC KL clip κ (0: off)
 * @param factorDecay     K-FAC moving-average decay ρ
 */
public record Hyperparameters(int batchSize, double learningRate, double momentum, double weightDecay,
                              double warmupFraction, boolean cosine, double damping, int factorInterval,
                              int inverseInterval, double klClip, double factorDecay) {
    public Hyperparameters {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
        }
        if (!(damping > 0)) {
            throw new IllegalArgumentException("damping must be > 0, got " + damping);
        }
        if (factorInterval <= 0 || inverseInterval <= 0) {
            throw new IllegalArgumentException("K-FAC intervals must be positive, got T_cov " + factorInterval
                    + ", T_inv " + inverseInterval);
        }
        if (!(klClip >= 0) || !(factorDecay >= 0 && factorDecay < 1)) {
            throw new IllegalArgumentException("need KL clip >= 0 and factor decay in [0, 1), got " + klClip + ", "
                    + factorDecay);
        }
    }

    /**
     * The defaults for {@code model} and {@code optimizer}: batch 128, cosine decay after a 5% warm-up; AdamW
     * (lr 2e-3 for the ViT, 1e-3 otherwise, weight decay 0.05) and SGD (lr 0.05, Nesterov 0.9) with common values
     * for these models, not swept; K-FAC (lr 0.2, damping 1e-2, T_cov 5, T_inv 20, KL clip 1e-3) from a sweep of
     * 200-step ViT runs on Fashion-MNIST (validation accuracy after 200 steps: lr 0.1 → 0.637, 0.2 → 0.733,
     * 0.3 → 0.724, 0.5 → 0.724; damping 3e-3 → 0.669 at lr 0.1 and 0.647 at lr 0.3; KL clip 3e-3 → 0.663 at lr 0.1; no KL
      * clip diverged; AdamW → 0.754).
     */
    public static Hyperparameters defaults(String model, OptimizerKind optimizer) {
        boolean images = !model.equals("gcn");
        return switch (optimizer) {
            case ADAMW -> new Hyperparameters(128, model.equals("vit") ? 2e-3 : 1e-3, 0.9, 0.05, 0.05, true,
                    1e-3, 10, 100, 0, 0.95);
            case SGD -> new Hyperparameters(128, images ? 0.05 : 0.1, 0.9, 5e-4, 0.05, true, 1e-3, 10, 100, 0, 0.95);
            case KFAC_EXPAND, KFAC_REDUCE -> new Hyperparameters(128, 0.2, 0.9, 5e-4, 0.05, true, 1e-2, 5, 20,
                    1e-3, 0.95);
            case KFAC_EXPAND_ADAMW, KFAC_REDUCE_ADAMW -> new Hyperparameters(128, model.equals("vit") ? 2e-3 : 1e-3,
                    0.9, 0.05, 0.05, true, 1e-2, 5, 20, 1e-3, 0.95);
        };
    }

    /** The values {@code optimizer} uses, for tables and logs. */
    public String describe(OptimizerKind optimizer) {
        String common = String.format(Locale.ROOT, "batch %d, lr %g (%s, %.0f%% warm-up), %s %g, "
                        + "weight decay %g", batchSize, learningRate, cosine ? "cosine" : "constant",
                100 * warmupFraction, optimizer == OptimizerKind.ADAMW || optimizer.hasBase() ? "β₁" : "momentum", momentum, weightDecay);
        return optimizer.isKfac() ? common + String.format(Locale.ROOT, ", damping %g, T_cov %d, T_inv %d, "
                + "KL clip %g, ρ %g", damping, factorInterval, inverseInterval, klClip, factorDecay) : common;
    }

    /** The learning-rate schedule over {@code totalSteps}. */
    public Schedule schedule(long totalSteps) {
        long warmup = Math.round(warmupFraction * totalSteps);
        return cosine ? Schedule.warmupCosine(learningRate, warmup, totalSteps, 0)
                : Schedule.warmupCosine(learningRate, warmup, warmup, learningRate);
    }

    public Hyperparameters withBatchSize(int v) {
        return new Hyperparameters(v, learningRate, momentum, weightDecay, warmupFraction, cosine, damping,
                factorInterval, inverseInterval, klClip, factorDecay);
    }

    public Hyperparameters withLearningRate(double v) {
        return new Hyperparameters(batchSize, v, momentum, weightDecay, warmupFraction, cosine, damping,
                factorInterval, inverseInterval, klClip, factorDecay);
    }

    public Hyperparameters withMomentum(double v) {
        return new Hyperparameters(batchSize, learningRate, v, weightDecay, warmupFraction, cosine, damping,
                factorInterval, inverseInterval, klClip, factorDecay);
    }

    public Hyperparameters withWeightDecay(double v) {
        return new Hyperparameters(batchSize, learningRate, momentum, v, warmupFraction, cosine, damping,
                factorInterval, inverseInterval, klClip, factorDecay);
    }

    public Hyperparameters withSchedule(double warmup, boolean cosineDecay) {
        return new Hyperparameters(batchSize, learningRate, momentum, weightDecay, warmup, cosineDecay, damping,
                factorInterval, inverseInterval, klClip, factorDecay);
    }

    public Hyperparameters withKfac(double newDamping, int tCov, int tInv, double kl, double rho) {
        return new Hyperparameters(batchSize, learningRate, momentum, weightDecay, warmupFraction, cosine,
                newDamping, tCov, tInv, kl, rho);
    }
}
