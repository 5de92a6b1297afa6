package org.kfac4j.nn.data;

import java.util.Arrays;
import java.util.Objects;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A labelled classification set held in memory: inputs {@code N × …} (images channels-last, {@code N × H × W × C})
 * and one class index per example.
 */
public record Dataset(String name, Tensor inputs, int[] labels, int classes) {
    public Dataset {
        Objects.requireNonNull(inputs);
        Objects.requireNonNull(labels);
        if (inputs.rank() < 1 || inputs.dim(0) != labels.length) {
            throw new ShapeMismatchException(name + ": " + inputs + " inputs but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + i + " is " + labels[i] + ", outside [0, "
                        + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** The shape of one example. */
    public int[] exampleShape() {
        int[] s = inputs.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** Examples {@code [from, to)}, copied, as a dataset of the same name and classes. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException(name + ": slice [" + from + ", " + to + ") of " + size() + " examples");
        }
        int[] shape = inputs.shape();
        int per = inputs.size() / Math.max(1, shape[0]);
        shape[0] = to - from;
        Tensor x = inputs.zeros(shape);
        if (x.dtype() == DType.F32) {
            System.arraycopy(inputs.f32(), from * per, x.f32(), 0, (to - from) * per);
        } else {
            System.arraycopy(inputs.f64(), from * per, x.f64(), 0, (to - from) * per);
        }
        return new Dataset(name, x, Arrays.copyOfRange(labels, from, to), classes);
    }
}
