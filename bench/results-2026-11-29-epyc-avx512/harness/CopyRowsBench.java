// Built into bench/src/main/java/org/kfac4j/bench/kernels/ on top of 719b3c5 (JMH) to compare Linalg.scopyRows, then
// vector moves, with System.arraycopy per row; not built since scopyRows became System.arraycopy (../gather/ab.txt).
package org.kfac4j.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * {@code Linalg.scopyRows} at the im2col gather's shapes against its anchor, a {@code System.arraycopy} per row: the
 * in-image spans of a block of images of one of the {@code cnn} model's stride-1 3×3 convolutions (pad 1), each
 * output row and kernel row one block of overlapping rows (3·C values each, C apart in the image, 9·C apart in the
 * column matrix). One thread; a block of about 4 MB of rows, as {@code Conv2d} gathers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class CopyRowsBench {

    /** Image side and channels of the stride-1 convolutions (stage1: 28×28×32, stage2: 14×14×64, stage3: 7×7×128). */
    public enum Stage {
        STAGE1(28, 32),
        STAGE2(14, 64),
        STAGE3(7, 128);

        final int side;
        final int channels;

        Stage(int side, int channels) {
            this.side = side;
            this.channels = channels;
        }
    }

    @Param({"stage1", "stage2", "stage3"})
    public String stage;

    @Param({"kfac4j", "arraycopy"})
    public String impl;

    private Linalg linalg;
    private int side;
    private int channels;
    private int images;
    private float[] x;
    private float[] cols;

    @Setup(Level.Trial)
    public void setUp() {
        Stage s = Stage.valueOf(stage.toUpperCase());
        side = s.side;
        channels = s.channels;
        long rowBytes = 9L * channels * Float.BYTES;
        images = (int) Math.max(1, (4L << 20) / (rowBytes * side * side));
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(1));
        x = new float[images * side * side * channels];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        // checked against the anchor before it is timed: the same values in the same places
        float[] anchor = new float[images * side * side * 9 * channels];
        cols = anchor;
        copySpans(false);
        cols = new float[anchor.length];
        copySpans(true);
        if (!java.util.Arrays.equals(anchor, cols)) {
            throw new IllegalStateException("scopyRows gathers other values than System.arraycopy");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        linalg.close();
    }

    /** The in-image spans of every output row and kernel row of the block; the edge columns are left out. */
    @Benchmark
    public float[] gather() {
        return copySpans("kfac4j".equals(impl));
    }

    private float[] copySpans(boolean kfac4j) {
        int span = 3 * channels;
        int ld = 9 * channels;
        int inside = side - 2; // output columns 1 .. side − 2 read a whole kernel row of the image
        for (int img = 0; img < images; img++) {
            for (int oh = 0; oh < side; oh++) {
                for (int i = 0; i < 3; i++) {
                    int ih = oh - 1 + i;
                    if (ih < 0 || ih >= side) {
                        continue;
                    }
                    int src = (img * side + ih) * side * channels; // output column 1 reads image columns 0..2
                    int dst = ((img * side + oh) * side + 1) * ld + i * span;
                    if (kfac4j) {
                        linalg.scopyRows(inside, span, x, src, channels, cols, dst, ld);
                    } else {
                        for (int r = 0; r < inside; r++) {
                            System.arraycopy(x, src + r * channels, cols, dst + r * ld, span);
                        }
                    }
                }
            }
        }
        return cols;
    }
}
