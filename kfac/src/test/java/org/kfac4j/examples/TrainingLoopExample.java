package org.kfac4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Kfac;
import org.kfac4j.nn.data.Batch;
import org.kfac4j.nn.data.Batches;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.model.Models;
import org.kfac4j.nn.optim.AdamW;
import org.kfac4j.nn.optim.Schedule;
import org.kfac4j.nn.tensor.DType;

/**
 * The README's Java example, kept here as compiled code so that it cannot drift from the API:
 * {@code TrainingLoopExampleTest} runs it and checks that the README shows exactly the lines between the markers.
 */
public final class TrainingLoopExample {
    private TrainingLoopExample() {
    }

    /** Trains the mlp on {@code train} for {@code epochs} with AdamW preconditioned by K-FAC; saves it to {@code out}. */
    public static Model train(Dataset train, int epochs, Path out) throws IOException {
        // README:begin
        Model model = Models.mlp(DType.F32, 0);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = Kfac.builder(model, loss)
                .learningRate(1e-3)                      // the base optimiser's, for the KL clip
                .damping(1e-3)
                .approximation(Approximation.REDUCE)
                .factorUpdateInterval(10)
                .inverseUpdateInterval(50)
                .build();
        AdamW adamW = new AdamW(model.parameters(), Schedule.constant(1e-3), 0.9, 0.999, 1e-8, 0.01);
        Batches batches = new Batches(train, 128, 0, true);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
                Batch b = it.next();
                ForwardResult f = model.forward(b.inputs(), kfac.trainingPass());
                LossValue l = loss.evaluate(f.output(), b.labels());
                adamW.zeroGrad();
                f.backward(l.gradient());
                kfac.precondition(f, b.labels());        // K-FAC layers' gradients become natural gradients
                adamW.step();
            }
        }
        ModelWeights.save(model, out, Map.of("epochs", Integer.toString(epochs)));
        // README:end
        return model;
    }
}
