package org.kfac4j.kfac.factor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The SYRK-based accumulation against the definitions of {@code kfac-math.md}, written out as sums: random captures
 * of every shape class (1-sized and odd dimensions, several calls of one layer, ragged graph batches, several backward
 * passes) and both moving-average branches. Tolerance: relative Frobenius error 1e-12 in double, 1e-5 in float.
 */
class FactorAccumulatorTest {
    private static final Linalg PARALLEL = Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0));

    @ParameterizedTest(name = "N={0} R={1} D={2} Dout={3} calls={4} passes={5} ragged={6} {7}")
    @CsvSource({
            "1, 1, 1, 1, 1, 1, false, F64",
            "4, 5, 3, 2, 1, 1, false, F64",
            "3, 7, 17, 9, 2, 3, false, F64",
            "5, 1, 33, 4, 1, 2, false, F32",
            "6, 0, 5, 3, 1, 2, true, F64",
            "6, 0, 19, 7, 2, 1, true, F32",
            "2, 9, 8, 8, 3, 10, false, F32"})
    void factorsAreTheDefinitionsSums(int n, int r, int d, int dOut, int calls, int passes, boolean ragged, DType dtype) {
        long seed = 31L * n + 7L * r + d + 1000L * calls + passes;
        SplittableRandom rng = new SplittableRandom(seed);
        Linear layer = new Linear("layer", d, dOut, false, dtype, rng);
        Captures captures = Captures.create();
        List<Tensor> inputs = new ArrayList<>();
        List<int[]> segments = new ArrayList<>();
        for (int c = 0; c < calls; c++) {
            int[] seg = new int[n + 1];
            for (int e = 0; e < n; e++) {
                seg[e + 1] = seg[e] + (ragged ? rng.nextInt(0, 6) : r); // ragged: graphs of 0..5 nodes
            }
            Tensor x = ragged ? Tensor.zeros(dtype, 1, seg[n], d) : Tensor.zeros(dtype, n, r, d);
            Initialisation.normal(x, 1, rng);
            inputs.add(x);
            segments.add(seg);
            if (ragged) {
                captures.recordInput(layer, x, seg);
            } else {
                captures.recordInput(layer, x);
            }
        }
        List<List<Tensor>> gradients = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            captures.beginBackward();
            List<Tensor> perCall = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                int rows = segments.get(c)[n];
                Tensor g = ragged ? Tensor.zeros(dtype, 1, rows, dOut) : Tensor.zeros(dtype, n, r, dOut);
                Initialisation.normal(g, 1, rng);
                captures.recordOutputGradient(layer, c, g);
                perCall.add(g);
            }
            gradients.add(perCall);
        }
        LayerCapture capture = captures.of(layer);
        GradientPasses gp = new GradientPasses(0, passes, 0.37);
        double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
        for (Approximation approx : Approximation.values()) {
            double[][] aBatch = inputFactor(inputs, segments, n, d, approx);
            double[][] gBatch = gradientFactor(gradients, segments, n, dOut, approx, 0.37);
            Tensor a = Tensor.zeros(dtype, d, d);
            Tensor g = Tensor.zeros(dtype, dOut, dOut);
            a.fill(Double.NaN); // ρ = 0 must not read the old factor
            g.fill(Double.NaN);
            FactorAccumulator.accumulateInput(PARALLEL, capture, approx, 0, a);
            FactorAccumulator.accumulateGradient(PARALLEL, capture, approx, gp, 0, g);
            assertClose(approx + " A, seed " + seed, a, aBatch, tol);
            assertClose(approx + " G, seed " + seed, g, gBatch, tol);
            // a second refresh with ρ = 0.9 over the same batch leaves the factor unchanged up to rounding
            FactorAccumulator.accumulateInput(PARALLEL, capture, approx, 0.9, a);
            FactorAccumulator.accumulateGradient(PARALLEL, capture, approx, gp, 0.9, g);
            assertClose(approx + " A after ρ = 0.9, seed " + seed, a, aBatch, tol);
            assertClose(approx + " G after ρ = 0.9, seed " + seed, g, gBatch, tol);
            // and from a different start, ρ·F + (1 − ρ)·F_batch
            Tensor a0 = a.zerosLike();
            for (int i = 0; i < d; i++) {
                a0.set(i * d + i, 2);
            }
            FactorAccumulator.accumulateInput(PARALLEL, capture, approx, 0.75, a0);
            double[][] mixed = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    mixed[i][j] = (i == j ? 0.75 * 2 : 0) + 0.25 * aBatch[i][j];
                }
            }
            assertClose(approx + " moving average, seed " + seed, a0, mixed, tol);
        }
    }

    /** expand: mean of ããᵀ over all rows of all calls; reduce: mean over examples of â âᵀ, â the mean of its rows. */
    static double[][] inputFactor(List<Tensor> inputs, List<int[]> segments, int n, int d, Approximation approx) {
        double[][] f = new double[d][d];
        if (approx == Approximation.EXPAND) {
            long rows = 0;
            for (Tensor x : inputs) {
                rows += x.rows();
            }
            for (Tensor x : inputs) {
                for (int row = 0; row < x.rows(); row++) {
                    addOuter(f, x, row, d, 1.0 / rows);
                }
            }
            return f;
        }
        for (int e = 0; e < n; e++) {
            double[] mean = new double[d];
            int count = 0;
            for (int c = 0; c < inputs.size(); c++) {
                for (int row = segments.get(c)[e]; row < segments.get(c)[e + 1]; row++, count++) {
                    for (int i = 0; i < d; i++) {
                        mean[i] += inputs.get(c).get(row * d + i);
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    f[i][j] += count == 0 ? 0 : mean[i] / count * mean[j] / count / n;
                }
            }
        }
        return f;
    }

    /** expand: s·Σ g gᵀ over every row of every call and pass; reduce: s·Σ ĝ ĝᵀ, ĝ an example's sum in one pass. */
    static double[][] gradientFactor(List<List<Tensor>> passes, List<int[]> segments, int n, int d,
                                     Approximation approx, double scale) {
        double[][] f = new double[d][d];
        for (List<Tensor> pass : passes) {
            if (approx == Approximation.EXPAND) {
                for (Tensor g : pass) {
                    for (int row = 0; row < g.rows(); row++) {
                        addOuter(f, g, row, d, scale);
                    }
                }
                continue;
            }
            for (int e = 0; e < n; e++) {
                double[] sum = new double[d];
                for (int c = 0; c < pass.size(); c++) {
                    for (int row = segments.get(c)[e]; row < segments.get(c)[e + 1]; row++) {
                        for (int i = 0; i < d; i++) {
                            sum[i] += pass.get(c).get(row * d + i);
                        }
                    }
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        f[i][j] += scale * sum[i] * sum[j];
                    }
                }
            }
        }
        return f;
    }

    private static void addOuter(double[][] f, Tensor x, int row, int d, double s) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                f[i][j] += s * x.get(row * d + i) * x.get(row * d + j);
            }
        }
    }

    private static void assertClose(String what, Tensor actual, double[][] expected, double tol) {
        double diff = 0;
        double norm = 0;
        int d = expected.length;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                diff += Math.pow(actual.get(i * d + j) - expected[i][j], 2);
                norm += Math.pow(expected[i][j], 2);
            }
        }
        double rel = Math.sqrt(diff / Math.max(norm, Double.MIN_NORMAL));
        assertTrue(rel <= tol, what + ": relative Frobenius error " + rel + " > " + tol);
    }
}
