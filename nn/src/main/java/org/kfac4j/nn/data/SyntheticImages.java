package org.kfac4j.nn.data;

import java.util.SplittableRandom;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A synthetic stand-in for Fashion-MNIST, so that training runs with no dataset installed: 28 × 28 × 1 images in
 * [0, 1], 10 classes. Each class is a fixed random smooth pattern (a sum of a few Gaussian blobs); an example is its
 * class's pattern, shifted by up to 2 pixels, scaled in brightness, plus pixel noise. Learnable but not trivial
 * (a linear model does not reach 100%), and fully determined by the seed.
 */
public final class SyntheticImages {
    private static final int SIZE = 28;
    private static final int CLASSES = 10;
    private static final int BLOBS = 4;

    private SyntheticImages() {
    }

    public static Dataset generate(int examples, long seed, DType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] patterns = new double[CLASSES][];
        SplittableRandom patternRng = new SplittableRandom(0x5eed_1234L);
        for (int c = 0; c < CLASSES; c++) {
            patterns[c] = pattern(patternRng);
        }
        Tensor x = Tensor.zeros(dtype, examples, SIZE, SIZE, 1);
        int[] y = new int[examples];
        for (int n = 0; n < examples; n++) {
            int c = rng.nextInt(CLASSES);
            y[n] = c;
            int dy = rng.nextInt(5) - 2;
            int dx = rng.nextInt(5) - 2;
            double brightness = 0.6 + 0.4 * rng.nextDouble();
            for (int i = 0; i < SIZE; i++) {
                for (int j = 0; j < SIZE; j++) {
                    int si = i - dy;
                    int sj = j - dx;
                    double v = si >= 0 && si < SIZE && sj >= 0 && sj < SIZE ? patterns[c][si * SIZE + sj] : 0;
                    v = brightness * v + 0.15 * rng.nextGaussian();
                    x.set(n * SIZE * SIZE + i * SIZE + j, Math.min(1, Math.max(0, v)));
                }
            }
        }
        return new Dataset("synthetic-images", x, y, CLASSES);
    }

    private static double[] pattern(SplittableRandom rng) {
        double[] p = new double[SIZE * SIZE];
        for (int b = 0; b < BLOBS; b++) {
            double ci = 4 + rng.nextDouble() * 20;
            double cj = 4 + rng.nextDouble() * 20;
            double width = 2 + rng.nextDouble() * 4;
            for (int i = 0; i < SIZE; i++) {
                for (int j = 0; j < SIZE; j++) {
                    double r2 = ((i - ci) * (i - ci) + (j - cj) * (j - cj)) / (2 * width * width);
                    p[i * SIZE + j] += Math.exp(-r2);
                }
            }
        }
        double max = 0;
        for (double v : p) {
            max = Math.max(max, v);
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= max;
        }
        return p;
    }
}
