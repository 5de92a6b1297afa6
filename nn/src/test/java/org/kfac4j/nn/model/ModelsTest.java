package org.kfac4j.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.data.Batch;
import org.kfac4j.nn.data.Batches;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.data.SyntheticImages;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.optim.AdamW;
import org.kfac4j.nn.optim.Schedule;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class ModelsTest {
    private static final long SEED = 1L;

    /** Parameter counts of the same models in PyTorch (sum of numel over model.parameters()). */
    @Test
    void benchModelsHaveTheSpecifiedShapes() {
        Model mlp = Models.mlp(DType.F32, SEED);
        assertEquals(784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10, mlp.parameterCount());
        assertEquals(3, mlp.kfacLayers().size());
        Model cnn = Models.cnn(DType.F32, SEED);
        assertEquals(307_690, cnn.parameterCount());
        assertEquals(10, cnn.kfacLayers().size());
        Model vit = Models.vit(DType.F32, SEED);
        assertEquals(139_018, vit.parameterCount());
        assertEquals(1 + 4 * 6 + 1, vit.kfacLayers().size());
        Tensor x = GradientCheck.random(SEED, DType.F32, 3, 28, 28, 1);
        for (Model m : new Model[] {mlp, cnn, vit}) {
            assertTrue(m.forward(x, Pass.evaluation()).output().hasShape(3, 10), m.name());
        }
    }

    /** Every K-FAC layer of the CNN records N×R×D inputs and output gradients: R = positions, D = C_in·k². */
    @Test
    void cnnCapturesEveryKfacLayer() {
        Model cnn = Models.cnn(DType.F32, SEED);
        Tensor x = GradientCheck.random(SEED, DType.F32, 2, 28, 28, 1);
        Captures captures = Captures.create();
        ForwardResult f = cnn.forward(x, Pass.training(captures));
        LossValue loss = CrossEntropy.mean().evaluate(f.output(), new int[] {3, 7});
        f.backward(loss.gradient());
        for (KfacLayer layer : cnn.kfacLayers()) {
            Tensor a = captures.of(layer).inputs().get(0);
            Tensor g = captures.of(layer).outputGradient(0, 0);
            assertEquals(2, a.dim(0), layer.name());
            assertEquals(layer.inputDim() + (layer.bias().isPresent() ? 1 : 0), a.dim(2), layer.name());
            assertEquals(a.dim(1), g.dim(1), layer.name());
            assertEquals(layer.outputDim(), g.dim(2), layer.name());
        }
        assertEquals(28 * 28, captures.of(cnn.kfacLayers().get(0)).inputs().get(0).dim(1));
    }

    /** The whole model's gradient against finite differences of the loss, in double. */
    @Test
    void cnnGradientMatchesFiniteDifferences() {
        Model cnn = Models.cnn(DType.F64, SEED);
        Tensor x = GradientCheck.random(SEED, DType.F64, 2, 12, 12, 1);
        int[] y = {2, 5};
        ForwardResult f = cnn.forward(x, Pass.training(Captures.NONE));
        cnn.zeroGrad();
        f.backward(CrossEntropy.mean().evaluate(f.output(), y).gradient());
        double h = 1e-6;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(SEED);
        for (var p : cnn.parameters()) {
            for (int probe = 0; probe < 3; probe++) {
                int i = rng.nextInt(p.value().size());
                double saved = p.value().get(i);
                p.value().set(i, saved + h);
                double plus = CrossEntropy.mean().evaluate(cnn.forward(x, Pass.training(Captures.NONE)).output(), y).value();
                p.value().set(i, saved - h);
                double minus = CrossEntropy.mean().evaluate(cnn.forward(x, Pass.training(Captures.NONE)).output(), y).value();
                p.value().set(i, saved);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, p.grad().get(i), 1e-5 * Math.abs(numeric) + 1e-8, p.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void weightsRoundTripThroughSafetensors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Model a = Models.vit(DType.F32, 1);
        Model b = Models.vit(DType.F32, 2);
        java.nio.file.Path file = dir.resolve("vit.safetensors");
        ModelWeights.save(a, file, java.util.Map.of("step", "7"));
        assertEquals("7", ModelWeights.load(b, file).get("step"));
        Tensor x = GradientCheck.random(SEED, DType.F32, 2, 28, 28, 1);
        Tensor ya = a.forward(x, Pass.evaluation()).output();
        Tensor yb = b.forward(x, Pass.evaluation()).output();
        for (int i = 0; i < ya.size(); i++) {
            assertEquals(ya.get(i), yb.get(i), 0);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelWeights.load(Models.mlp(DType.F32, 1), file));
    }

    @Test
    void batchNormStatisticsTravelWithTheWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Model a = Models.cnn(DType.F32, 1);
        Model b = Models.cnn(DType.F32, 2);
        Tensor x = GradientCheck.random(SEED, DType.F32, 4, 28, 28, 1);
        for (int i = 0; i < 3; i++) {
            a.forward(GradientCheck.random(SEED + i, DType.F32, 4, 28, 28, 1), Pass.training(Captures.NONE));
        }
        java.util.List<String> names = a.buffers().stream().map(org.kfac4j.nn.layer.Buffer::name).toList();
        assertTrue(names.stream().allMatch(n -> n.endsWith(".running_mean") || n.endsWith(".running_var")),
                names.toString());
        assertEquals(2 * 7, a.buffers().size(), "a mean and a variance per BatchNorm: " + names);
        java.nio.file.Path file = dir.resolve("cnn.safetensors");
        ModelWeights.save(a, file, java.util.Map.of());
        ModelWeights.load(b, file);
        Tensor ya = a.forward(x, Pass.evaluation()).output();
        Tensor yb = b.forward(x, Pass.evaluation()).output();
        for (int i = 0; i < ya.size(); i++) {
            assertEquals(ya.get(i), yb.get(i), 0, "evaluation uses the loaded running statistics");
        }
        // a file of the parameters alone (as saved before buffers were) is refused, naming the missing buffer
        java.util.Map<String, Tensor> onlyParameters = new java.util.LinkedHashMap<>();
        a.parameters().forEach(p -> onlyParameters.put(p.name(), p.value()));
        org.kfac4j.nn.io.SafeTensors.write(dir.resolve("old.safetensors"), onlyParameters, java.util.Map.of());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModelWeights.load(b, dir.resolve("old.safetensors")));
        assertTrue(e.getMessage().contains("running_mean"), e.getMessage());
    }

    @Test
    void mlpLearnsTheSyntheticTask() {
        Model mlp = Models.mlp(DType.F32, SEED);
        Dataset data = SyntheticImages.generate(2048, SEED, DType.F32);
        AdamW adam = AdamW.withDefaults(mlp.parameters(), Schedule.constant(1e-3));
        Batches batches = new Batches(data, 128, SEED, true);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 0; epoch < 3; epoch++) {
            for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
                Batch b = it.next();
                adam.zeroGrad();
                ForwardResult f = mlp.forward(b.inputs(), Pass.training(Captures.NONE));
                LossValue loss = CrossEntropy.mean().evaluate(f.output(), b.labels());
                f.backward(loss.gradient());
                adam.step();
                first = Double.isNaN(first) ? loss.value() : first;
                last = loss.value();
            }
        }
        assertTrue(first > 1.5, "initial loss " + first);
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last + " after 3 epochs");
    }
}
