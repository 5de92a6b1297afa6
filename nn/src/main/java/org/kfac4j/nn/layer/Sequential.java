package org.kfac4j.nn.layer;

import java.util.ArrayList;
import java.util.List;
import org.kfac4j.nn.tensor.Tensor;

/** Layers applied one after another; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final String name;
    private final List<Layer> children;

    public Sequential(String name, List<? extends Layer> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException(name + ": a Sequential needs at least one layer");
        }
        this.name = name;
        this.children = List.copyOf(children);
    }

    public Sequential(String name, Layer... children) {
        this(name, List.of(children));
    }

    @Override
    public String name() {
        return name;
    }

    /** The layers, in order. */
    public List<Layer> children() {
        return children;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        for (Layer l : children) {
            p.addAll(l.parameters());
        }
        return List.copyOf(p);
    }

    @Override
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>();
        all.add(this);
        for (Layer l : children) {
            all.addAll(l.layers());
        }
        return List.copyOf(all);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        Node[] nodes = new Node[children.size()];
        Tensor h = x;
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = children.get(i).forward(h, pass);
            h = nodes[i].output();
        }
        Tensor y = h;
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                Backward inner = new Backward(how.parameterGradients(), true);
                Tensor d = g;
                for (int i = nodes.length - 1; i >= 0; i--) {
                    d = nodes[i].backward(d, i == 0 ? how : inner);
                }
                return d;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (Sequential of " + children.size() + ")";
    }
}
