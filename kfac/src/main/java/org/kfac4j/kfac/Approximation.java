package org.kfac4j.kfac;

/**
 * How a layer's Kronecker factors treat R, the dimension its weight is shared over (Eschenhagen et al., 2023;
 * definitions in {@code kfac-math.md}). Chosen per layer, independently of how many loss terms an example has.
 */
public enum Approximation {
    /**
     * K-FAC-expand: R treated like extra batch. {@code A = (1/(N·R)) Σ_{n,m} ã ãᵀ}, {@code G = (1/Z) Σ_{n,m,c} g gᵀ}:
     * exact for deep linear networks in the expand setting (a loss term per position).
     */
    EXPAND,
    /**
     * K-FAC-reduce: R aggregated first, inputs averaged and output gradients summed per example; its factor
     * accumulation works on N rows instead of N·R. Exact for deep linear networks in the reduce setting.
     */
    REDUCE;

    /** The lower-case name used in manifests and tables ({@code expand}, {@code reduce}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code expand} / {@code reduce} (any case). */
    public static Approximation parse(String label) {
        for (Approximation a : values()) {
            if (a.label().equalsIgnoreCase(label)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown approximation '" + label + "' (expected expand or reduce)");
    }
}
