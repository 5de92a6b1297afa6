package org.kfac4j.nn.tensor;

import java.util.Arrays;
import org.kfac4j.linalg.Linalg;

/**
 * A dense tensor: a shape and contiguous row-major storage of {@link DType#F32} ({@code float[]}) or
 * {@link DType#F64} ({@code double[]}) elements. The shape is fixed; the elements are mutable and may be shared
 * with other tensors ({@link #reshape} is a view). Layers read and write the arrays directly ({@link #f32()},
 * {@link #f64()}), and pass them to {@code simd-linalg} with no copy.
 *
 * <p>Images are stored channels-last, {@code N × H × W × C}, so that a convolution's output is already the
 * {@code N × R × C_out} matrix K-FAC reads (R = H·W positions).
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int size;
    private final float[] f;
    private final double[] d;

    private Tensor(DType dtype, int[] shape, float[] f, double[] d) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = sizeOf(shape);
        this.f = f;
        this.d = d;
        int length = f != null ? f.length : d.length;
        if (length != size) {
            throw new ShapeMismatchException("Tensor: shape " + Arrays.toString(shape) + " holds " + size
                    + " elements, the array has " + length);
        }
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, int... shape) {
        int[] s = shape.clone();
        int n = sizeOf(s);
        return dtype == DType.F32 ? new Tensor(dtype, s, new float[n], null) : new Tensor(dtype, s, null, new double[n]);
    }

    /** Wraps {@code data} (not copied) as a float32 tensor of the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(DType.F32, shape.clone(), data, null);
    }

    /** Wraps {@code data} (not copied) as a float64 tensor of the given shape. */
    public static Tensor wrap(double[] data, int... shape) {
        return new Tensor(DType.F64, shape.clone(), null, data);
    }

    /** A tensor of zeros with this one's dtype and the given shape. */
    public Tensor zeros(int... shape) {
        return zeros(dtype, shape);
    }

    /** A tensor of zeros with this one's dtype and shape. */
    public Tensor zerosLike() {
        return zeros(dtype, shape);
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The extent of dimension {@code axis}; negative axes count from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The product of all dimensions but the last: the number of rows when the tensor is read as a matrix. */
    public int rows() {
        return shape.length == 0 ? 1 : size / Math.max(1, shape[shape.length - 1]);
    }

    /** The float32 storage (shared, row-major). */
    public float[] f32() {
        if (f == null) {
            throw new ShapeMismatchException("f32(): this tensor is " + dtype);
        }
        return f;
    }

    /** The float64 storage (shared, row-major). */
    public double[] f64() {
        if (d == null) {
            throw new ShapeMismatchException("f64(): this tensor is " + dtype);
        }
        return d;
    }

    /** Element {@code i} of the row-major storage, as a double. */
    public double get(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets element {@code i} of the row-major storage (rounded to float for F32). */
    public void set(int i, double value) {
        if (f != null) {
            f[i] = (float) value;
        } else {
            d[i] = value;
        }
    }

    /** The element at a multi-index. */
    public double at(int... index) {
        return get(offset(index));
    }

    /** The row-major offset of a multi-index. */
    public int offset(int... index) {
        if (index.length != shape.length) {
            throw new ShapeMismatchException("index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Sets every element. */
    public Tensor fill(double value) {
        if (f != null) {
            Arrays.fill(f, (float) value);
        } else {
            Arrays.fill(d, value);
        }
        return this;
    }

    /** A view with another shape over the same elements; one dimension may be {@code -1} (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else if (s[i] < 0) {
                throw new ShapeMismatchException("reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ShapeMismatchException("reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
            }
            s[infer] = size / known;
        }
        if (sizeOf(s) != size) {
            throw new ShapeMismatchException("reshape " + Arrays.toString(shape) + " (" + size + " elements) to "
                    + Arrays.toString(newShape));
        }
        return new Tensor(dtype, s, f, d);
    }

    /** A copy with its own storage. */
    public Tensor copy() {
        return new Tensor(dtype, shape.clone(), f == null ? null : f.clone(), d == null ? null : d.clone());
    }

    /** This tensor in {@code target} precision: itself when it already is, else a converted copy. */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor out = zeros(target, shape);
        if (target == DType.F64) {
            for (int i = 0; i < size; i++) {
                out.d[i] = f[i];
            }
        } else {
            for (int i = 0; i < size; i++) {
                out.f[i] = (float) d[i];
            }
        }
        return out;
    }

    /** Copies {@code source}'s elements (same dtype and size) into this tensor. */
    public void copyFrom(Tensor source) {
        if (source.dtype != dtype || source.size != size) {
            throw new ShapeMismatchException("copyFrom: " + source.dtype + Arrays.toString(source.shape) + " into "
                    + dtype + Arrays.toString(shape));
        }
        if (f != null) {
            System.arraycopy(source.f, 0, f, 0, size);
        } else {
            System.arraycopy(source.d, 0, d, 0, size);
        }
    }

    /** A new tensor holding {@code this + other} elementwise (same dtype and shape). */
    public Tensor plus(Tensor other) {
        return plus(other, null);
    }

    /**
     * {@link #plus(Tensor)} split over {@code linalg}'s threads (serial when it is null): a residual block's sums are
     * whole activations, millions of elements.
     */
    public Tensor plus(Tensor other, Linalg linalg) {
        if (other.dtype != dtype || !Arrays.equals(other.shape, shape)) {
            throw new ShapeMismatchException("plus: " + this + " and " + other);
        }
        Tensor out = zerosLike();
        if (linalg == null) {
            addInto(other, out, 0, size);
        } else {
            linalg.parallelFor(size, ELEMENTS_PER_TASK, (from, to) -> addInto(other, out, from, to));
        }
        return out;
    }

    /**
     * Elements per task of a pass over a tensor split between threads (this class's, the activations', BatchNorm's):
     * enough to amortise handing a task out, few enough to balance two to eight threads.
     */
    public static final int ELEMENTS_PER_TASK = 1 << 15;

    private void addInto(Tensor other, Tensor out, int from, int to) {
        if (f != null) {
            for (int i = from; i < to; i++) {
                out.f[i] = f[i] + other.f[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                out.d[i] = d[i] + other.d[i];
            }
        }
    }

    /** Whether the shape equals {@code expected}. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /** The index of the first NaN or ±Inf element, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Tensor" + dtype + Arrays.toString(shape);
    }

    private static int sizeOf(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new ShapeMismatchException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new ShapeMismatchException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }
}
