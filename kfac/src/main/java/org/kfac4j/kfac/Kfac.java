package org.kfac4j.kfac;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.kfac4j.kfac.factor.GradientPasses;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.Tensor;

/**
 * K-FAC-expand / K-FAC-reduce natural-gradient optimisation (Eschenhagen et al., NeurIPS 2023; conventions in
 * {@code kfac-math.md}). Built by {@link #builder(Model, Loss)}.
 *
 * <p>One training step:
 * <pre>{@code
 * ForwardResult f = model.forward(x, kfac.trainingPass());   // captures only on factor-update steps
 * LossValue l = loss.evaluate(f.output(), y);
 * kfac.zeroGrad();
 * f.backward(l.gradient());
 * kfac.step(f, y);                 // all-in-one: precondition, then momentum / weight decay / learning rate
 * }</pre>
 * or, as a preconditioner in front of another optimiser, {@code kfac.precondition(f, y); adamW.step();}: the
 * gradients of the registered layers are replaced in place by their (KL-clipped) natural gradients, and all other
 * parameters' gradients are left to the base optimiser.
 *
 * <p>Schedule of step k (0-based): the factors are refreshed when {@code k < warmup} or {@code k % T_cov == 0}; the
 * inverses when {@code k >= warmup} and either none exists yet or {@code k % T_inv == 0}; gradients are
 * preconditioned from step {@code warmup} on (before it, they pass unchanged).
 *
 * <p>Results do not depend on the thread count: every kernel is deterministic and the Monte-Carlo targets of step k
 * are drawn from a generator seeded by (seed, k). Not thread-safe: one training loop drives one instance.
 */
public final class Kfac<Y> {
    private static final System.Logger LOG = System.getLogger(Kfac.class.getName());

    private final Model model;
    private final Loss<Y> loss;
    private final Linalg linalg;
    private final KfacBuilder.Options options;
    private final List<PreconditionedLayer> layers;
    private final List<Parameter> parameters;
    private final Tensor[] momentum;
    private long steps;
    private double weightDecay;
    private boolean tableLogged;

    Kfac(Model model, Loss<Y> loss, Linalg linalg, KfacBuilder.Options options, List<PreconditionedLayer> layers) {
        this.model = model;
        this.loss = loss;
        this.linalg = linalg;
        this.options = options;
        this.layers = List.copyOf(layers);
        this.parameters = model.parameters();
        this.momentum = new Tensor[parameters.size()];
        this.weightDecay = options.weightDecay();
    }

    /** A builder for {@code model} trained on {@code loss}. */
    public static <Y> KfacBuilder<Y> builder(Model model, Loss<Y> loss) {
        return new KfacBuilder<>(model, loss);
    }

    /** The number of steps taken (preconditioned or not). */
    public long steps() {
        return steps;
    }

    /** λ of the all-in-one step's coupled weight decay now in force. */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Sets λ from the next step on — e.g. to {@code δ/Z} when the Laplace evidence selects a prior precision δ for
     * Z training terms. Kept in {@link #snapshot}s.
     */
    public void weightDecay(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + lambda);
        }
        this.weightDecay = lambda;
    }

    /** The layers this optimiser preconditions, in model order. */
    public List<KfacLayer> layers() {
        return layers.stream().map(l -> l.layer).toList();
    }

    /** Whether the current step refreshes the factors (and so needs a capturing forward pass). */
    public boolean updatesFactors() {
        return steps < options.warmup() || steps % options.factorInterval() == 0;
    }

    /** Where the next forward pass should record: a new record on factor-update steps, {@link Captures#NONE} otherwise. */
    public Captures captures() {
        return updatesFactors() ? Captures.create() : Captures.NONE;
    }

    /** A training pass on this optimiser's engine that captures when the current step needs it. */
    public Pass trainingPass() {
        return new Pass(linalg, true, captures());
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        model.zeroGrad();
    }

    /**
     * The preconditioner step: refreshes the factors and inverses when due, then replaces every registered layer's
     * gradient by its damped natural gradient, scaled by the KL clip. Call after {@code forward.backward(loss
     * gradient)}; {@code forward} must come from {@link #trainingPass()} (or a pass with {@link #captures()}).
     *
     * @throws RegistrationException    when the step refreshes the factors but a registered layer recorded nothing
     * @throws NonFiniteFactorException when a factor or gradient holds NaN or Inf (naming the layer)
     */
    public void precondition(ForwardResult forward, Y targets) {
        long k = steps;
        if (updatesFactors()) {
            refreshFactors(forward, k);
        }
        if (k >= options.warmup()) {
            double damping = checkedDamping(k);
            for (PreconditionedLayer l : layers) {
                if (!l.inverse().ready() || k % options.inverseInterval() == 0) {
                    l.decompose(damping);
                }
            }
            double vg = 0;
            for (PreconditionedLayer l : layers) {
                vg += l.precondition(damping);
            }
            double nu = klScale(vg, options.learningRate().at(k));
            for (PreconditionedLayer l : layers) {
                l.writeBack(nu);
            }
        }
        steps++;
    }

    /**
     * The all-in-one step: {@link #precondition}, then for every parameter (preconditioned or not) the SGD update with
     * this optimiser's learning rate, momentum and coupled weight decay: {@code d ← ∇ + λθ; b ← μb + d; θ ← θ − ηb}.
     */
    public void step(ForwardResult forward, Y targets) {
        long k = steps;
        precondition(forward, targets);
        double lr = options.learningRate().at(k);
        for (int p = 0; p < parameters.size(); p++) {
            Tensor theta = parameters.get(p).value();
            Tensor grad = parameters.get(p).grad();
            if (options.momentum() != 0 && momentum[p] == null) {
                momentum[p] = theta.zerosLike();
            }
            ParameterUpdate.apply(theta, grad, momentum[p], lr, options.momentum(), weightDecay);
        }
    }

    private void refreshFactors(ForwardResult forward, long k) {
        Captures captures = forward.captures();
        if (!captures.enabled()) {
            throw new IllegalStateException("step " + k + " refreshes the K-FAC factors but its forward pass captured "
                    + "nothing: run it with kfac.trainingPass() (or a Pass with kfac.captures())");
        }
        Set<KfacLayer> recorded = Collections.newSetFromMap(new IdentityHashMap<>());
        recorded.addAll(captures.layers().keySet());
        for (PreconditionedLayer l : layers) {
            if (!recorded.contains(l.layer)) {
                throw new RegistrationException(l.layer.name() + " is registered for K-FAC but recorded nothing in "
                        + "step " + k + "'s forward pass: is it used by the model? (skip it in the builder otherwise)");
            }
        }
        Approximation setting = forward.output().rank() >= 3 ? Approximation.EXPAND : Approximation.REDUCE;
        for (PreconditionedLayer l : layers) {
            if (!l.initialised()) {
                l.initialise(l.override != null ? l.override : setting, linalg, model.dtype(), options.seed());
            }
        }
        GradientPasses passes = CurvatureBackward.run(forward, loss, options.curvature(),
                new SplittableRandom(options.seed() ^ (k * 0x9E3779B97F4A7C15L)));
        for (PreconditionedLayer l : layers) {
            l.accumulate(linalg, captures, passes, options.factorDecay());
        }
        if (!tableLogged) {
            tableLogged = true;
            LOG.log(System.Logger.Level.INFO, () -> "K-FAC registered layers:\n" + registrationTable());
        }
    }

    private double checkedDamping(long k) {
        double damping = options.damping().at(k);
        if (!(damping > 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("damping schedule gave " + damping + " at step " + k
                    + " (need a finite value > 0)");
        }
        return damping;
    }

    /** ν = min(1, sqrt(κ / (η² Σ⟨∇W, ΔW⟩))): the quadratic KL estimate of the scaled step stays within κ. */
    private double klScale(double vg, double lr) {
        if (options.klClip() <= 0 || !(vg > 0) || lr == 0) {
            return 1;
        }
        return Math.min(1, Math.sqrt(options.klClip() / (lr * lr * vg)));
    }

    /**
     * What is registered: layer, kind, approximation, R, factor shapes, inverse (R, "auto" and the trackers of the
     * low-rank inverses resolve at the first update).
     */
    public String registrationTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer", "kind", "approximation", "R", "A", "G", "inverse"});
        for (PreconditionedLayer l : layers) {
            rows.add(l.registrationRow());
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(String.format("%-" + (width[c] + 2) + "s", row[c]));
            }
            out.setLength(out.length() - 2);
            out.append('\n');
        }
        return out.toString() + options.describe();
    }

    /** Per-layer state and timings. */
    public List<LayerDiagnostics> diagnostics() {
        return layers.stream().map(PreconditionedLayer::diagnostics).toList();
    }

    /** The factors of {@code layer} (null before its first factor update). */
    public KroneckerFactors factors(KfacLayer layer) {
        for (PreconditionedLayer l : layers) {
            if (l.layer == layer) {
                return l.factors();
            }
        }
        throw new IllegalArgumentException(layer.name() + " is not registered with this optimiser");
    }

    /**
     * Writes the whole optimiser state — factors, inverses, momentum buffers, step count — to {@code file} as
     * safetensors, atomically (a temporary file moved into place), so that {@link #restore} continues the same
     * trajectory.
     */
    public void snapshot(Path file) throws IOException {
        KfacCheckpoint.write(file, this);
    }

    /** Restores a {@link #snapshot}; the registered layers and options must match the ones it was taken with. */
    public void restore(Path file) throws IOException {
        KfacCheckpoint.read(file, this);
    }

    // ---- state access for KfacCheckpoint

    KfacBuilder.Options options() {
        return options;
    }

    List<PreconditionedLayer> preconditionedLayers() {
        return layers;
    }

    List<Parameter> parameters() {
        return parameters;
    }

    Tensor[] momentumBuffers() {
        return momentum;
    }

    Linalg linalg() {
        return linalg;
    }

    Model model() {
        return model;
    }

    void restoreSteps(long count) {
        steps = count;
    }

    @Override
    public String toString() {
        return "K-FAC over " + layers.size() + " layers of " + model.name() + ", step " + steps;
    }
}
