package org.kfac4j.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.bench.impl.Backends;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The implicit-im2col correlation kernel alone ({@link Linalg#scorrelate2d}) on the {@code cnn} bench model's
 * stride-1 3×3 convolutions at batch 128, input already padded (what its forward pass and input gradient call), and
 * the anchor a user would otherwise run: the GEMM of the explicit im2col matrix with the filters through OpenBLAS
 * ({@code impl = openblas}; the matrix is built once beforehand and not timed, which favours the anchor). Both are
 * checked against the definition at sampled outputs before they are timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms4g", "-Xmx4g"})
public class CorrelationBench {
    private static final int BATCH = 128;
    private static final int K = 3;

    /** The stride-1 convolutions: output side and channels (in = out), input padded by 1. */
    public enum Layer {
        STAGE1(28, 32),
        STAGE2(14, 64),
        STAGE3(7, 128);

        final int side;
        final int channels;

        Layer(int side, int channels) {
            this.side = side;
            this.channels = channels;
        }
    }

    @Param({"stage1", "stage2", "stage3"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    @Param({"kfac4j", "openblas"})
    public String impl;

    private Layer l;
    private int padded;
    private int depth;
    private float[] x;
    private float[] f;
    private float[] y;
    private Linalg linalg;
    private Runnable call;

    @Setup(Level.Trial)
    public void setUp() {
        l = Layer.valueOf(layer.toUpperCase());
        padded = l.side + 2;
        depth = K * K * l.channels;
        SplittableRandom rnd = new SplittableRandom(3);
        x = new float[BATCH * padded * padded * l.channels];
        f = new float[l.channels * depth];
        y = new float[BATCH * l.side * l.side * l.channels];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextDouble(-1, 1);
        }
        int c = l.channels;
        switch (impl) {
            case "kfac4j" -> {
                linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
                // the correlation adds into Y: checked from zeros after the first call, then timed accumulating
                call = () -> linalg.scorrelate2d(BATCH, padded, padded, c, K, K, 1, c, x, 0, f, 0, y, 0);
            }
            case "openblas" -> {
                BLAS blas = Backends.openBlas(threads);
                float[] cols = im2col();
                int pixels = BATCH * l.side * l.side;
                // row-major Y (pixels × c) = cols (pixels × depth) · Fᵀ: column-major Yᵀ = F (as depth × c, T) · colsᵀ
                call = () -> blas.sgemm("T", "N", c, pixels, depth, 1f, f, depth, cols, depth, 0f, y, c);
            }
            default -> throw new IllegalArgumentException("impl must be kfac4j or openblas, got " + impl);
        }
        call.run();
        verify();
    }

    /** The tap-major im2col matrix of the padded batch: row q = (img, h, w), column (i·K + j)·C + ch. */
    private float[] im2col() {
        int c = l.channels;
        float[] cols = new float[BATCH * l.side * l.side * depth];
        for (int img = 0; img < BATCH; img++) {
            for (int h = 0; h < l.side; h++) {
                for (int w = 0; w < l.side; w++) {
                    int row = ((img * l.side + h) * l.side + w) * depth;
                    for (int i = 0; i < K; i++) {
                        System.arraycopy(x, ((img * padded + h + i) * padded + w) * c, cols, row + i * K * c, K * c);
                    }
                }
            }
        }
        return cols;
    }

    /** Y at 200 sampled outputs against the definition in double, within 4·depth·u·Σ|terms|. */
    private void verify() {
        int c = l.channels;
        SplittableRandom rnd = new SplittableRandom(99);
        for (int t = 0; t < 200; t++) {
            int img = rnd.nextInt(BATCH), h = rnd.nextInt(l.side), w = rnd.nextInt(l.side), o = rnd.nextInt(c);
            double want = 0;
            double mag = 0;
            for (int d = 0; d < depth; d++) {
                int i = d / (K * c), j = d / c % K, ch = d % c;
                double term = (double) x[((img * padded + h + i) * padded + w + j) * c + ch] * f[o * depth + d];
                want += term;
                mag += Math.abs(term);
            }
            double got = y[((img * l.side + h) * l.side + w) * c + o];
            if (!(Math.abs(got - want) <= 4 * (depth + 1) * 0x1p-24 * mag)) {
                throw new IllegalStateException(impl + " computed " + got + " at image " + img + " (" + h + ", " + w
                        + ") channel " + o + " for " + layer + ", expected " + want + ": not timed");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (linalg != null) {
            linalg.close();
        }
    }

    /** One pass of the layer's batch: 2·128·side²·C·9C flops. */
    @Benchmark
    public float[] correlate() {
        call.run();
        return y;
    }
}
