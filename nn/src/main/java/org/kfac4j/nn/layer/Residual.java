package org.kfac4j.nn.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/** {@code y = main(x) + shortcut(x)}, the shortcut being the identity or a layer (a 1×1 convolution, a projection). */
public final class Residual implements Layer {
    private final String name;
    private final Layer main;
    private final Layer shortcut;

    /** @param shortcut the shortcut layer, or {@code null} for the identity */
    public Residual(String name, Layer main, Layer shortcut) {
        this.name = name;
        this.main = main;
        this.shortcut = shortcut;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>(main.parameters());
        if (shortcut != null) {
            p.addAll(shortcut.parameters());
        }
        return List.copyOf(p);
    }

    @Override
    public List<Layer> layers() {
        List<Layer> all = new ArrayList<>();
        all.add(this);
        all.addAll(main.layers());
        if (shortcut != null) {
            all.addAll(shortcut.layers());
        }
        return List.copyOf(all);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        Node m = main.forward(x, pass);
        Node s = shortcut == null ? null : shortcut.forward(x, pass);
        Tensor side = s == null ? x : s.output();
        if (!m.output().hasShape(side.shape())) {
            throw new ShapeMismatchException(this + ": the main branch gives " + Arrays.toString(m.output().shape())
                    + ", the shortcut " + Arrays.toString(side.shape()));
        }
        Tensor y = m.output().plus(side, pass.linalg());
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                Tensor dMain = m.backward(g, how);
                Tensor dSide = s == null ? g : s.backward(g, how);
                if (!how.inputGradient()) {
                    return null;
                }
                return dMain.plus(dSide, pass.linalg());
            }
        };
    }

    @Override
    public String toString() {
        return name + " (Residual" + (shortcut == null ? "" : ", shortcut " + shortcut.name()) + ")";
    }
}
