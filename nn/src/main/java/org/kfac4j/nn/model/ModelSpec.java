package org.kfac4j.nn.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.kfac4j.nn.layer.ChannelsLast;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.layer.Flatten;
import org.kfac4j.nn.layer.Gelu;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.PoolOverPositions;
import org.kfac4j.nn.layer.Relu;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.layer.Tanh;
import org.kfac4j.nn.tensor.DType;

/**
 * A sequential model described in JSON — the {@code model} block of a reference-case manifest
 * ({@code ../shared/reference-cases/README.md}):
 * <pre>{"input_shape": [C, H, W] or [R, D] or [D],
 *  "layers": [{"type": "conv2d", "name": "c0", "in_channels": 2, "out_channels": 3, "kernel": [3, 3],
 *              "stride": 1, "padding": 1, "bias": true},
 *             {"type": "relu"}, {"type": "flatten"},
 *             {"type": "linear", "name": "l0", "in": 16, "out": 3, "bias": true}, …]}</pre>
 * Types: {@code linear}, {@code conv2d} (square kernels), {@code relu}, {@code tanh}, {@code gelu},
 * {@code mean_over_positions}, {@code sum_over_positions}, {@code flatten}. Image inputs ({@code [C, H, W]}) are taken
 * channels-first, as PyTorch gives them. The shapes are followed layer by layer while building, so a spec whose
 * shapes do not chain is rejected naming the layer, before any weight is loaded; parameters are named
 * {@code NAME.weight} and {@code NAME.bias} (load them with {@link ModelWeights#load}).
 */
public final class ModelSpec {
    private ModelSpec() {
    }

    /** Reads a spec from a file: either the spec itself or a manifest holding it under {@code "model"}. */
    public static Model read(Path file, DType dtype) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        return build(root.has("model") ? root.get("model") : root, file.getFileName().toString(), dtype);
    }

    /** Builds the model a spec describes, with weights drawn as PyTorch initialises them (seed 0). */
    public static Model build(JsonNode spec, String name, DType dtype) {
        int[] shape = intArray(spec.path("input_shape"), "input_shape");
        if (shape.length < 1 || shape.length > 3) {
            throw new IllegalArgumentException(name + ": input_shape must be [D], [R, D] or [C, H, W], got "
                    + Arrays.toString(shape));
        }
        JsonNode layers = spec.path("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException(name + ": \"layers\" must be a non-empty array");
        }
        SplittableRandom rng = new SplittableRandom(0);
        List<Layer> built = new ArrayList<>();
        if (shape.length == 3) {
            built.add(new ChannelsLast("input"));
            shape = new int[] {shape[1], shape[2], shape[0]}; // tracked channels-last from here on
        }
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String type = l.path("type").asText("");
            String where = name + ": layer " + i + " (" + (l.has("name") ? l.get("name").asText() : type) + ")";
            switch (type) {
                case "linear" -> {
                    int in = positive(l, "in", where);
                    require(shape[shape.length - 1] == in, where, "takes " + in + " features, gets shape "
                            + Arrays.toString(shape));
                    built.add(new Linear(text(l, "name", where), in, positive(l, "out", where),
                            l.path("bias").asBoolean(true), dtype, rng));
                    shape[shape.length - 1] = positive(l, "out", where);
                }
                case "conv2d" -> {
                    int[] k = intArray(l.path("kernel"), where + " kernel");
                    require(k.length == 2 && k[0] == k[1], where, "only square kernels are supported, got "
                            + Arrays.toString(k));
                    int in = positive(l, "in_channels", where);
                    require(shape.length == 3 && shape[2] == in, where, "takes " + in + " channels, gets shape "
                            + Arrays.toString(shape) + " (channels last)");
                    int stride = l.path("stride").asInt(1);
                    int padding = l.path("padding").asInt(0);
                    int out = positive(l, "out_channels", where);
                    built.add(new Conv2d(text(l, "name", where), in, out, k[0], stride, padding,
                            l.path("bias").asBoolean(true), dtype, rng));
                    shape = new int[] {(shape[0] + 2 * padding - k[0]) / stride + 1,
                            (shape[1] + 2 * padding - k[0]) / stride + 1, out};
                    require(shape[0] > 0 && shape[1] > 0, where, "the kernel does not fit the input");
                }
                case "relu" -> built.add(new Relu("relu" + i));
                case "tanh" -> built.add(new Tanh("tanh" + i));
                case "gelu" -> built.add(new Gelu("gelu" + i));
                case "mean_over_positions", "sum_over_positions" -> {
                    require(shape.length >= 2, where, "needs positions, gets shape " + Arrays.toString(shape));
                    built.add(new PoolOverPositions("pool" + i, type.startsWith("mean")
                            ? PoolOverPositions.Mode.MEAN : PoolOverPositions.Mode.SUM));
                    shape = new int[] {shape[shape.length - 1]};
                }
                case "flatten" -> {
                    built.add(new Flatten("flatten" + i));
                    shape = new int[] {Arrays.stream(shape).reduce(1, (a, b) -> a * b)};
                }
                default -> throw new IllegalArgumentException(where + ": unknown layer type '" + type + "'");
            }
        }
        return new Model(name, new Sequential(name, built), dtype);
    }

    private static void require(boolean ok, String where, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + problem);
        }
    }

    private static int positive(JsonNode l, String field, String where) {
        int v = l.path(field).asInt(-1);
        require(v > 0, where, "\"" + field + "\" must be a positive integer");
        return v;
    }

    private static String text(JsonNode l, String field, String where) {
        require(l.path(field).isTextual(), where, "needs a \"" + field + "\"");
        return l.get(field).asText();
    }

    private static int[] intArray(JsonNode node, String what) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(what + " must be an array of integers");
        }
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt(-1);
            require(out[i] > 0, what, "entries must be positive integers");
        }
        return out;
    }
}
