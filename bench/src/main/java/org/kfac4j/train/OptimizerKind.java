package org.kfac4j.train;

import java.util.Arrays;
import java.util.List;
import org.kfac4j.kfac.Approximation;

/** The optimisers {@code train} and {@code compare} run, by their command-line names. */
public enum OptimizerKind {
    /** K-FAC with every layer's factors in the expand approximation (R treated as batch). */
    KFAC_EXPAND("kfac-expand"),
    /** K-FAC with every layer's factors in the reduce approximation (R aggregated first). */
    KFAC_REDUCE("kfac-reduce"),
    /** K-FAC-expand as a preconditioner in front of AdamW (which also updates the parameters K-FAC leaves alone). */
    KFAC_EXPAND_ADAMW("kfac-expand+adamw"),
    /** K-FAC-reduce as a preconditioner in front of AdamW. */
    KFAC_REDUCE_ADAMW("kfac-reduce+adamw"),
    /** SGD with Nesterov momentum. */
    SGD("sgd"),
    /** AdamW. */
    ADAMW("adamw");

    private final String cliName;

    OptimizerKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public boolean isKfac() {
        return this != SGD && this != ADAMW;
    }

    /** Whether a base optimiser (AdamW) takes the step after K-FAC preconditions the gradients. */
    public boolean hasBase() {
        return this == KFAC_EXPAND_ADAMW || this == KFAC_REDUCE_ADAMW;
    }

    /** The approximation of a K-FAC kind. */
    public Approximation approximation() {
        return switch (this) {
            case KFAC_EXPAND, KFAC_EXPAND_ADAMW -> Approximation.EXPAND;
            case KFAC_REDUCE, KFAC_REDUCE_ADAMW -> Approximation.REDUCE;
            default -> throw new IllegalStateException(cliName + " is not K-FAC");
        };
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(OptimizerKind::cliName).toList();
    }

    public static OptimizerKind parse(String name) {
        for (OptimizerKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "' (one of " + names() + ")");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
