package org.kfac4j.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.loss.Reduction;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The capture contract end to end against an independent implementation: every reference case in
 * {@code ../shared/reference-cases} is built from its manifest ({@link ModelSpec}), its weights are loaded, and the
 * K-FAC factors are formed here from nn's captures by the definitions of {@code kfac-math.md} (expand: flattened over
 * positions; reduce: inputs averaged, gradients summed over positions; exact Fisher: one backward pass per Hessian
 * factor column; empirical: the observed targets' gradients; 1/Z). Tolerance: relative Frobenius error ≤ 1e-9, as
 * the reference cases' README states.
 */
class ReferenceCaseFactorsTest {
    static final Path CASES = Path.of("..", "..", "shared", "reference-cases").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"mlp-ce-expand", "mlp-ce-reduce", "cnn-ce-reduce", "deep-linear-expand",
            "deep-linear-reduce"})
    void factorsFromCapturesMatchTheReference(String name) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(CASES.resolve(name + ".json").toFile());
        SafeTensors.Contents tensors = SafeTensors.read(CASES.resolve(manifest.get("tensors").asText()));
        Model model = ModelSpec.build(manifest.get("model"), name, DType.F64);
        ModelWeights.load(model, CASES.resolve(manifest.get("tensors").asText()));
        Tensor x = tensors.get("inputs").toTensor(DType.F64);
        JsonNode lossSpec = manifest.get("loss");
        Reduction reduction = lossSpec.get("reduction").asText().equals("mean") ? Reduction.MEAN : Reduction.SUM;
        boolean ce = lossSpec.get("type").asText().equals("cross_entropy");
        for (JsonNode request : manifest.get("requests")) {
            String layerName = request.get("layer").asText();
            boolean expand = request.get("approximation").asText().equals("expand");
            boolean exact = request.get("fisher").asText().equals("exact");
            Captures captures = Captures.create();
            ForwardResult f = model.forward(x, Pass.training(captures));
            Tensor out = f.output();
            int passes;
            double z;
            if (ce) {
                CrossEntropy loss = new CrossEntropy(reduction);
                z = loss.normaliser(out);
                passes = seed(f, loss, out, tensors.get("targets").toInts("targets"), exact, z);
            } else {
                MeanSquaredError loss = new MeanSquaredError(reduction);
                z = loss.normaliser(out);
                passes = seed(f, loss, out, tensors.get("targets").toTensor(DType.F64), exact, z);
            }
            KfacLayer layer = model.kfacLayers().stream().filter(l -> l.name().equals(layerName)).findFirst()
                    .orElseThrow();
            LayerCapture c = captures.of(layer);
            String prefix = layerName + "." + (expand ? "expand" : "reduce");
            assertClose(prefix + ".A", inputFactor(c, expand), tensors.get(prefix + ".A").toTensor(DType.F64));
            String g = prefix + "." + (exact ? "exact" : "empirical") + ".G";
            assertClose(g, gradientFactor(c, passes, expand, z), tensors.get(g).toTensor(DType.F64));
        }
    }

    /** Runs the backward passes of the requested Fisher; returns how many. */
    private static <Y> int seed(ForwardResult f, Loss<Y> loss, Tensor out, Y targets, boolean exact, double z) {
        if (!exact) {
            Tensor grad = loss.evaluate(out, targets).gradient(); // ∂L/∂f = ∇ℓ/Z; the factor wants ∇ℓ
            Tensor perTerm = grad.zerosLike();
            for (int i = 0; i < grad.size(); i++) {
                perTerm.set(i, grad.get(i) * z);
            }
            f.backwardCaptureOnly(perTerm);
            return 1;
        }
        for (int column = 0; column < loss.hessianColumns(out); column++) {
            f.backwardCaptureOnly(loss.hessianFactorColumn(out, column));
        }
        return loss.hessianColumns(out);
    }

    /** expand: (1/(N·R)) Σ ã ãᵀ over all rows; reduce: (1/N) Σ_n â_n â_nᵀ with â_n the mean of example n's rows. */
    private static Tensor inputFactor(LayerCapture c, boolean expand) {
        Tensor a = c.inputs().get(0);
        int[] seg = c.segments(0);
        int d = a.dim(2);
        Tensor f = Tensor.zeros(DType.F64, d, d);
        int examples = seg.length - 1;
        int rows = seg[examples];
        for (int n = 0; n < examples; n++) {
            double[] mean = new double[d];
            for (int r = seg[n]; r < seg[n + 1]; r++) {
                for (int i = 0; i < d; i++) {
                    mean[i] += a.get(r * d + i) / (seg[n + 1] - seg[n]);
                    if (expand) {
                        for (int j = 0; j < d; j++) {
                            f.set(i * d + j, f.get(i * d + j) + a.get(r * d + i) * a.get(r * d + j) / rows);
                        }
                    }
                }
            }
            if (!expand) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        f.set(i * d + j, f.get(i * d + j) + mean[i] * mean[j] / examples);
                    }
                }
            }
        }
        return f;
    }

    /** expand: (1/Z) Σ_passes Σ_rows g gᵀ; reduce: (1/Z) Σ_passes Σ_n ĝ_n ĝ_nᵀ with ĝ_n the sum of example n's rows. */
    private static Tensor gradientFactor(LayerCapture c, int passes, boolean expand, double z) {
        int[] seg = c.segments(0);
        int d = c.outputGradient(0, 0).dim(2);
        Tensor f = Tensor.zeros(DType.F64, d, d);
        for (int p = 0; p < passes; p++) {
            Tensor g = c.outputGradient(p, 0);
            for (int n = 0; n < seg.length - 1; n++) {
                double[] sum = new double[d];
                for (int r = seg[n]; r < seg[n + 1]; r++) {
                    for (int i = 0; i < d; i++) {
                        sum[i] += g.get(r * d + i);
                        if (expand) {
                            for (int j = 0; j < d; j++) {
                                f.set(i * d + j, f.get(i * d + j) + g.get(r * d + i) * g.get(r * d + j) / z);
                            }
                        }
                    }
                }
                if (!expand) {
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            f.set(i * d + j, f.get(i * d + j) + sum[i] * sum[j] / z);
                        }
                    }
                }
            }
        }
        return f;
    }

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertTrue(actual.hasShape(expected.shape()), what + ": shape " + actual + " vs " + expected);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff += Math.pow(actual.get(i) - expected.get(i), 2);
            norm += Math.pow(expected.get(i), 2);
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel <= 1e-9, what + ": relative Frobenius error " + rel + " > 1e-9");
    }

    @Test
    void specsThatDoNotChainNameTheLayer() throws IOException {
        ObjectMapper json = new ObjectMapper();
        IllegalArgumentException chain = assertThrows(IllegalArgumentException.class, () -> ModelSpec.build(json.readTree(
                "{\"input_shape\": [3, 6], \"layers\": [{\"type\": \"linear\", \"name\": \"l0\", \"in\": 6, \"out\": 8},"
                        + " {\"type\": \"linear\", \"name\": \"l1\", \"in\": 7, \"out\": 2}]}"), "bad", DType.F32));
        assertTrue(chain.getMessage().contains("layer 1 (l1)") && chain.getMessage().contains("[3, 8]"),
                chain.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ModelSpec.build(
                json.readTree("{\"input_shape\": [4], \"layers\": [{\"type\": \"dropout\"}]}"), "bad", DType.F32));
        assertTrue(unknown.getMessage().contains("unknown layer type 'dropout'"), unknown.getMessage());
        assertEquals(2, ModelSpec.read(CASES.resolve("mlp-ce-expand.json"), DType.F32).kfacLayers().size());
    }
}
