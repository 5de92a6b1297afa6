package org.kfac4j.linalg.triangular;

/**
 * The element type of a blocked triangular algorithm: {@code float[]} or {@code double[]}. The level-3 work runs
 * on the {@code GemmEngine} of that type; the small diagonal blocks are copied into {@code double} scratch,
 * solved there, and rounded back, so the substitution loops are written once, in double.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public abstract sealed class Elements<A> permits Elements.F32, Elements.F64 {
    public static final Elements<float[]> FLOAT = new F32();
    public static final Elements<double[]> DOUBLE = new F64();

    private Elements() {
    }

    abstract A allocate(int length);

    abstract double get(A a, int index);

    abstract void set(A a, int index, double value);

    /** dst[dOff + i·ldd + j] = src[off + i·ld + j] for the rows × cols block. */
    abstract void load(A src, int off, int ld, int rows, int cols, double[] dst, int dOff, int ldd);

    /** The reverse of {@link #load}, rounding to the element type. */
    abstract void store(double[] src, int sOff, int lds, int rows, int cols, A dst, int off, int ld);

    /** dst[j·ldd + i] = src[off + i·ld + j] for the rows × cols block: {@link #load}, transposed. */
    abstract void loadTransposed(A src, int off, int ld, int rows, int cols, double[] dst, int ldd);

    /** The reverse of {@link #loadTransposed}: dst[off + i·ld + j] = src[j·lds + i], rounded. */
    abstract void storeTransposed(double[] src, int lds, int rows, int cols, A dst, int off, int ld);

    static final class F32 extends Elements<float[]> {
        @Override
        float[] allocate(int length) {
            return new float[length];
        }

        @Override
        double get(float[] a, int index) {
            return a[index];
        }

        @Override
        void set(float[] a, int index, double value) {
            a[index] = (float) value;
        }

        @Override
        void load(float[] src, int off, int ld, int rows, int cols, double[] dst, int dOff, int ldd) {
            for (int i = 0; i < rows; i++) {
                int s = off + i * ld, d = dOff + i * ldd;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] = src[s + j];
                }
            }
        }

        @Override
        void store(double[] src, int sOff, int lds, int rows, int cols, float[] dst, int off, int ld) {
            for (int i = 0; i < rows; i++) {
                int s = sOff + i * lds, d = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] = (float) src[s + j];
                }
            }
        }

        @Override
        void loadTransposed(float[] src, int off, int ld, int rows, int cols, double[] dst, int ldd) {
            for (int i = 0; i < rows; i++) {
                int s = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    dst[j * ldd + i] = src[s + j];
                }
            }
        }

        @Override
        void storeTransposed(double[] src, int lds, int rows, int cols, float[] dst, int off, int ld) {
            for (int i = 0; i < rows; i++) {
                int d = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] = (float) src[j * lds + i];
                }
            }
        }
    }

    static final class F64 extends Elements<double[]> {
        @Override
        double[] allocate(int length) {
            return new double[length];
        }

        @Override
        double get(double[] a, int index) {
            return a[index];
        }

        @Override
        void set(double[] a, int index, double value) {
            a[index] = value;
        }

        @Override
        void load(double[] src, int off, int ld, int rows, int cols, double[] dst, int dOff, int ldd) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, off + i * ld, dst, dOff + i * ldd, cols);
            }
        }

        @Override
        void store(double[] src, int sOff, int lds, int rows, int cols, double[] dst, int off, int ld) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, sOff + i * lds, dst, off + i * ld, cols);
            }
        }

        @Override
        void loadTransposed(double[] src, int off, int ld, int rows, int cols, double[] dst, int ldd) {
            for (int i = 0; i < rows; i++) {
                int s = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    dst[j * ldd + i] = src[s + j];
                }
            }
        }

        @Override
        void storeTransposed(double[] src, int lds, int rows, int cols, double[] dst, int off, int ld) {
            for (int i = 0; i < rows; i++) {
                int d = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    dst[d + j] = src[j * lds + i];
                }
            }
        }
    }
}
