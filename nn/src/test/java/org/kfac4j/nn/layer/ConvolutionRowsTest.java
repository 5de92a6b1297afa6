package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The stride-1 Gram matrix from shifted products on images large enough that its blocks of images split: the
 * row-interleaved blocks of the full-row products (a 48×48 image of 32 channels: 6 images to a block of 8) and the
 * gathered thin cells (a 200×8 image: its edge columns split 5 + 3), against the SYRK of the rows themselves (which
 * {@code ConvolutionRowsProperties} checks against the definition), in double.
 */
class ConvolutionRowsTest {

    @ParameterizedTest
    @CsvSource({"48, 48, 1, false", "200, 8, 1, true", "48, 48, 0, false", "200, 8, 3, true"})
    void strideOneGramOverSeveralBlocksIsTheSyrkOfTheRows(int height, int width, int padding, boolean bias) {
        int images = 8;
        int channels = 32;
        SplittableRandom rnd = new SplittableRandom(height * 31L + padding);
        Conv2d conv = new Conv2d("conv", channels, 4, 3, 1, padding, bias, DType.F64, rnd);
        Im2col geometry = new Im2col(height, width, channels, 3, 3, 1, padding);
        assertTrue(StrideOneGram.applies(geometry));
        Tensor x = Tensor.zeros(DType.F64, images, height, width, channels);
        for (int q = 0; q < x.size(); q++) {
            x.set(q, rnd.nextDouble(-1, 1));
        }
        Captures captures = Captures.create();
        conv.forward(x, new Pass(Linalg.shared(), true, captures));
        FactorRows rows = captures.of(conv).inputRows().get(0);
        int d = rows.width();

        Tensor expected = Tensor.zeros(DType.F64, d, d);
        Linalg.shared().dsyrk(Transpose.T, d, rows.count(), 0.5, rows.tensor().f64(), 0, d, 0, expected.f64(), 0, d);
        Tensor got = Tensor.zeros(DType.F64, d, d);
        rows.addGram(Linalg.shared(), 0.5, 0, got);

        double scale = 0;
        for (int q = 0; q < d * d; q++) {
            scale = Math.max(scale, Math.abs(expected.get(q)));
        }
        for (int q = 0; q < d * d; q++) {
            double error = Math.abs(got.get(q) - expected.get(q));
            int row = q / d;
            int col = q % d;
            assertTrue(error <= 1e-12 * scale, "entry (" + row + ", " + col + "): " + got.get(q) + " against the rows' "
                    + expected.get(q));
        }
    }
}
