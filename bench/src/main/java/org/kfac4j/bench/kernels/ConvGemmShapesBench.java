package org.kfac4j.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.tensor.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-precision GEMMs of the {@code cnn} bench model's 3×3 convolutions at batch 128 on explicit im2col
 * blocks of {@link Conv2d#imagesPerBlock} images: forward {@code Y = cols·Wᵀ} (N, T), the transposed weight gradient
 * {@code dWᵀ += colsᵀ·dY} (T, N, β = 1, the depth being a block's output positions) and input gradient
 * {@code dcols = dY·W} (N, N), for the first stage's 32 → 32 convolution at 28×28, the second's 64 → 64 at 14×14
 * and the third's 128 → 128 at 7×7. The training step now computes most of these differently (implicit-im2col
 * correlations for the forward pass and the stride-1 input gradients, and the weight gradient as single-threaded
 * products of a few hundred rows per task); the shapes stay as a GEMM benchmark against OpenBLAS on thin, deep
 * products.
 *
 * <p>Before kfac4j is timed on one shape, its setup runs every shape for a second each, so that the kernels are
 * compiled as a training run leaves them rather than for the timed shape alone: a micro-kernel that C2 compiles
 * well for one shape and badly after another (it happened: the β branch of an earlier kernel) shows here and not in
 * {@link GemmBench}. Every result is checked against sampled dot products before it is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class ConvGemmShapesBench {

    /**
     * A convolution GEMM C = α·op(A)·op(B) + β·C, C m×n, depth k, all row-major, for one block of images; a batch of
     * 128 images is {@code blocks} such calls.
     */
    enum Shape {
        CONV1_FORWARD(Kind.FORWARD, 28, 32),
        CONV1_WEIGHT_GRAD(Kind.WEIGHT_GRAD, 28, 32),
        CONV1_INPUT_GRAD(Kind.INPUT_GRAD, 28, 32),
        CONV2_FORWARD(Kind.FORWARD, 14, 64),
        CONV2_WEIGHT_GRAD(Kind.WEIGHT_GRAD, 14, 64),
        CONV2_INPUT_GRAD(Kind.INPUT_GRAD, 14, 64),
        CONV3_FORWARD(Kind.FORWARD, 7, 128),
        CONV3_WEIGHT_GRAD(Kind.WEIGHT_GRAD, 7, 128),
        CONV3_INPUT_GRAD(Kind.INPUT_GRAD, 7, 128);

        enum Kind { FORWARD, WEIGHT_GRAD, INPUT_GRAD }

        static final int BATCH = 128;

        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float beta;
        final int blocks;

        /** A 3×3 convolution channels → channels on side × side images (padding 1, stride 1, no bias). */
        Shape(Kind kind, int side, int channels) {
            int r = side * side;
            int d = 9 * channels;
            int images = Conv2d.imagesPerBlock(BATCH, r, d, DType.F32);
            int rows = images * r;
            this.blocks = (BATCH + images - 1) / images;
            this.transA = kind == Kind.WEIGHT_GRAD;
            this.transB = kind == Kind.FORWARD;
            this.m = kind == Kind.WEIGHT_GRAD ? d : rows;
            this.n = kind == Kind.INPUT_GRAD ? d : channels;
            this.k = switch (kind) {
                case FORWARD -> d;
                case WEIGHT_GRAD -> rows;
                case INPUT_GRAD -> channels;
            };
            this.beta = kind == Kind.WEIGHT_GRAD ? 1 : 0;
        }

        String paramName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    @Param({"conv1-forward", "conv1-weight-grad", "conv1-input-grad",
            "conv2-forward", "conv2-weight-grad", "conv2-input-grad",
            "conv3-forward", "conv3-weight-grad", "conv3-input-grad"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "openblas"})
    public String impl;

    private Problem problem;
    private Runnable call;

    /** Operands of one shape, random in [-1, 1); C starts from a copy of {@code c0} so that β = 1 is checkable. */
    private static final class Problem {
        final Shape s;
        final float[] a;
        final float[] b;
        final float[] c0;
        final float[] c;

        Problem(Shape s, long seed) {
            this.s = s;
            SplittableRandom rnd = new SplittableRandom(seed);
            a = random(rnd, s.m * s.k);
            b = random(rnd, s.k * s.n);
            c0 = random(rnd, s.m * s.n);
            c = c0.clone();
        }

        int lda() {
            return s.transA ? s.m : s.k;
        }

        int ldb() {
            return s.transB ? s.k : s.n;
        }

        /** kfac4j's call on these operands. */
        Runnable kfac4j(Linalg linalg) {
            Transpose ta = s.transA ? Transpose.T : Transpose.N;
            Transpose tb = s.transB ? Transpose.T : Transpose.N;
            return () -> linalg.sgemm(ta, tb, s.m, s.n, s.k, 1f, a, 0, lda(), b, 0, ldb(), s.beta, c, 0, s.n);
        }

        /** The same product through column-major BLAS: row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ. */
        Runnable blas(BLAS blas) {
            String ta = s.transA ? "T" : "N";
            String tb = s.transB ? "T" : "N";
            return () -> blas.sgemm(tb, ta, s.n, s.m, s.k, 1f, b, ldb(), a, lda(), s.beta, c, s.n);
        }

        /**
         * After one call from C = c0: C[i, j] against β·c0 + Σ_p op(A)[i, p]·op(B)[p, j] in double at 200 sampled
         * positions, within 4·k·u·Σ|terms|.
         */
        void verify(String impl) {
            SplittableRandom rnd = new SplittableRandom(99);
            for (int t = 0; t < 200; t++) {
                int i = rnd.nextInt(s.m), j = rnd.nextInt(s.n);
                double want = s.beta * c0[i * s.n + j];
                double mag = Math.abs(want);
                for (int p = 0; p < s.k; p++) {
                    double x = (double) opA(i, p) * opB(p, j);
                    want += x;
                    mag += Math.abs(x);
                }
                double got = c[i * s.n + j];
                if (!(Math.abs(got - want) <= 4 * (s.k + 1) * 0x1p-24 * mag)) {
                    throw new IllegalStateException(impl + " computed C[" + i + "," + j + "] = " + got + " for "
                            + s.paramName() + ", expected " + want + ": not timed");
                }
            }
        }

        private float opA(int i, int p) {
            return s.transA ? a[p * s.m + i] : a[i * s.k + p];
        }

        private float opB(int p, int j) {
            return s.transB ? b[j * s.k + p] : b[p * s.n + j];
        }

        private static float[] random(SplittableRandom rnd, int n) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rnd.nextDouble(-1, 1);
            }
            return x;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Shape timed = null;
        for (Shape s : Shape.values()) {
            if (s.paramName().equals(shape)) {
                timed = s;
            }
        }
        if (timed == null) {
            throw new IllegalArgumentException("unknown shape " + shape);
        }
        problem = new Problem(timed, 42);
        if ("kfac4j".equals(impl)) {
            Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
            for (Shape other : Shape.values()) {
                if (other != timed) {
                    Runnable warm = new Problem(other, 7).kfac4j(linalg);
                    long until = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < until) {
                        warm.run();
                    }
                }
            }
            call = problem.kfac4j(linalg);
        } else if ("openblas".equals(impl)) {
            call = problem.blas(Backends.openBlas(threads));
        } else {
            throw new IllegalArgumentException("impl must be kfac4j or openblas, got " + impl);
        }
        call.run();
        problem.verify(impl);
    }

    /** The batch's blocks, one GEMM each on the same operands (as the step's block buffer is reused). */
    @Benchmark
    public void gemm() {
        for (int i = 0; i < problem.s.blocks; i++) {
            call.run();
        }
    }
}
