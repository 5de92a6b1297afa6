package org.kfac4j.nn.layer;

import java.util.Objects;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;

/**
 * A forward pass's context: the linear-algebra engine, training or evaluation mode (batch norm, dropout), and where
 * K-FAC layers record their inputs and output gradients ({@link Captures#NONE} for none).
 */
public record Pass(Linalg linalg, boolean training, Captures captures) {
    public Pass {
        Objects.requireNonNull(linalg, "linalg");
        Objects.requireNonNull(captures, "captures");
    }

    /** A training pass on the shared engine, capturing into {@code captures}. */
    public static Pass training(Captures captures) {
        return new Pass(Linalg.shared(), true, captures);
    }

    /** An evaluation pass on the shared engine, capturing nothing. */
    public static Pass evaluation() {
        return new Pass(Linalg.shared(), false, Captures.NONE);
    }
}
