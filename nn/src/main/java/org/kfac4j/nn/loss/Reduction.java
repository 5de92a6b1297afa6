package org.kfac4j.nn.loss;

/** How a loss combines its terms: {@code L = (1/Z) Σ_t ℓ_t} with Z the number of terms (MEAN) or 1 (SUM). */
public enum Reduction {
    MEAN,
    SUM;

    /** Z for {@code terms} loss terms. */
    public double normaliser(int terms) {
        return this == MEAN ? Math.max(1, terms) : 1;
    }
}
