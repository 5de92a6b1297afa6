package org.kfac4j.train;

import java.util.List;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.DType;

/** The models {@code train} and {@code compare} run: nn's bench models, by name, in float32. */
public final class ModelChoice {
    public static final List<String> NAMES = List.of("mlp", "cnn", "vit", "gcn");

    private ModelChoice() {
    }

    /** Model {@code name} with weights drawn from {@code seed}, for {@code classes} classes. */
    public static Model build(String name, long seed, int classes) {
        Model m = switch (name) {
            case "mlp" -> org.kfac4j.nn.model.Models.mlp(DType.F32, seed);
            case "cnn" -> org.kfac4j.nn.model.Models.cnn(DType.F32, seed);
            case "vit" -> org.kfac4j.nn.model.Models.vit(DType.F32, seed);
            case "gcn" -> org.kfac4j.nn.model.Models.gcn(DType.F32, seed, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (one of " + NAMES + ")");
        };
        if (!name.equals("gcn") && classes != 10) {
            throw new IllegalArgumentException("model " + name + " has 10 outputs, the data " + classes + " classes");
        }
        return m;
    }
}
