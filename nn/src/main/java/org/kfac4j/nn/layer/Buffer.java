package org.kfac4j.nn.layer;

import java.util.Objects;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A layer's state that training changes but no optimiser updates, saved with the weights under its name (PyTorch's
 * buffers, e.g. {@code "bn1.running_mean"}). The value is the layer's own tensor, changed in place when loaded.
 */
public record Buffer(String name, Tensor value) {
    public Buffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
