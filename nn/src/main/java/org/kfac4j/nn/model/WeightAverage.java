package org.kfac4j.nn.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.nn.io.CorruptFileException;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.io.StoredTensor;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Stochastic weight averaging (Izmailov et al., 2018; PyTorch's {@code AveragedModel}): the running mean of a
 * model's parameters over snapshots taken during training, θ̄ₖ = θ̄ₖ₋₁ + (θₖ − θ̄ₖ₋₁)/k, kept in float64 whatever the
 * model's precision. Buffers are not averaged: after {@link #writeInto()} the BatchNorm statistics belong to other
 * weights and are recomputed with {@link BatchNormRecount}.
 */
public final class WeightAverage {
    private static final String COUNT = "snapshots";

    private final Model model;
    private final List<double[]> mean = new ArrayList<>();
    private long count;

    /** An empty average of {@code model}'s parameters. */
    public WeightAverage(Model model) {
        this.model = model;
        for (Parameter p : model.parameters()) {
            mean.add(new double[p.value().size()]);
        }
    }

    /** Adds the model's current parameters as one more snapshot. */
    public void add() {
        count++;
        List<Parameter> params = model.parameters();
        for (int k = 0; k < params.size(); k++) {
            Tensor v = params.get(k).value();
            double[] m = mean.get(k);
            for (int i = 0; i < m.length; i++) {
                m[i] += (v.get(i) - m[i]) / count;
            }
        }
    }

    /** The snapshots averaged so far. */
    public long count() {
        return count;
    }

    /** Overwrites the model's parameters with the average (rounded to the model's precision). */
    public void writeInto() {
        if (count == 0) {
            throw new IllegalStateException("no snapshot of " + model.name() + " was averaged yet");
        }
        List<Parameter> params = model.parameters();
        for (int k = 0; k < params.size(); k++) {
            Tensor v = params.get(k).value();
            v.copyFrom(Tensor.wrap(mean.get(k), v.shape()).to(v.dtype())); // copyFrom copies: the average is only read
        }
    }

    /** Saves the average and its snapshot count (a checkpoint's part), atomically. */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<Parameter> params = model.parameters();
        for (int k = 0; k < params.size(); k++) {
            tensors.put(params.get(k).name(), Tensor.wrap(mean.get(k), params.get(k).value().shape()));
        }
        SafeTensors.write(file, tensors, Map.of(COUNT, Long.toString(count)));
    }

    /** Replaces this average by the one {@link #save saved} in {@code file}, checking every name and shape first. */
    public void restore(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        long n;
        try {
            n = Long.parseLong(c.metadata().getOrDefault(COUNT, ""));
        } catch (NumberFormatException e) {
            throw new CorruptFileException(file, 0, "no snapshot count in its metadata: not a weight average");
        }
        List<Parameter> params = model.parameters();
        List<Tensor> values = new ArrayList<>();
        for (Parameter p : params) {
            StoredTensor s = c.tensors().get(p.name());
            if (s == null || !Arrays.equals(s.shape(), p.value().shape())) {
                throw new IllegalArgumentException(file + " holds no average of " + model.name() + "'s '" + p.name()
                        + "' " + Arrays.toString(p.value().shape()) + (s == null ? "" : " (it is "
                        + Arrays.toString(s.shape()) + ")"));
            }
            values.add(s.toTensor(DType.F64));
        }
        for (int k = 0; k < params.size(); k++) {
            System.arraycopy(values.get(k).f64(), 0, mean.get(k), 0, mean.get(k).length);
        }
        count = n;
    }
}
