package org.kfac4j.linalg.simd;

import org.kfac4j.linalg.kernel.Level1KernelF32;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.kernel.MicroKernelF32;
import org.kfac4j.linalg.kernel.MicroKernelF64;

/**
 * Entry point of the Vector API backend. Loaded by name, and only after the caller checked that the
 * {@code jdk.incubator.vector} module is present: nothing outside this package links against it.
 */
public final class VectorKernels {

    private VectorKernels() {
    }

    /** Vector width in bits that every kernel of this process uses. */
    public static int bits() {
        return VectorWidth.FLOAT.vectorBitSize();
    }

    public static MicroKernelF32 f32() {
        return new VectorMicroKernelF32();
    }

    public static MicroKernelF64 f64() {
        return new VectorMicroKernelF64();
    }

    public static Level1KernelF32 level1F32() {
        return new VectorLevel1KernelF32();
    }

    public static Level1KernelF64 level1F64() {
        return new VectorLevel1KernelF64();
    }
}
