package org.kfac4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.Kfac;
import org.kfac4j.kfac.laplace.LaplaceEvidence;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.optim.AdamW;
import org.kfac4j.nn.optim.Optimizer;
import org.kfac4j.nn.optim.Schedule;
import org.kfac4j.nn.optim.Sgd;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One optimisation step on a batch (forward, loss, backward, update) and the optimiser's checkpoint state: a
 * first-order optimiser or K-FAC behind the same three calls.
 */
public sealed interface TrainingStep {
    /** Runs one step on {@code batch}; returns the batch's mean loss and how many it classified correctly. */
    Outcome run(StepBatch batch);

    /**
     * What the optimiser reports about itself at the end of a run: for K-FAC, the registration table (each layer's
     * approximation, R, factor shapes and inverse) and every layer's diagnostics (eigenvalue ranges, time spent);
     * empty for first-order optimisers.
     */
    default String report() {
        return "";
    }

    /** The weight decay now in force. */
    double weightDecay();

    /**
     * Online hyperparameter selection (Immer et al.'s online marginal likelihood): fits the Laplace evidence of the
     * model on {@code data}, scaled to the {@code trainTerms} loss terms of the training set, maximises it over one
     * shared prior precision δ, and sets the weight decay to δ/Z. Returns δ.
     *
     * @throws UnsupportedOperationException for an optimiser whose weight decay is not an L2 prior (AdamW's decoupled
     *                                       decay, K-FAC in front of AdamW)
     */
    default double selectPriorPrecision(List<StepBatch> data, double trainTerms, Linalg linalg, long seed) {
        throw new UnsupportedOperationException("--marglik sets the coupled weight decay of all-in-one K-FAC "
                + "(kfac-expand, kfac-reduce); this optimiser has none");
    }

    /** Writes the optimiser's state (buffers, factors, step count) to {@code file}, atomically. */
    void save(Path file) throws IOException;

    /** Restores a {@link #save}d state. */
    void restore(Path file) throws IOException;

    /** The loss and correct count of one step. */
    record Outcome(double loss, int correct) {
    }

    /** The step {@code kind} with {@code hp} and the learning rate {@code lr} for {@code model}. */
    static TrainingStep create(OptimizerChoice choice, Hyperparameters hp, Schedule lr, Model model, Linalg linalg,
                               long seed) {
        CrossEntropy loss = CrossEntropy.mean();
        OptimizerKind kind = choice.kind();
        return switch (kind) {
            case SGD -> new FirstOrder(model, linalg, loss, new Sgd(model.parameters(), lr,
                    hp.momentum(), hp.momentum() > 0, hp.weightDecay()), hp.weightDecay());
            case ADAMW -> new FirstOrder(model, linalg, loss, new AdamW(model.parameters(), lr,
                    hp.momentum(), 0.999, 1e-8, hp.weightDecay()), hp.weightDecay());
            case KFAC_EXPAND, KFAC_REDUCE, KFAC_EXPAND_ADAMW, KFAC_REDUCE_ADAMW -> new KfacStep(model, loss,
                    Kfac.builder(model, loss)
                    .linalg(linalg)
                    .learningRate(lr)
                    .momentum(hp.momentum())
                    .weightDecay(hp.weightDecay())
                    .damping(hp.damping())
                    .factorUpdateInterval(hp.factorInterval())
                    .inverseUpdateInterval(hp.inverseInterval())
                    .klClip(hp.klClip())
                    .factorDecay(hp.factorDecay())
                    .approximation(kind.approximation())
                    .inverse(choice.strategy())
                    .seed(seed)
                    .build(),
                    kind.hasBase() ? new AdamW(model.parameters(), lr, hp.momentum(), 0.999, 1e-8,
                            hp.weightDecay()) : null, kind.approximation(), hp.weightDecay());
        };
    }

    /** SGD or AdamW. */
    final class FirstOrder implements TrainingStep {
        private final Model model;
        private final Linalg linalg;
        private final CrossEntropy loss;
        private final Optimizer optimizer;
        private final double weightDecay;

        FirstOrder(Model model, Linalg linalg, CrossEntropy loss, Optimizer optimizer, double weightDecay) {
            this.model = model;
            this.linalg = linalg;
            this.loss = loss;
            this.optimizer = optimizer;
            this.weightDecay = weightDecay;
        }

        @Override
        public double weightDecay() {
            return weightDecay;
        }

        @Override
        public Outcome run(StepBatch batch) {
            ForwardResult f = model.forward(batch.inputs(), batch.pass(linalg, true, Captures.NONE));
            LossValue l = loss.evaluate(f.output(), batch.labels());
            optimizer.zeroGrad();
            f.backward(l.gradient());
            optimizer.step();
            return new Outcome(l.value(), Predictions.correct(f.output(), batch.labels()));
        }

        @Override
        public void save(Path file) throws IOException {
            SafeTensors.write(file, optimizer.state(), Map.of("optimizer", optimizer.getClass().getSimpleName()));
        }

        @Override
        public void restore(Path file) throws IOException {
            optimizer.restore(readState(file));
        }
    }

    /**
     * K-FAC as the all-in-one optimiser, or as the preconditioner in front of a base optimiser that then takes the
     * step for every parameter (its state saved beside K-FAC's).
     */
    final class KfacStep implements TrainingStep {
        private final Model model;
        private final CrossEntropy loss;
        private final Kfac<int[]> kfac;
        private final Optimizer base;
        private final Approximation approximation;
        private final double baseWeightDecay;

        KfacStep(Model model, CrossEntropy loss, Kfac<int[]> kfac, Optimizer base, Approximation approximation,
                 double baseWeightDecay) {
            this.model = model;
            this.loss = loss;
            this.kfac = kfac;
            this.base = base;
            this.approximation = approximation;
            this.baseWeightDecay = baseWeightDecay;
        }

        @Override
        public double weightDecay() {
            return base == null ? kfac.weightDecay() : baseWeightDecay;
        }

        @Override
        public double selectPriorPrecision(List<StepBatch> data, double trainTerms, Linalg linalg, long seed) {
            if (base != null) {
                TrainingStep.super.selectPriorPrecision(data, trainTerms, linalg, seed);
            }
            List<Map.Entry<Tensor, int[]>> batches = new ArrayList<>();
            for (StepBatch b : data) {
                if (b.graph() != null) {
                    throw new UnsupportedOperationException("--marglik supports the image models (mlp, cnn, vit)");
                }
                batches.add(Map.entry(b.inputs(), b.labels()));
            }
            LaplaceEvidence evidence = LaplaceEvidence.fit(model, loss, batches, Curvature.monteCarlo(1),
                    layer -> approximation, linalg, seed).scaledTo(trainTerms);
            double delta = Math.exp(evidence.bestLogPriorPrecision(0));
            kfac.weightDecay(delta / trainTerms);
            return delta;
        }

        @Override
        public Outcome run(StepBatch batch) {
            ForwardResult f = model.forward(batch.inputs(), batch.attach(kfac.trainingPass()));
            LossValue l = loss.evaluate(f.output(), batch.labels());
            kfac.zeroGrad();
            f.backward(l.gradient());
            if (base == null) {
                kfac.step(f, batch.labels());
            } else {
                kfac.precondition(f, batch.labels());
                base.step();
            }
            return new Outcome(l.value(), Predictions.correct(f.output(), batch.labels()));
        }

        @Override
        public String report() {
            StringBuilder out = new StringBuilder(kfac.registrationTable()).append("\n\n");
            kfac.diagnostics().forEach(d -> out.append(d).append('\n'));
            return out.toString();
        }

        @Override
        public void save(Path file) throws IOException {
            kfac.snapshot(file);
            if (base != null) {
                SafeTensors.write(baseFile(file), base.state(), Map.of("optimizer", base.getClass().getSimpleName()));
            }
        }

        @Override
        public void restore(Path file) throws IOException {
            kfac.restore(file);
            if (base != null) {
                base.restore(readState(baseFile(file)));
            }
        }

        /** {@code checkpoint-N.optimizer.safetensors} → {@code checkpoint-N.optimizer-base.safetensors}. */
        private static Path baseFile(Path file) {
            return file.resolveSibling(file.getFileName().toString().replace(".safetensors", "-base.safetensors"));
        }
    }

    /** A saved optimiser state, every tensor read as float64 (lossless for float32 buffers). */
    private static Map<String, Tensor> readState(Path file) throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>();
        SafeTensors.read(file).tensors().forEach((name, stored) -> state.put(name, stored.toTensor(DType.F64)));
        return state;
    }
}
