package org.kfac4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.kfac.Kfac;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.optim.AdamW;
import org.kfac4j.nn.optim.Optimizer;
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

    /** Writes the optimiser's state (buffers, factors, step count) to {@code file}, atomically. */
    void save(Path file) throws IOException;

    /** Restores a {@link #save}d state. */
    void restore(Path file) throws IOException;

    /** The loss and correct count of one step. */
    record Outcome(double loss, int correct) {
    }

    /** The step {@code kind} with {@code hp} over {@code totalSteps} steps for {@code model}. */
    static TrainingStep create(OptimizerKind kind, Hyperparameters hp, long totalSteps, Model model, Linalg linalg,
                               long seed) {
        CrossEntropy loss = CrossEntropy.mean();
        return switch (kind) {
            case SGD -> new FirstOrder(model, linalg, loss, new Sgd(model.parameters(), hp.schedule(totalSteps),
                    hp.momentum(), hp.momentum() > 0, hp.weightDecay()));
            case ADAMW -> new FirstOrder(model, linalg, loss, new AdamW(model.parameters(), hp.schedule(totalSteps),
                    hp.momentum(), 0.999, 1e-8, hp.weightDecay()));
            case KFAC_EXPAND, KFAC_REDUCE -> new KfacStep(model, loss, Kfac.builder(model, loss)
                    .linalg(linalg)
                    .learningRate(hp.schedule(totalSteps))
                    .momentum(hp.momentum())
                    .weightDecay(hp.weightDecay())
                    .damping(hp.damping())
                    .factorUpdateInterval(hp.factorInterval())
                    .inverseUpdateInterval(hp.inverseInterval())
                    .klClip(hp.klClip())
                    .factorDecay(hp.factorDecay())
                    .approximation(kind.approximation())
                    .seed(seed)
                    .build());
        };
    }

    /** SGD or AdamW. */
    final class FirstOrder implements TrainingStep {
        private final Model model;
        private final Linalg linalg;
        private final CrossEntropy loss;
        private final Optimizer optimizer;

        FirstOrder(Model model, Linalg linalg, CrossEntropy loss, Optimizer optimizer) {
            this.model = model;
            this.linalg = linalg;
            this.loss = loss;
            this.optimizer = optimizer;
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
            SafeTensors.Contents c = SafeTensors.read(file);
            Map<String, Tensor> state = new LinkedHashMap<>();
            c.tensors().forEach((name, stored) -> state.put(name, stored.toTensor(DType.F64)));
            optimizer.restore(state);
        }
    }

    /** K-FAC as the all-in-one optimiser. */
    final class KfacStep implements TrainingStep {
        private final Model model;
        private final CrossEntropy loss;
        private final Kfac<int[]> kfac;

        KfacStep(Model model, CrossEntropy loss, Kfac<int[]> kfac) {
            this.model = model;
            this.loss = loss;
            this.kfac = kfac;
        }

        @Override
        public Outcome run(StepBatch batch) {
            ForwardResult f = model.forward(batch.inputs(), batch.attach(kfac.trainingPass()));
            LossValue l = loss.evaluate(f.output(), batch.labels());
            kfac.zeroGrad();
            f.backward(l.gradient());
            kfac.step(f, batch.labels());
            return new Outcome(l.value(), Predictions.correct(f.output(), batch.labels()));
        }

        @Override
        public void save(Path file) throws IOException {
            kfac.snapshot(file);
        }

        @Override
        public void restore(Path file) throws IOException {
            kfac.restore(file);
        }
    }
}
