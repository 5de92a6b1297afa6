package org.kfac4j.bench.layers;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;
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
 * K-FAC-expand's input factor Σ ã ãᵀ of one convolution of the {@code cnn} bench model at batch 128, f32:
 * {@code impl = image} forms it from the captured input image ({@link FactorRows#addGram}: at stride 1 from the
 * image's shifted products, otherwise SYRK over cache-sized blocks of gathered rows), {@code impl = rows} is the
 * anchor, SYRK of the column matrix formed beforehand — what K-FAC-expand ran before the capture kept the image, less
 * the copy its capturing forward pass made (not timed here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class ConvFactorBench {

    @Param({"stem", "stage1", "down2", "stage2", "down3", "stage3"})
    public String layer;

    @Param({"image", "rows"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    @Param({"128"})
    public int batch;

    private Linalg linalg;
    private FactorRows rows;
    private Tensor formed;
    private Tensor factor;

    @Setup(Level.Trial)
    public void setUp() {
        ConvLayerBench.Layer l = ConvLayerBench.Layer.valueOf(layer.toUpperCase());
        SplittableRandom rnd = new SplittableRandom(1);
        Conv2d conv = new Conv2d(layer, l.in, l.out, 3, l.stride, 1, false, DType.F32, rnd);
        linalg = Linalg.create(LinalgConfig.defaults().withThreads(threads));
        Tensor x = Tensor.zeros(DType.F32, batch, l.side, l.side, l.in);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rnd.nextDouble(-1, 1));
        }
        Captures captures = Captures.create();
        conv.forward(x, new Pass(linalg, true, captures));
        rows = captures.of(conv).inputRows().get(0);
        factor = Tensor.zeros(DType.F32, rows.width(), rows.width());
        if (impl.equals("rows")) {
            formed = rows.tensor();
        } else if (!impl.equals("image")) {
            throw new IllegalArgumentException("impl is image or rows, got " + impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        linalg.close();
    }

    @Benchmark
    public Tensor gram() {
        if (formed == null) {
            rows.addGram(linalg, 1, 0, factor);
        } else {
            int d = rows.width();
            linalg.ssyrk(Transpose.T, d, rows.count(), 1f, formed.f32(), 0, d, 0f, factor.f32(), 0, d);
        }
        return factor;
    }
}
