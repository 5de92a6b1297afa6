package org.kfac4j.nn.tensor;

/** The element type of a {@link Tensor}: float32 by default, float64 end to end where verification needs it. */
public enum DType {
    F32(4, "F32"),
    F64(8, "F64");

    private final int bytes;
    private final String safetensorsName;

    DType(int bytes, String safetensorsName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype's name in a safetensors header ({@code "F32"}, {@code "F64"}). */
    public String safetensorsName() {
        return safetensorsName;
    }
}
