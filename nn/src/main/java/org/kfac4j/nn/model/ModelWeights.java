package org.kfac4j.nn.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.io.StoredTensor;
import org.kfac4j.nn.layer.Buffer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A model's parameters and buffers (BatchNorm's running statistics) in a safetensors file, under their
 * {@code state_dict}-style names ({@code fc1.weight}, {@code bn1.running_mean}); the same layout PyTorch users save.
 * Loading checks that every parameter and buffer is present with its shape before changing any (a failed load leaves
 * the model as it was).
 */
public final class ModelWeights {
    private ModelWeights() {
    }

    /** Saves every parameter and buffer atomically, with {@code metadata} (e.g. the step). */
    public static void save(Model model, Path file, Map<String, String> metadata) throws IOException {
        SafeTensors.write(file, named(model), metadata);
    }

    /**
     * Loads every parameter and buffer from {@code file} (converting precision if needed); returns the file's
     * metadata.
     */
    public static Map<String, String> load(Model model, Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        List<Runnable> copies = new ArrayList<>();
        for (var e : named(model).entrySet()) {
            Tensor target = e.getValue();
            StoredTensor stored = c.tensors().get(e.getKey());
            if (stored == null) {
                throw new IllegalArgumentException(file + " has no tensor '" + e.getKey() + "' for " + model.name()
                        + " (it holds " + c.tensors().keySet() + ")");
            }
            if (!Arrays.equals(stored.shape(), target.shape())) {
                throw new ShapeMismatchException(file + ": '" + e.getKey() + "' is "
                        + Arrays.toString(stored.shape()) + ", the model's " + Arrays.toString(target.shape()));
            }
            Tensor value = stored.toTensor(target.dtype());
            copies.add(() -> target.copyFrom(value));
        }
        copies.forEach(Runnable::run);
        return c.metadata();
    }

    /** The parameters' and the buffers' values by name, in the model's order. */
    private static Map<String, Tensor> named(Model model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), p.value());
        }
        for (Buffer b : model.buffers()) {
            tensors.put(b.name(), b.value());
        }
        return tensors;
    }
}
