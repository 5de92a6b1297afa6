package org.kfac4j.kfac.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.loss.Reduction;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelSpec;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A factor case in the {@code kfac4j-reference-case/1} format ({@code shared/reference-cases/README.md}): a model
 * layer by layer, a loss and its setting, a safetensors file with weights, inputs and targets, and the factors to
 * compute. {@link #computeFactors} runs kfac4j's own pipeline on it in float64 — the model built from the manifest,
 * a capturing forward pass, the curvature's backward passes, the accumulation — and names each result as the format
 * does ({@code LAYER.APPROX.A}, {@code LAYER.APPROX.FISHER.G}).
 *
 * <p>Everything is checked before anything is computed: a manifest that cannot be built (unknown layer, loss,
 * approximation or Fisher; shapes that do not chain; a requested layer the model lacks; a missing tensor) is an
 * {@link IllegalArgumentException} naming the culprit.
 */
public final class ReferenceCase {
    public static final String FORMAT = "kfac4j-reference-case/1";

    private final String name;
    private final Model model;
    private final JsonNode loss;
    private final SafeTensors.Contents tensors;
    private final List<Request> requests;

    /** One requested factor pair. */
    public record Request(String layer, Approximation approximation, String fisher) {
        /** The names of the A and G results. */
        public String aName() {
            return layer + "." + approximation.label() + ".A";
        }

        public String gName() {
            return layer + "." + approximation.label() + "." + fisher + ".G";
        }
    }

    private ReferenceCase(String name, Model model, JsonNode loss, SafeTensors.Contents tensors, List<Request> requests) {
        this.name = name;
        this.model = model;
        this.loss = loss;
        this.tensors = tensors;
        this.requests = requests;
    }

    /** Reads and validates a manifest and its tensors; the model is built in float64 with the case's weights. */
    public static ReferenceCase read(Path manifest) throws IOException {
        JsonNode root = new ObjectMapper().readTree(manifest.toFile());
        String name = manifest.getFileName().toString().replaceFirst("\\.json$", "");
        String format = root.path("format").asText();
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(manifest + ": format '" + format + "', expected " + FORMAT);
        }
        Model model = ModelSpec.build(root.path("model"), name, DType.F64);
        Path tensorFile = manifest.toAbsolutePath().getParent().resolve(text(root, "tensors", manifest));
        if (!Files.isRegularFile(tensorFile)) {
            throw new IllegalArgumentException(manifest + ": tensors file " + tensorFile + " does not exist");
        }
        SafeTensors.Contents tensors = SafeTensors.read(tensorFile);
        ModelWeights.load(model, tensorFile);
        tensors.get("inputs");
        tensors.get("targets");
        JsonNode loss = root.path("loss");
        String type = text(loss, "type", manifest);
        if (!type.equals("mse") && !type.equals("cross_entropy")) {
            throw new IllegalArgumentException(manifest + ": unknown loss type '" + type + "' (mse or cross_entropy)");
        }
        String reduction = text(loss, "reduction", manifest);
        if (!reduction.equals("mean") && !reduction.equals("sum")) {
            throw new IllegalArgumentException(manifest + ": unknown reduction '" + reduction + "' (mean or sum)");
        }
        String setting = text(loss, "setting", manifest);
        if (!setting.equals("expand") && !setting.equals("reduce")) {
            throw new IllegalArgumentException(manifest + ": unknown setting '" + setting + "' (expand or reduce)");
        }
        List<Request> requests = new ArrayList<>();
        for (JsonNode r : root.path("requests")) {
            String layer = text(r, "layer", manifest);
            if (model.kfacLayers().stream().noneMatch(l -> l.name().equals(layer))) {
                throw new IllegalArgumentException(manifest + ": requested layer '" + layer + "' is not a linear or "
                        + "conv2d layer of the model (" + model.kfacLayers().stream().map(KfacLayer::name).toList() + ")");
            }
            String fisher = text(r, "fisher", manifest);
            curvature(fisher);
            requests.add(new Request(layer, Approximation.parse(text(r, "approximation", manifest)), fisher));
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException(manifest + ": no requests");
        }
        return new ReferenceCase(name, model, loss, tensors, List.copyOf(requests));
    }

    private static String text(JsonNode node, String field, Path manifest) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(manifest + ": missing string field '" + field + "'");
        }
        return v.asText();
    }

    private static Curvature curvature(String fisher) {
        return switch (fisher) {
            case "exact" -> Curvature.exactGgn();
            case "empirical" -> Curvature.empirical();
            default -> throw new IllegalArgumentException("unknown fisher '" + fisher + "' (exact or empirical)");
        };
    }

    public String name() {
        return name;
    }

    public Model model() {
        return model;
    }

    public List<Request> requests() {
        return requests;
    }

    /** The case's tensors (weights, inputs, targets and expected results). */
    public SafeTensors.Contents tensors() {
        return tensors;
    }

    /** Every requested factor, computed by kfac4j, under the format's names, in request order. */
    public Map<String, Tensor> computeFactors(Linalg linalg) {
        Reduction reduction = loss.get("reduction").asText().equals("mean") ? Reduction.MEAN : Reduction.SUM;
        Tensor inputs = tensors.get("inputs").toTensor(DType.F64);
        if (loss.get("type").asText().equals("mse")) {
            return compute(linalg, new MeanSquaredError(reduction), inputs, tensors.get("targets").toTensor(DType.F64));
        }
        return compute(linalg, new CrossEntropy(reduction), inputs, tensors.get("targets").toInts("targets"));
    }

    private <Y> Map<String, Tensor> compute(Linalg linalg, Loss<Y> lossFunction, Tensor inputs, Y targets) {
        checkSetting(model.forward(inputs, new Pass(linalg, false, Captures.NONE)).output());
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Map<KfacLayer, KroneckerFactors>> byGroup = new LinkedHashMap<>();
        for (Request r : requests) {
            String group = r.fisher() + "/" + r.approximation();
            // one capturing pass per (Fisher, approximation): every layer's factors come out of it
            Map<KfacLayer, KroneckerFactors> factors = byGroup.computeIfAbsent(group, g -> KroneckerFactors.ofBatch(
                    model, new Pass(linalg, true, Captures.create()), inputs, lossFunction, targets,
                    curvature(r.fisher()), layer -> r.approximation(), 0));
            KroneckerFactors f = factors.entrySet().stream().filter(e -> e.getKey().name().equals(r.layer()))
                    .findFirst().orElseThrow().getValue();
            out.put(r.aName(), f.a());
            out.put(r.gName(), f.g());
        }
        return out;
    }

    /** ‖actual − expected‖_F / ‖expected‖_F, the measure the format's tolerance (1e-9) is stated in; ∞ on a shape mismatch. */
    public static double relativeError(Tensor actual, Tensor expected) {
        if (!actual.hasShape(expected.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff += Math.pow(actual.get(i) - expected.get(i), 2);
            norm += Math.pow(expected.get(i), 2);
        }
        return Math.sqrt(diff / norm);
    }

    private void checkSetting(Tensor output) {
        boolean expand = loss.get("setting").asText().equals("expand");
        if (expand != (output.rank() == 3)) {
            throw new IllegalArgumentException(name + ": setting '" + loss.get("setting").asText() + "' but the model's "
                    + "output is " + output + " (expand needs N×R×C, reduce N×C)");
        }
    }
}
