package org.kfac4j.nn.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.layer.Buffer;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** A network: a root layer, its precision, and the K-FAC layers in it. */
public final class Model {
    private final String name;
    private final Layer root;
    private final DType dtype;
    private final List<Parameter> parameters;
    private final List<KfacLayer> kfacLayers;
    private final List<Buffer> buffers;

    public Model(String name, Layer root, DType dtype) {
        this.name = Objects.requireNonNull(name);
        this.root = Objects.requireNonNull(root);
        this.dtype = Objects.requireNonNull(dtype);
        this.parameters = distinct(root.parameters());
        List<KfacLayer> k = new ArrayList<>();
        List<Buffer> b = new ArrayList<>();
        Set<Layer> seen = identitySet();
        for (Layer l : root.layers()) {
            if (seen.add(l)) {
                b.addAll(l.buffers());
                if (l instanceof KfacLayer kl) {
                    k.add(kl);
                }
            }
        }
        this.kfacLayers = List.copyOf(k);
        this.buffers = List.copyOf(b);
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(name + ": two parameters are named " + p.name());
            }
        }
        for (Buffer x : buffers) {
            if (!names.add(x.name())) {
                throw new IllegalArgumentException(name + ": two parameters or buffers are named " + x.name());
            }
        }
    }

    public String name() {
        return name;
    }

    public Layer root() {
        return root;
    }

    public DType dtype() {
        return dtype;
    }

    /** Every trainable parameter once (a tied weight appears once), in a stable order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Every buffer (untrained state saved with the weights, e.g. BatchNorm's running statistics), in a stable order. */
    public List<Buffer> buffers() {
        return buffers;
    }

    /** The layers K-FAC can precondition, in the order they appear. */
    public List<KfacLayer> kfacLayers() {
        return kfacLayers;
    }

    /** The number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.value().size();
        }
        return n;
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /**
     * Runs the network; the result can backpropagate (several times) and holds the pass's captures. An input in the
     * other precision is converted to the model's.
     */
    public ForwardResult forward(Tensor input, Pass pass) {
        if (input.dtype() != dtype) {
            input = input.to(dtype);
        }
        return new ForwardResult(root.forward(input, pass), pass.captures());
    }

    private static List<Parameter> distinct(List<Parameter> all) {
        Set<Parameter> seen = identitySet();
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : all) {
            if (seen.add(p)) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /** A set comparing its elements by identity: layers and parameters are the same only when they are one object. */
    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    @Override
    public String toString() {
        return name + " (" + parameterCount() + " parameters, " + kfacLayers.size() + " K-FAC layers, " + dtype + ")";
    }
}
