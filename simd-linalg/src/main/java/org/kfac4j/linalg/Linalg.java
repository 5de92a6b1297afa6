package org.kfac4j.linalg;

import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;
import org.kfac4j.linalg.triangular.Elements;
import org.kfac4j.linalg.triangular.TriangularSolve;

/**
 * Level-3 BLAS on row-major {@code float[]} / {@code double[]} arrays with offsets and leading dimensions,
 * computed by packed, register-blocked Vector API kernels on a team of threads.
 *
 * <p>Every method validates its arguments once (an {@link IllegalArgumentException} names the bad one) and
 * then runs unchecked kernels. Semantics follow the reference BLAS: with β = 0, C is not read (NaN or Inf in
 * C does not survive); with α = 0 or k = 0, A and B are not read. NaN and Inf in the operands propagate.
 * Results are bitwise identical for every thread count.
 *
 * <p>An instance owns its worker threads: {@link #close()} it when done, or use the process-wide
 * {@link #shared()} instance. Instances are safe to call from several threads at once.
 */
public final class Linalg implements AutoCloseable {
    private final LinalgConfig config;
    private final ThreadTeam team;
    private final GemmEngine<float[]> f32;
    private final GemmEngine<double[]> f64;
    private final TriangularSolve<float[]> trsmF32;
    private final TriangularSolve<double[]> trsmF64;

    private Linalg(LinalgConfig config) {
        this.config = config;
        this.team = new ThreadTeam(config.threads());
        this.f32 = GemmEngine.f32(config.backend().f32(), config.blockingF32(), team, config.minParallelFlops());
        this.f64 = GemmEngine.f64(config.backend().f64(), config.blockingF64(), team, config.minParallelFlops());
        Level1KernelF64 l1 = config.backend().level1F64();
        this.trsmF32 = new TriangularSolve<>(Elements.FLOAT, f32, l1, team);
        this.trsmF64 = new TriangularSolve<>(Elements.DOUBLE, f64, l1, team);
    }

    /** A new instance with its own threads. */
    public static Linalg create(LinalgConfig config) {
        Arguments.notNull(config, "config");
        return new Linalg(config);
    }

    /** The process-wide instance: {@link LinalgConfig#defaults()}; never closed. */
    public static Linalg shared() {
        return Shared.INSTANCE;
    }

    public LinalgConfig config() {
        return config;
    }

    GemmEngine<float[]> gemmF32() {
        return f32;
    }

    GemmEngine<double[]> gemmF64() {
        return f64;
    }

    ThreadTeam team() {
        return team;
    }

    TriangularSolve<float[]> trsmF32() {
        return trsmF32;
    }

    TriangularSolve<double[]> trsmF64() {
        return trsmF64;
    }

    // ---------------------------------------------------------------------------------------------- GEMM

    /**
     * C ← α·op(A)·op(B) + β·C in single precision, op(A) m×k, op(B) k×n, C m×n, all row-major: element (i, j)
     * of C is {@code c[cOff + i·ldc + j]}; A is stored m×k (or k×m when {@code transA} is {@link Transpose#T}).
     */
    public void sgemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Arguments.notNull(a, "A");
        Arguments.notNull(b, "B");
        Arguments.notNull(c, "C");
        checkGemm(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        f32.gemm(transA.transposed(), transB.transposed(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    /** Double-precision {@link #sgemm}. */
    public void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double beta, double[] c, int cOff, int ldc) {
        Arguments.notNull(a, "A");
        Arguments.notNull(b, "B");
        Arguments.notNull(c, "C");
        checkGemm(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        f64.gemm(transA.transposed(), transB.transposed(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    // ---------------------------------------------------------------------------------------------- SYRK

    /**
     * Symmetric rank-k update in single precision: C ← α·AᵀA + β·C with A stored k×n ({@code trans} = T,
     * the K-FAC factor form), or C ← α·A·Aᵀ + β·C with A stored n×k ({@code trans} = N). Only the lower
     * triangle of C is read; on return all of C holds the symmetric result.
     */
    public void ssyrk(Transpose trans, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float beta, float[] c, int cOff, int ldc) {
        Arguments.notNull(a, "A");
        Arguments.notNull(c, "C");
        checkSyrk(trans, n, k, a.length, aOff, lda, c.length, cOff, ldc);
        f32.syrk(trans.transposed(), n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    }

    /** Double-precision {@link #ssyrk}. */
    public void dsyrk(Transpose trans, int n, int k, double alpha, double[] a, int aOff, int lda,
                      double beta, double[] c, int cOff, int ldc) {
        Arguments.notNull(a, "A");
        Arguments.notNull(c, "C");
        checkSyrk(trans, n, k, a.length, aOff, lda, c.length, cOff, ldc);
        f64.syrk(trans.transposed(), n, k, alpha, a, aOff, lda, beta, c, cOff, ldc);
    }

    /**
     * The K-FAC factor moving average, fused into one SYRK pass: C ← ρ·C + (1 − ρ)·s·op(A)ᵀop(A), where
     * op(A)ᵀop(A) is AᵀA for {@code trans} = T (A stored k×n: k rows of activations or gradients) and A·Aᵀ for
     * {@code trans} = N. ρ = 0 overwrites C without reading it.
     *
     * @param rho   decay ρ in [0, 1]
     * @param scale s, typically 1/(rows of A) or the approximation's scaling; finite
     */
    public void ssyrkMovingAverage(Transpose trans, int n, int k, float rho, float scale,
                                   float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        Arguments.unitInterval(rho, "rho");
        Arguments.finite(scale, "scale");
        ssyrk(trans, n, k, (1 - rho) * scale, a, aOff, lda, rho, c, cOff, ldc);
    }

    /** Double-precision {@link #ssyrkMovingAverage}. */
    public void dsyrkMovingAverage(Transpose trans, int n, int k, double rho, double scale,
                                   double[] a, int aOff, int lda, double[] c, int cOff, int ldc) {
        Arguments.unitInterval(rho, "rho");
        Arguments.finite(scale, "scale");
        dsyrk(trans, n, k, (1 - rho) * scale, a, aOff, lda, rho, c, cOff, ldc);
    }

    // ---------------------------------------------------------------------------------------------- TRSM

    /**
     * Triangular solve with many right-hand sides in single precision: X ← α·op(L)⁻¹·B ({@link Side#LEFT}, B m×n,
     * L m×m) or X ← α·B·op(L)⁻¹ ({@link Side#RIGHT}, L n×n), X written over B. L is lower triangular: only its
     * lower triangle is read, and its diagonal must be non-zero. Recursive: all flops but those of the small
     * diagonal triangles run on the GEMM kernels.
     *
     * @throws IllegalArgumentException for bad shapes, or a zero or non-finite diagonal element of L (singular)
     */
    public void strsm(Side side, Transpose transL, int m, int n, float alpha, float[] l, int lOff, int ldl,
                      float[] b, int bOff, int ldb) {
        Arguments.notNull(l, "L");
        Arguments.notNull(b, "B");
        int order = checkTrsm(side, transL, m, n, l.length, lOff, ldl, b.length, bOff, ldb);
        for (int i = 0; i < order; i++) {
            Arguments.nonSingularDiagonal(l[lOff + i * ldl + i], i, "L");
        }
        trsmF32.solve(side == Side.LEFT, transL.transposed(), m, n, alpha, l, lOff, ldl, b, bOff, ldb);
    }

    /** Double-precision {@link #strsm}. */
    public void dtrsm(Side side, Transpose transL, int m, int n, double alpha, double[] l, int lOff, int ldl,
                      double[] b, int bOff, int ldb) {
        Arguments.notNull(l, "L");
        Arguments.notNull(b, "B");
        int order = checkTrsm(side, transL, m, n, l.length, lOff, ldl, b.length, bOff, ldb);
        for (int i = 0; i < order; i++) {
            Arguments.nonSingularDiagonal(l[lOff + i * ldl + i], i, "L");
        }
        trsmF64.solve(side == Side.LEFT, transL.transposed(), m, n, alpha, l, lOff, ldl, b, bOff, ldb);
    }

    // ---------------------------------------------------------------------------------------------- convolution

    /**
     * The "valid" 2-D cross-correlation with stride s of channels-last images, added to Y, in single precision:
     * <pre>
     * Y[img, h, w, o] += Σ_{i &lt; kh, j &lt; kw, c &lt; cin} X[img, s·h + i, s·w + j, c] · F[o, (i·kw + j)·cin + c]
     * </pre>
     * X holds {@code images × height × width × cin} values from {@code xOff}, Y {@code images × ho × wo × cout} from
     * {@code yOff} with ho = (height − kh) / s + 1 and wo = (width − kw) / s + 1, F {@code cout} rows of kh·kw·cin (tap-major: kernel row, kernel
     * column, then channel) from {@code fOff}; all contiguous. Zero padding is the caller's: pad X first. This is a
     * convolution layer's forward pass, and, with the kernel flipped and the channels swapped, its input gradient;
     * it computes the GEMM of explicit im2col without building the column matrix (rows of X are read in place).
     */
    public void scorrelate2d(int images, int height, int width, int cin, int kh, int kw, int stride, int cout,
                             float[] x, int xOff, float[] f, int fOff, float[] y, int yOff) {
        Arguments.notNull(x, "X");
        Arguments.notNull(f, "F");
        Arguments.notNull(y, "Y");
        if (checkCorrelation(images, height, width, cin, kh, kw, stride, cout, x.length, xOff, f.length, fOff,
                y.length, yOff)) {
            f32.correlate(images, height, width, cin, kh, kw, stride, cout, x, xOff, f, fOff, y, yOff);
        }
    }

    /** Double-precision {@link #scorrelate2d}. */
    public void dcorrelate2d(int images, int height, int width, int cin, int kh, int kw, int stride, int cout,
                             double[] x, int xOff, double[] f, int fOff, double[] y, int yOff) {
        Arguments.notNull(x, "X");
        Arguments.notNull(f, "F");
        Arguments.notNull(y, "Y");
        if (checkCorrelation(images, height, width, cin, kh, kw, stride, cout, x.length, xOff, f.length, fOff,
                y.length, yOff)) {
            f64.correlate(images, height, width, cin, kh, kw, stride, cout, x, xOff, f, fOff, y, yOff);
        }
    }

    // ---------------------------------------------------------------------------------------------- checks

    /** Checks a trsm call and returns the order of L. */
    private static int checkTrsm(Side side, Transpose transL, int m, int n, int lLength, int lOff, int ldl,
                                 int bLength, int bOff, int ldb) {
        Arguments.notNull(side, "side");
        Arguments.notNull(transL, "transL");
        Arguments.nonNegative(m, "m");
        Arguments.nonNegative(n, "n");
        int order = side == Side.LEFT ? m : n;
        String problem = Arguments.matrixProblem("L", lLength, lOff, order, order, ldl);
        if (problem == null) {
            problem = Arguments.matrixProblem("B", bLength, bOff, m, n, ldb);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (m = " + m + ", n = " + n + ", side = " + side + ")");
        }
        return order;
    }

    private static void checkGemm(Transpose transA, Transpose transB, int m, int n, int k,
                                  int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                                  int cLength, int cOff, int ldc) {
        Arguments.notNull(transA, "transA");
        Arguments.notNull(transB, "transB");
        Arguments.nonNegative(m, "m");
        Arguments.nonNegative(n, "n");
        Arguments.nonNegative(k, "k");
        String problem = Arguments.matrixProblem("A", aLength, aOff, transA.transposed() ? k : m,
                transA.transposed() ? m : k, lda);
        if (problem == null) {
            problem = Arguments.matrixProblem("B", bLength, bOff, transB.transposed() ? n : k,
                    transB.transposed() ? k : n, ldb);
        }
        if (problem == null) {
            problem = Arguments.matrixProblem("C", cLength, cOff, m, n, ldc);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (m = " + m + ", n = " + n + ", k = " + k
                    + ", transA = " + transA + ", transB = " + transB + ")");
        }
    }

    /** Checks a correlation call; whether there is anything to compute. */
    private static boolean checkCorrelation(int images, int height, int width, int cin, int kh, int kw, int stride,
                                            int cout, int xLength, int xOff, int fLength, int fOff, int yLength,
                                            int yOff) {
        Arguments.nonNegative(images, "images");
        Arguments.nonNegative(cout, "cout");
        String shape = " (images = " + images + ", " + height + "x" + width + "x" + cin + " input, " + kh + "x" + kw
                + " kernel, stride " + stride + ", cout = " + cout + ")";
        if (height < 1 || width < 1 || cin < 1 || kh < 1 || kw < 1 || stride < 1) {
            throw new IllegalArgumentException("height, width, cin, kh, kw and stride must be >= 1" + shape);
        }
        if (kh > height || kw > width) {
            throw new IllegalArgumentException("the kernel is larger than the input" + shape);
        }
        long pixelsIn = (long) height * width;
        long pixelsOut = (long) ((height - kh) / stride + 1) * ((width - kw) / stride + 1);
        long depth = (long) kh * kw * cin;
        if ((long) images * pixelsIn * cin > Integer.MAX_VALUE || (long) images * pixelsOut * cout > Integer.MAX_VALUE
                || depth * cout > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an operand has more than 2^31 - 1 elements" + shape);
        }
        String problem = Arguments.matrixProblem("X", xLength, xOff, images, (int) (pixelsIn * cin),
                (int) (pixelsIn * cin));
        if (problem == null) {
            problem = Arguments.matrixProblem("F", fLength, fOff, cout, (int) depth, (int) depth);
        }
        if (problem == null) {
            problem = Arguments.matrixProblem("Y", yLength, yOff, images, (int) (pixelsOut * cout),
                    (int) (pixelsOut * cout));
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + shape);
        }
        return images > 0 && cout > 0;
    }

    private static void checkSyrk(Transpose trans, int n, int k, int aLength, int aOff, int lda,
                                  int cLength, int cOff, int ldc) {
        Arguments.notNull(trans, "trans");
        Arguments.nonNegative(n, "n");
        Arguments.nonNegative(k, "k");
        String problem = Arguments.matrixProblem("A", aLength, aOff, trans.transposed() ? k : n,
                trans.transposed() ? n : k, lda);
        if (problem == null) {
            problem = Arguments.matrixProblem("C", cLength, cOff, n, n, ldc);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem + " (n = " + n + ", k = " + k + ", trans = " + trans + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------- rows

    /** y[i] ← y[i] + α·x[i] for i in [0, n) (BLAS saxpy, unit strides). Runs on the calling thread. */
    public void saxpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkRows("saxpy", 1, n, x.length, xOff, n, y.length, yOff);
        config.backend().level1F32().axpy(n, alpha, x, xOff, y, yOff);
    }

    /** Double-precision {@link #saxpy}. */
    public void daxpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkRows("daxpy", 1, n, x.length, xOff, n, y.length, yOff);
        config.backend().level1F64().axpy(n, alpha, x, xOff, y, yOff);
    }

    /**
     * The sum of a block of rows, added to a vector: y[i] ← y[i] + Σ_r x[xOff + r·ldx + i] for r in [0, rows) and
     * i in [0, n), each y[i] summed in row order (the same bits on every backend and thread count). The per-example
     * sums of K-FAC-reduce and of pooling layers. Runs on the calling thread.
     */
    public void saddRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkRows("saddRows", rows, n, x.length, xOff, ldx, y.length, yOff);
        config.backend().level1F32().addRows(rows, n, x, xOff, ldx, y, yOff);
    }

    /**
     * Copies a block of rows: y[yOff + r·ldy + i] ← x[xOff + r·ldx + i] for r in [0, rows) and i in [0, n). The
     * source rows may overlap (any ldx ≥ 0, e.g. the sliding windows of an image row that im2col gathers: ldx = the
     * stride times the channels, n = the kernel's width times the channels); the destination rows may not (ldy ≥ n),
     * and x and y must be different arrays. Runs on the calling thread, a {@link System#arraycopy} per row (vector
     * moves were no faster for the 96–384 values of im2col's rows: {@code CopyRowsBench} in bench/README.md).
     */
    public void scopyRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkCopyRows("scopyRows", rows, n, x == y, x.length, xOff, ldx, y.length, yOff, ldy);
        copyRows(rows, n, x, xOff, ldx, y, yOff, ldy);
    }

    /** Double-precision {@link #scopyRows}. */
    public void dcopyRows(int rows, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkCopyRows("dcopyRows", rows, n, x == y, x.length, xOff, ldx, y.length, yOff, ldy);
        copyRows(rows, n, x, xOff, ldx, y, yOff, ldy);
    }

    private static void copyRows(int rows, int n, Object x, int xOff, int ldx, Object y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, xOff + r * ldx, y, yOff + r * ldy, n);
        }
    }

    /**
     * y[i] ← e^{x[i] − shift} for i in [0, n), within a few ulps of {@link Math#exp} (the vector backends use the
     * JDK's vector math library); x and y may be the same run. The exponentials of softmax and GELU. Runs on the
     * calling thread.
     */
    public void sexp(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkRows("sexp", 1, n, x.length, xOff, n, y.length, yOff);
        config.backend().level1F32().exp(n, shift, x, xOff, y, yOff);
    }

    /** Double-precision {@link #saddRows}. */
    public void daddRows(int rows, int n, double[] x, int xOff, int ldx, double[] y, int yOff) {
        Arguments.notNull(x, "x");
        Arguments.notNull(y, "y");
        checkRows("daddRows", rows, n, x.length, xOff, ldx, y.length, yOff);
        Level1KernelF64 l1 = config.backend().level1F64();
        for (int r = 0; r < rows; r++) {
            l1.axpy(n, 1.0, x, xOff + r * ldx, y, yOff);
        }
    }

    // ---------------------------------------------------------------------------------------------- columns

    /**
     * Batch statistics of a row-major block ({@code rows} rows of {@code n} values from {@code xOff}, row r column j
     * at x[xOff + r·n + j]), in double: with d = x − shift[j], sum[j] ← sum[j] + Σ_r d and squares[j] ← squares[j] +
     * Σ_r d² for j in [0, n), each added in row order (the same bits on every backend). A shift near the column's
     * mean keeps Σd² − (Σd)²/rows from cancelling. Runs on the calling thread.
     */
    public void scolumnMoments(int rows, int n, float[] x, int xOff, double[] shift, double[] sum,
                               double[] squares) {
        checkColumns("scolumnMoments", rows, n, x, xOff);
        perColumn("scolumnMoments", n, "shift", shift);
        perColumn("scolumnMoments", n, "sum", sum);
        perColumn("scolumnMoments", n, "squares", squares);
        config.backend().level1F32().columnMoments(rows, n, x, xOff, shift, sum, squares);
    }

    /**
     * The per-column affine map of batch normalisation, y = x·scale[j] + shift[j], then max(·, 0) when {@code relu},
     * over a row-major block as {@link #scolumnMoments}; x and y may be the same array at the same offset. Runs on
     * the calling thread.
     */
    public void scolumnAffine(int rows, int n, float[] x, int xOff, float[] scale, float[] shift, boolean relu,
                              float[] y, int yOff) {
        checkColumns("scolumnAffine", rows, n, x, xOff);
        checkColumns("scolumnAffine", "y", rows, n, y, yOff);
        perColumn("scolumnAffine", n, "scale", scale);
        perColumn("scolumnAffine", n, "shift", shift);
        config.backend().level1F32().columnAffine(rows, n, x, xOff, scale, shift, relu, y, yOff);
    }

    /**
     * The parameter gradients of {@link #scolumnAffine} from its output gradient g (same layout as x): with g̃ = g,
     * or with {@code relu} g̃ = g where x·scale[j] + shift[j] &gt; 0 and 0 elsewhere, sumG[j] ← sumG[j] + Σ_r g̃ and
     * sumGx[j] ← sumGx[j] + Σ_r g̃·x, in double and in row order. The mask is recomputed from x exactly as
     * {@link #scolumnAffine} computed its output, so it is that output's ReLU mask (a NaN output masks its
     * gradient). Runs on the calling thread.
     */
    public void scolumnGradientSums(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                    float[] shift, boolean relu, double[] sumG, double[] sumGx) {
        String op = "scolumnGradientSums";
        checkColumns(op, rows, n, x, xOff);
        checkColumns(op, "g", rows, n, g, gOff);
        perColumn(op, n, "scale", scale);
        perColumn(op, n, "shift", shift);
        perColumn(op, n, "sumG", sumG);
        perColumn(op, n, "sumGx", sumGx);
        config.backend().level1F32().columnGradientSums(rows, n, x, xOff, g, gOff, scale, shift, relu, sumG, sumGx);
    }

    /**
     * Batch normalisation's input gradient, dx = a[j]·g̃ + k[j]·x + b[j] per column, with g̃ masked as in
     * {@link #scolumnGradientSums}; dx may not overlap x or g. Runs on the calling thread.
     */
    public void scolumnAffineGradient(int rows, int n, float[] x, int xOff, float[] g, int gOff, float[] scale,
                                      float[] shift, boolean relu, float[] a, float[] k, float[] b, float[] dx,
                                      int dxOff) {
        String op = "scolumnAffineGradient";
        checkColumns(op, rows, n, x, xOff);
        checkColumns(op, "g", rows, n, g, gOff);
        checkColumns(op, "dx", rows, n, dx, dxOff);
        perColumn(op, n, "scale", scale);
        perColumn(op, n, "shift", shift);
        perColumn(op, n, "a", a);
        perColumn(op, n, "k", k);
        perColumn(op, n, "b", b);
        config.backend().level1F32().columnAffineGradient(rows, n, x, xOff, g, gOff, scale, shift, relu, a, k, b,
                dx, dxOff);
    }

    private static void checkColumns(String op, int rows, int n, float[] x, int xOff) {
        checkColumns(op, "x", rows, n, x, xOff);
    }

    private static void checkColumns(String op, String name, int rows, int n, float[] x, int xOff) {
        Arguments.notNull(x, name);
        Arguments.nonNegative(rows, "rows");
        Arguments.nonNegative(n, "n");
        if (xOff < 0 || (long) xOff + (long) rows * n > x.length) {
            throw new IllegalArgumentException(op + ": " + name + " holds " + x.length + " elements, " + rows
                    + " rows of " + n + " from offset " + xOff + " do not fit");
        }
    }

    /** A per-column array must hold at least one value per column. */
    private static void perColumn(String op, int n, String name, float[] values) {
        Arguments.notNull(values, name);
        perColumn(op, n, name, values.length);
    }

    private static void perColumn(String op, int n, String name, double[] values) {
        Arguments.notNull(values, name);
        perColumn(op, n, name, values.length);
    }

    private static void perColumn(String op, int n, String name, int length) {
        if (length < n) {
            throw new IllegalArgumentException(op + ": " + name + " holds " + length + " values, one per column "
                    + "needs " + n);
        }
    }

    private static void checkRows(String op, int rows, int n, int xLength, int xOff, int ldx, int yLength, int yOff) {
        Arguments.nonNegative(rows, "rows");
        Arguments.nonNegative(n, "n");
        if (rows == 0 || n == 0) {
            return;
        }
        if (ldx < n || xOff < 0 || (long) xOff + (long) (rows - 1) * ldx + n > xLength) {
            throw new IllegalArgumentException(op + ": x holds " + xLength + " elements, " + rows + " rows of " + n
                    + " from offset " + xOff + " with stride " + ldx + " do not fit (stride must be >= n)");
        }
        if (yOff < 0 || (long) yOff + n > yLength) {
            throw new IllegalArgumentException(op + ": y holds " + yLength + " elements, " + n + " from offset "
                    + yOff + " do not fit");
        }
    }

    private static void checkCopyRows(String op, int rows, int n, boolean sameArray, int xLength, int xOff, int ldx,
                                      int yLength, int yOff, int ldy) {
        Arguments.nonNegative(rows, "rows");
        Arguments.nonNegative(n, "n");
        if (sameArray) {
            throw new IllegalArgumentException(op + ": x and y are the same array");
        }
        if (rows == 0 || n == 0) {
            return;
        }
        if (ldx < 0 || xOff < 0 || (long) xOff + (long) (rows - 1) * ldx + n > xLength) {
            throw new IllegalArgumentException(op + ": x holds " + xLength + " elements, " + rows + " rows of " + n
                    + " from offset " + xOff + " with stride " + ldx + " do not fit (stride must be >= 0)");
        }
        if (ldy < n || yOff < 0 || (long) yOff + (long) (rows - 1) * ldy + n > yLength) {
            throw new IllegalArgumentException(op + ": y holds " + yLength + " elements, " + rows + " rows of " + n
                    + " from offset " + yOff + " with stride " + ldy + " do not fit (stride must be >= n)");
        }
    }

    // ---------------------------------------------------------------------------------------------- threads

    /**
     * Runs {@code body.run(from, to)} over [0, count) cut into ranges of {@code chunk} (the last one shorter) on this
     * instance's threads, and returns when all are done: for callers whose own loops (im2col, elementwise layers)
     * should share the threads the kernels use. The cut depends on {@code chunk} only, so results whose rounding
     * depends on the ranges are the same on any number of threads. A call from inside such a range runs inline.
     */
    public void parallelFor(int count, int chunk, ThreadTeam.RangeBody body) {
        Arguments.nonNegative(count, "count");
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        Arguments.notNull(body, "body");
        team.forEachRange(count, chunk, body);
    }

    /** The number of threads this instance computes on. */
    public int threads() {
        return config.threads();
    }

    /** Stops this instance's worker threads; the {@link #shared()} instance ignores this. */
    @Override
    public void close() {
        if (this != Shared.INSTANCE) {
            team.close();
        }
    }

    @Override
    public String toString() {
        return "Linalg[" + config.threads() + " threads, " + config.backend() + "]";
    }

    private static final class Shared {
        static final Linalg INSTANCE = new Linalg(LinalgConfig.defaults());
    }
}
