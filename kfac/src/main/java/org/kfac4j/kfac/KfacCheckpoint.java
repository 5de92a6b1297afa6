package org.kfac4j.kfac;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.io.StoredTensor;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A {@link Kfac} optimiser's state as one safetensors file: per layer its factors ({@code LAYER.A}, {@code LAYER.G})
 * and inverse ({@code LAYER.inverse.*}), per parameter its momentum buffer ({@code PARAM.momentum}); the metadata
 * carries the step count, each layer's approximation and refresh count, and the options that decide the trajectory
 * (a restore with other options is refused). The model's weights are saved apart ({@code ModelWeights}), as PyTorch
 * keeps model and optimiser state apart.
 */
final class KfacCheckpoint {
    static final String FORMAT = "kfac4j-kfac-checkpoint/1";

    private KfacCheckpoint() {
    }

    static void write(Path file, Kfac<?> kfac) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("steps", Long.toString(kfac.steps()));
        meta.put("weight_decay", Double.toString(kfac.weightDecay()));
        meta.put("options", kfac.options().describe());
        for (PreconditionedLayer l : kfac.preconditionedLayers()) {
            if (!l.initialised()) {
                continue;
            }
            String name = l.layer.name();
            KroneckerFactors f = l.factors();
            meta.put(name + ".approximation", f.approximation().label());
            meta.put(name + ".factor_updates", Long.toString(f.updates()));
            tensors.put(name + ".A", f.a());
            tensors.put(name + ".G", f.g());
            if (l.inverse().hasState()) {
                l.inverse().state().forEach((k, v) -> tensors.put(name + ".inverse." + k, v));
            }
        }
        Tensor[] momentum = kfac.momentumBuffers();
        for (int p = 0; p < momentum.length; p++) {
            if (momentum[p] != null) {
                tensors.put(kfac.parameters().get(p).name() + ".momentum", momentum[p]);
            }
        }
        SafeTensors.write(file, tensors, meta);
    }

    static void read(Path file, Kfac<?> kfac) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + " is not a K-FAC checkpoint (format " + meta.get("format")
                    + ", expected " + FORMAT + ")");
        }
        String options = kfac.options().describe();
        if (!options.equals(meta.get("options"))) {
            throw new IllegalArgumentException(file + " was taken with other options: " + meta.get("options")
                    + "; this optimiser has " + options);
        }
        var dtype = kfac.model().dtype();
        for (PreconditionedLayer l : kfac.preconditionedLayers()) {
            String name = l.layer.name();
            String approximation = meta.get(name + ".approximation");
            if (approximation == null) {
                continue;
            }
            Approximation a = Approximation.parse(approximation);
            if (!l.initialised()) {
                l.initialise(a, kfac.linalg(), dtype, kfac.options().seed());
            } else if (l.factors().approximation() != a) {
                throw new IllegalArgumentException(name + ": checkpoint has " + a + ", this optimiser " + l.factors()
                        .approximation());
            }
            l.factors().a().copyFrom(tensor(contents, name + ".A", l.factors().a()));
            l.factors().g().copyFrom(tensor(contents, name + ".G", l.factors().g()));
            l.factors().restoreUpdates(Long.parseLong(meta.get(name + ".factor_updates")));
            Map<String, Tensor> inverse = new LinkedHashMap<>();
            String prefix = name + ".inverse.";
            for (Map.Entry<String, StoredTensor> e : contents.tensors().entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    // read losslessly (F32 and F64 both fit in F64); restore converts to each tensor's own type
                    inverse.put(e.getKey().substring(prefix.length()), e.getValue().toTensor(DType.F64));
                }
            }
            if (!inverse.isEmpty()) {
                l.inverse().restore(inverse);
            }
        }
        Tensor[] momentum = kfac.momentumBuffers();
        for (int p = 0; p < momentum.length; p++) {
            Tensor theta = kfac.parameters().get(p).value();
            String key = kfac.parameters().get(p).name() + ".momentum";
            momentum[p] = contents.tensors().containsKey(key) ? tensor(contents, key, theta).copy() : null;
        }
        kfac.restoreSteps(Long.parseLong(meta.get("steps")));
        if (meta.containsKey("weight_decay")) { // absent from checkpoints of before the weight decay could change
            kfac.weightDecay(Double.parseDouble(meta.get("weight_decay")));
        }
    }

    private static Tensor tensor(SafeTensors.Contents contents, String name, Tensor like) {
        Tensor t = contents.get(name).toTensor(like.dtype());
        if (!t.hasShape(like.shape())) {
            throw new IllegalArgumentException("checkpoint tensor '" + name + "' is " + t + ", expected " + like);
        }
        return t;
    }
}
