package org.kfac4j.nn.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One tensor of a safetensors file as stored: its dtype name ({@code "F32"}, {@code "BF16"}, {@code "I64"}, …), its
 * shape and its little-endian bytes. Converts to a {@link Tensor} (F16 and BF16 are widened exactly, integers up to
 * 2^53 are exact) or to integer labels.
 */
public record StoredTensor(String dtype, int[] shape, byte[] data) {
    /** Bytes per element of a safetensors dtype, or -1 for a dtype this reader does not know. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /** The number of elements. */
    public long size() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Element i widened to a double. */
    public double value(int i) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case "F64" -> b.getDouble(8 * i);
            case "F32" -> b.getFloat(4 * i);
            case "F16" -> Float.float16ToFloat(b.getShort(2 * i));
            case "BF16" -> Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
            case "I64" -> b.getLong(8 * i);
            case "U64" -> unsigned(b.getLong(8 * i));
            case "I32" -> b.getInt(4 * i);
            case "U32" -> b.getInt(4 * i) & 0xFFFFFFFFL;
            case "I16" -> b.getShort(2 * i);
            case "U16" -> b.getShort(2 * i) & 0xFFFF;
            case "I8" -> b.get(i);
            case "U8" -> b.get(i) & 0xFF;
            case "BOOL" -> b.get(i) != 0 ? 1 : 0;
            default -> throw new IllegalStateException("unknown dtype " + dtype);
        };
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** The values as a tensor of the given precision (a 0-d tensor keeps its empty shape). */
    public Tensor toTensor(DType target) {
        Tensor t = Tensor.zeros(target, shape);
        if (target == DType.F32 && dtype.equals("F32")) {
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(t.f32());
        } else if (target == DType.F64 && dtype.equals("F64")) {
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(t.f64());
        } else {
            for (int i = 0; i < t.size(); i++) {
                t.set(i, value(i));
            }
        }
        return t;
    }

    /** Integer values (class labels) as ints; an error for floating dtypes or values outside the int range. */
    public int[] toInts(String name) {
        if (dtype.startsWith("F") || dtype.equals("BF16")) {
            throw new IllegalArgumentException(name + " holds " + dtype + " values, integers were expected");
        }
        int[] out = new int[(int) size()];
        for (int i = 0; i < out.length; i++) {
            double v = value(i);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + v + " does not fit an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
