package org.kfac4j.train;

import java.util.Objects;
import org.kfac4j.kfac.InverseStrategy;

/**
 * An optimiser as {@code train} and {@code compare} name it: a kind and, for K-FAC, the inverse strategy of every
 * layer, written {@code KIND@INVERSE} (e.g. {@code kfac-reduce@b-kfac}, {@code kfac-reduce@rs-kfac:128}); the plain
 * kind means the eigen inverse. The Brand variants fall back to eigen on the factors their updates do not apply to
 * (see {@link InverseStrategy#parse}).
 *
 * @param kind    the optimiser
 * @param inverse the inverse's name as given ({@code eigen} for the first-order kinds, where it is not used)
 */
public record OptimizerChoice(OptimizerKind kind, String inverse) {
    public OptimizerChoice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(inverse, "inverse");
        InverseStrategy.parse(inverse); // fails with the known names
        if (!kind.isKfac() && !inverse.equals("eigen")) {
            throw new IllegalArgumentException(kind + " has no K-FAC inverse to choose (got @" + inverse + ")");
        }
    }

    /** {@code kind} with the default (eigen) inverse. */
    public static OptimizerChoice of(OptimizerKind kind) {
        return new OptimizerChoice(kind, "eigen");
    }

    /** Parses {@code KIND} or {@code KIND@INVERSE}. */
    public static OptimizerChoice parse(String name) {
        int at = name.indexOf('@');
        return at < 0 ? of(OptimizerKind.parse(name))
                : new OptimizerChoice(OptimizerKind.parse(name.substring(0, at)), name.substring(at + 1));
    }

    /** The inverse strategy K-FAC kinds are built with. */
    public InverseStrategy strategy() {
        return InverseStrategy.parse(inverse);
    }

    /** The values this optimiser uses with {@code h}, for tables and logs (the inverse too, for K-FAC). */
    public String describe(Hyperparameters h) {
        return h.describe(kind) + (kind.isKfac() ? ", inverse " + strategy().label() : "");
    }

    /** The name as given on the command line (the kind alone for eigen). */
    public String cliName() {
        return inverse.equals("eigen") ? kind.cliName() : kind.cliName() + "@" + inverse;
    }

    @Override
    public String toString() {
        return cliName();
    }
}
