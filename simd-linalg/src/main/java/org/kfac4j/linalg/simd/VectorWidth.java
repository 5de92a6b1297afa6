package org.kfac4j.linalg.simd;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel of this process uses, fixed once from {@code -Dkfac4j.simd.bits}
 * (128, 256 or 512; absent = the hardware's preferred width). Held in static finals so that C2 sees a
 * constant species and intrinsifies every operation on it.
 */
final class VectorWidth {
    static final String BITS_PROPERTY = "kfac4j.simd.bits";

    private static final VectorShape SHAPE = shape();
    static final VectorSpecies<Float> FLOAT = VectorSpecies.of(float.class, SHAPE);
    static final VectorSpecies<Double> DOUBLE = VectorSpecies.of(double.class, SHAPE);

    private VectorWidth() {
    }

    private static VectorShape shape() {
        VectorShape preferred = VectorShape.preferredShape();
        String requested = System.getProperty(BITS_PROPERTY, "").trim();
        if (requested.isEmpty() || requested.equals("auto")) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(requested);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("-D" + BITS_PROPERTY + "=" + requested
                    + " is not a vector width: use 128, 256, 512 or auto");
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalStateException("-D" + BITS_PROPERTY + "=" + bits
                    + " is not supported: use 128, 256, 512 or auto");
        }
        if (bits > preferred.vectorBitSize()) {
            // A species wider than the hardware's is emulated in Java objects, 20-100x slower.
            throw new IllegalStateException("-D" + BITS_PROPERTY + "=" + bits + " exceeds this CPU's widest "
                    + "vectors (" + preferred.vectorBitSize() + " bits, see -XX:MaxVectorSize)");
        }
        return VectorShape.forBitSize(bits);
    }
}
