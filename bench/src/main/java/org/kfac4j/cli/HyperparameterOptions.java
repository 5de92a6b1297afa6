package org.kfac4j.cli;

import org.kfac4j.train.Hyperparameters;
import picocli.CommandLine.Option;

/** Overrides of an optimiser's default hyperparameters (unset options keep the defaults). */
final class HyperparameterOptions {
    @Option(names = "--lr", paramLabel = "η", description = "Peak learning rate.")
    Double lr;

    @Option(names = "--momentum", paramLabel = "μ", description = "Momentum (SGD with Nesterov, K-FAC) or β₁ (AdamW).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "λ", description = "Weight decay.")
    Double weightDecay;

    @Option(names = "--batch-size", paramLabel = "B", description = "Examples per step (default 128).")
    Integer batchSize;

    @Option(names = "--warmup", paramLabel = "F", description = "Share of the steps warming the learning rate up "
            + "(default 0.05).")
    Double warmup;

    @Option(names = "--constant-lr", description = "No cosine decay after the warm-up.")
    boolean constant;

    @Option(names = "--damping", paramLabel = "δ", description = "K-FAC damping (default 1e-2).")
    Double damping;

    @Option(names = "--t-cov", paramLabel = "N", description = "K-FAC steps between factor updates (default 5).")
    Integer factorInterval;

    @Option(names = "--t-inv", paramLabel = "N", description = "K-FAC steps between inverse updates (default 20).")
    Integer inverseInterval;

    @Option(names = "--kl-clip", paramLabel = "κ", description = "K-FAC KL clip, 0 for none (default 1e-3).")
    Double klClip;

    @Option(names = "--factor-decay", paramLabel = "ρ", description = "K-FAC factor moving-average decay "
            + "(default 0.95).")
    Double factorDecay;

    Hyperparameters apply(Hyperparameters d) {
        Hyperparameters h = d;
        h = batchSize == null ? h : h.withBatchSize(batchSize);
        h = lr == null ? h : h.withLearningRate(lr);
        h = momentum == null ? h : h.withMomentum(momentum);
        h = weightDecay == null ? h : h.withWeightDecay(weightDecay);
        h = h.withSchedule(warmup == null ? h.warmupFraction() : warmup, h.cosine() && !constant);
        return h.withKfac(damping == null ? h.damping() : damping,
                factorInterval == null ? h.factorInterval() : factorInterval,
                inverseInterval == null ? h.inverseInterval() : inverseInterval,
                klClip == null ? h.klClip() : klClip, factorDecay == null ? h.factorDecay() : factorDecay);
    }
}
