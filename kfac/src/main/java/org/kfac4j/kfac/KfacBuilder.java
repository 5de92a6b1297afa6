package org.kfac4j.kfac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.optim.Schedule;

/**
 * Options of a {@link Kfac} optimiser, validated at {@link #build()}. Every hyperparameter that may vary is a number
 * or a {@link Schedule} of the step. Defaults: damping 1e-3, KL clip 1e-3, factor decay ρ = 0.95, factor update
 * every step, inverse update every 10, no warm-up, Monte-Carlo Fisher with one sample, eigen preconditioning
 * ({@link InverseStrategy}),
 * approximation chosen from the setting (expand when the output has a term per position, reduce otherwise), no
 * momentum or weight decay; the learning rate has no default.
 */
public final class KfacBuilder<Y> {
    private final Model model;
    private final Loss<Y> loss;
    private Linalg linalg = Linalg.shared();
    private Schedule learningRate;
    private Schedule damping = Schedule.constant(1e-3);
    private double momentum;
    private double weightDecay;
    private double klClip = 1e-3;
    private double factorDecay = 0.95;
    private int factorInterval = 1;
    private int inverseInterval = 10;
    private int warmup;
    private Curvature curvature = Curvature.monteCarlo(1);
    private InverseStrategy inverse = InverseStrategy.eigen();
    private final Map<String, InverseStrategy> inverseFor = new LinkedHashMap<>();
    private long seed;
    private Approximation approximation;
    private final Map<String, Approximation> approximationFor = new LinkedHashMap<>();
    private final List<String> skip = new ArrayList<>();

    KfacBuilder(Model model, Loss<Y> loss) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /** The engine for factor and preconditioning kernels (default: {@link Linalg#shared()}). */
    public KfacBuilder<Y> linalg(Linalg linalg) {
        this.linalg = Objects.requireNonNull(linalg, "linalg");
        return this;
    }

    public KfacBuilder<Y> learningRate(double lr) {
        return learningRate(Schedule.constant(lr));
    }

    /** η: the all-in-one step's learning rate, and the one the KL clip assumes. */
    public KfacBuilder<Y> learningRate(Schedule lr) {
        this.learningRate = Objects.requireNonNull(lr, "learningRate");
        return this;
    }

    public KfacBuilder<Y> damping(double damping) {
        return damping(Schedule.constant(damping));
    }

    /** δ, added at preconditioning time (never stored into the factors). */
    public KfacBuilder<Y> damping(Schedule damping) {
        this.damping = Objects.requireNonNull(damping, "damping");
        return this;
    }

    /** μ of the all-in-one step, in [0, 1). */
    public KfacBuilder<Y> momentum(double momentum) {
        this.momentum = momentum;
        return this;
    }

    /** λ of the all-in-one step's coupled weight decay, added after preconditioning (as kfac-pytorch with SGD). */
    public KfacBuilder<Y> weightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
        return this;
    }

    /** κ: steps are scaled so that η²·Σ⟨∇W, ΔW⟩ of the scaled step stays within κ; 0 turns the clip off. */
    public KfacBuilder<Y> klClip(double kappa) {
        this.klClip = kappa;
        return this;
    }

    /** ρ of the factors' moving average, in [0, 1). */
    public KfacBuilder<Y> factorDecay(double rho) {
        this.factorDecay = rho;
        return this;
    }

    /** T_cov: refresh the factors every this many steps. */
    public KfacBuilder<Y> factorUpdateInterval(int steps) {
        this.factorInterval = steps;
        return this;
    }

    /** T_inv: recompute the inverses every this many steps. */
    public KfacBuilder<Y> inverseUpdateInterval(int steps) {
        this.inverseInterval = steps;
        return this;
    }

    /** Steps that refresh the factors every step without preconditioning, before K-FAC takes over. */
    public KfacBuilder<Y> warmup(int steps) {
        this.warmup = steps;
        return this;
    }

    public KfacBuilder<Y> curvature(Curvature curvature) {
        this.curvature = Objects.requireNonNull(curvature, "curvature");
        return this;
    }

    /** {@link #inverse(InverseStrategy)} with the {@link InverseMethod}'s strategy. */
    public KfacBuilder<Y> inverseMethod(InverseMethod method) {
        return inverse(InverseStrategy.of(Objects.requireNonNull(method, "inverseMethod")));
    }

    /** The inverse of every layer not matched by {@link #inverse(String, InverseStrategy)} (default: eigen). */
    public KfacBuilder<Y> inverse(InverseStrategy strategy) {
        this.inverse = Objects.requireNonNull(strategy, "inverse");
        return this;
    }

    /** The inverse of the layers whose name matches {@code namePattern} (a regex, whole name); first match wins. */
    public KfacBuilder<Y> inverse(String namePattern, InverseStrategy strategy) {
        Pattern.compile(namePattern);
        inverseFor.put(namePattern, Objects.requireNonNull(strategy, "inverse"));
        return this;
    }

    /** The seed of Monte-Carlo target sampling. */
    public KfacBuilder<Y> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** One approximation for every layer not matched by {@link #approximation(String, Approximation)}. */
    public KfacBuilder<Y> approximation(Approximation approximation) {
        this.approximation = Objects.requireNonNull(approximation, "approximation");
        return this;
    }

    /** The approximation of the layers whose name matches {@code namePattern} (a regex, whole name); first match wins. */
    public KfacBuilder<Y> approximation(String namePattern, Approximation approximation) {
        Pattern.compile(namePattern);
        approximationFor.put(namePattern, Objects.requireNonNull(approximation, "approximation"));
        return this;
    }

    /** Leaves the layers whose name matches {@code namePattern} (a regex, whole name) to the base optimiser. */
    public KfacBuilder<Y> skip(String namePattern) {
        Pattern.compile(namePattern);
        skip.add(namePattern);
        return this;
    }

    /** Validates every option and registers the layers. */
    public Kfac<Y> build() {
        List<String> errors = new ArrayList<>();
        if (learningRate == null) {
            errors.add("learningRate is required");
        }
        check(errors, momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        check(errors, weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be >= 0, got " + weightDecay);
        check(errors, klClip >= 0 && Double.isFinite(klClip), "klClip must be >= 0 (0: off), got " + klClip);
        check(errors, factorDecay >= 0 && factorDecay < 1, "factorDecay must be in [0, 1), got " + factorDecay);
        check(errors, factorInterval >= 1, "factorUpdateInterval must be >= 1, got " + factorInterval);
        check(errors, inverseInterval >= 1, "inverseUpdateInterval must be >= 1, got " + inverseInterval);
        check(errors, warmup >= 0, "warmup must be >= 0, got " + warmup);
        double d0 = damping.at(0);
        check(errors, d0 > 0 && Double.isFinite(d0), "damping must be finite and > 0, got " + d0 + " at step 0");
        errors.addAll(inverse.problems());
        inverseFor.values().forEach(s -> errors.addAll(s.problems()));
        List<PreconditionedLayer> layers = new ArrayList<>();
        Map<String, Integer> used = new LinkedHashMap<>();
        approximationFor.keySet().forEach(p -> used.put("approximation pattern '" + p + "'", 0));
        skip.forEach(p -> used.put("skip pattern '" + p + "'", 0));
        inverseFor.keySet().forEach(p -> used.put("inverse pattern '" + p + "'", 0));
        for (KfacLayer layer : model.kfacLayers()) {
            String skipped = firstMatch(skip, layer.name());
            if (skipped != null) {
                used.merge("skip pattern '" + skipped + "'", 1, Integer::sum);
                continue;
            }
            String pattern = firstMatch(approximationFor.keySet(), layer.name());
            Approximation a = approximation;
            if (pattern != null) {
                used.merge("approximation pattern '" + pattern + "'", 1, Integer::sum);
                a = approximationFor.get(pattern);
            }
            String inversePattern = firstMatch(inverseFor.keySet(), layer.name());
            InverseStrategy strategy = inverse;
            if (inversePattern != null) {
                used.merge("inverse pattern '" + inversePattern + "'", 1, Integer::sum);
                strategy = inverseFor.get(inversePattern);
            }
            layers.add(new PreconditionedLayer(layer, a, strategy));
        }
        used.forEach((what, count) -> check(errors, count > 0, what + " matches no K-FAC layer of " + model.name()
                + " (layers: " + model.kfacLayers().stream().map(KfacLayer::name).toList() + ")"));
        check(errors, !layers.isEmpty(), model.name() + " has no K-FAC layer left to precondition");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("K-FAC options: " + String.join("; ", errors));
        }
        Options options = new Options(learningRate, damping, momentum, weightDecay, klClip, factorDecay, factorInterval,
                inverseInterval, warmup, curvature, inverse, seed);
        return new Kfac<>(model, loss, linalg, options, layers);
    }

    private static void check(List<String> errors, boolean ok, String message) {
        if (!ok) {
            errors.add(message);
        }
    }

    private static String firstMatch(Iterable<String> patterns, String name) {
        for (String p : patterns) {
            if (name.matches(p)) {
                return p;
            }
        }
        return null;
    }

    /** The validated options. */
    record Options(Schedule learningRate, Schedule damping, double momentum, double weightDecay, double klClip,
                   double factorDecay, int factorInterval, int inverseInterval, int warmup, Curvature curvature,
                   InverseStrategy inverse, long seed) {
        /** The options that decide the trajectory, one per line after the table. */
        String describe() {
            return "curvature " + curvature + ", inverse " + inverse.label() + ", T_cov " + factorInterval + ", T_inv "
                    + inverseInterval + ", warm-up " + warmup + ", ρ " + factorDecay + ", KL clip "
                    + (klClip == 0 ? "off" : klClip) + ", momentum " + momentum + ", weight decay " + weightDecay;
        }
    }
}
