package org.kfac4j.nn.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.io.StoredTensor;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A model's parameters in a safetensors file, under their {@code state_dict}-style names ({@code fc1.weight}); the
 * same layout PyTorch users save. Loading checks that every parameter is present with its shape before changing any
 * (a failed load leaves the model as it was).
 */
public final class ModelWeights {
    private ModelWeights() {
    }

    /** Saves every parameter atomically, with {@code metadata} (e.g. the step). */
    public static void save(Model model, Path file, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            tensors.put(p.name(), p.value());
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /** Loads every parameter from {@code file} (converting precision if needed); returns the file's metadata. */
    public static Map<String, String> load(Model model, Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<Parameter, Tensor> values = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            StoredTensor stored = c.tensors().get(p.name());
            if (stored == null) {
                throw new IllegalArgumentException(file + " has no tensor '" + p.name() + "' for " + model.name()
                        + " (it holds " + c.tensors().keySet() + ")");
            }
            if (!Arrays.equals(stored.shape(), p.value().shape())) {
                throw new ShapeMismatchException(file + ": '" + p.name() + "' is " + Arrays.toString(stored.shape())
                        + ", the model's parameter " + Arrays.toString(p.value().shape()));
            }
            values.put(p, stored.toTensor(p.value().dtype()));
        }
        values.forEach((p, v) -> p.value().copyFrom(v));
        return c.metadata();
    }
}
