package org.kfac4j.properties.kfac;

import static org.kfac4j.properties.kfac.DenseReference.distance;
import static org.kfac4j.properties.kfac.DenseReference.relativeError;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.properties.kfac.DeepLinearNetwork.Setting;

/**
 * The two Fisher variants against their definitions (kfac-math.md, "Loss and curvature"), on the random deep linear
 * networks of {@link ExactnessProperties}, either setting, either approximation.
 *
 * <p>Monte-Carlo: one sample feeds, per loss term, a standard normal ε (the whitened Gaussian's sampled residual),
 * so one sample's G is X = (1/Z) Σ_j B_j ε εᵀ B_jᵀ with the maps B_j of {@link ExactGgn#backwardMaps}, and
 * E[X] = (1/Z) Σ_j B_j B_jᵀ is the exact factor wherever the terms of an example do not share a position of the
 * layer (always here, except K-FAC-reduce in the expand setting, which the property leaves out). The mean of k
 * samples has E‖Ḡ_k − G‖²_F = σ²/k with, from E(εᵀQε)² = (tr Q)² + 2 tr Q² for symmetric Q,
 * σ² = (1/Z²) Σ_{j,j'} [⟨B_j, B_j'⟩² + tr((B_j' B_jᵀ)²)] (only j, j' of one example contribute). The property:
 * ‖Ḡ_k − G‖_F ≤ 6σ/√k. By the central limit theorem the squared error is close to a weighted χ² whose mean is
 * σ²/k; exceeding 36 times its mean has probability below P(|N(0,1)| ≥ 6) ≈ 2·10⁻⁹, so a failure is a bug, not bad luck.
 */
class FisherProperties {
    static final double SIGMAS = 6;

    @Provide
    Arbitrary<Integer> sampleCounts() {
        return Arbitraries.of(64, 4096, 65536);
    }

    @Property
    void monteCarloFisherConvergesToTheExactFactors(
            @ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 8) Integer> widths,
            @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 4) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll @IntRange(min = 0, max = 3) int poolAfter,
            @ForAll boolean reduceSetting, @ForAll Approximation approximation, @ForAll boolean meanPool,
            @ForAll boolean meanLoss, @ForAll("sampleCounts") int samples, @ForAll long seed) {
        Assume.that(reduceSetting || approximation == Approximation.EXPAND);
        DeepLinearNetwork net = DeepLinearNetwork.random(reduceSetting ? Setting.REDUCE : Setting.EXPAND, widths, n, r,
                biasMask, poolAfter, meanPool, meanLoss, seed);
        Map<String, KroneckerFactors> mc = net.kfacFactors(approximation, Curvature.monteCarlo(samples), seed);
        ExactGgn oracle = new ExactGgn(net);
        boolean reduce = approximation == Approximation.REDUCE;
        for (int l = 0; l < net.depth(); l++) {
            String name = DeepLinearNetwork.layerName(l);
            KroneckerFactors f = mc.get(name);
            assertClose(name + " A", f.a().f64(), oracle.inputFactor(l, reduce), 1e-12, net);
            double[][] maps = oracle.backwardMaps(l, reduce);
            double[] exact = exactG(net, maps);
            double sigma = Math.sqrt(singleSampleVariance(net, maps));
            double error = distance(f.g().f64(), exact);
            double bound = SIGMAS * sigma / Math.sqrt(samples) + 1e-12 * DenseReference.norm(exact);
            if (!(error <= bound)) {
                throw new AssertionError(name + " of " + net + ": the Monte-Carlo G of " + samples + " samples is "
                        + error + " from the exact G (‖G‖ = " + DenseReference.norm(exact) + "), more than "
                        + SIGMAS + "σ/√k = " + bound);
            }
        }
    }

    @Property
    void empiricalFisherEqualsItsDefinition(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 6) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll @IntRange(min = 0, max = 3) int poolAfter,
            @ForAll boolean reduceSetting, @ForAll Approximation approximation, @ForAll boolean meanPool,
            @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(reduceSetting ? Setting.REDUCE : Setting.EXPAND, widths, n, r,
                biasMask, poolAfter, meanPool, meanLoss, seed);
        Map<String, KroneckerFactors> empirical = net.kfacFactors(approximation, Curvature.empirical(), 0);
        ExactGgn oracle = new ExactGgn(net);
        boolean reduce = approximation == Approximation.REDUCE;
        for (int l = 0; l < net.depth(); l++) {
            String name = DeepLinearNetwork.layerName(l);
            KroneckerFactors f = empirical.get(name);
            assertClose(name + " A", f.a().f64(), oracle.inputFactor(l, reduce), 1e-12, net);
            // g_j = B_j (f' − y'): the observed gradient of example e(j)'s terms, pulled back to the layer's output
            double[][] maps = oracle.backwardMaps(l, reduce);
            int out = net.outputDim(l);
            int perExample = maps.length / net.n;
            double[] g = new double[out * out];
            for (int j = 0; j < maps.length; j++) {
                double[] v = apply(maps[j], out, oracle.residual(j / perExample));
                ExactGgn.addOuter(g, v, v, 1 / net.normaliser());
            }
            assertClose(name + " G", f.g().f64(), g, 1e-11, net);
        }
    }

    /** The exact G of kfac-math.md: column c of S_t = I (whitened space) fed for every term at once, per pass c. */
    private static double[] exactG(DeepLinearNetwork net, double[][] maps) {
        int c = net.outputs();
        int width = net.termsPerExample() * c;
        int out = maps[0].length / width;
        double[] g = new double[out * out];
        for (double[] b : maps) {
            for (int col = 0; col < c; col++) {
                double[] v = new double[out];
                for (int i = 0; i < out; i++) {
                    for (int tau = 0; tau < net.termsPerExample(); tau++) {
                        v[i] += b[i * width + tau * c + col];
                    }
                }
                ExactGgn.addOuter(g, v, v, 1 / net.normaliser());
            }
        }
        return g;
    }

    /** σ² = E‖X − E X‖²_F of one Monte-Carlo sample's G (class comment). */
    private static double singleSampleVariance(DeepLinearNetwork net, double[][] maps) {
        int width = net.termsPerExample() * net.outputs();
        int out = maps[0].length / width;
        int perExample = maps.length / net.n;
        double sum = 0;
        for (int j = 0; j < maps.length; j++) {
            for (int k = j / perExample * perExample; k < (j / perExample + 1) * perExample; k++) {
                double inner = 0;
                for (int i = 0; i < maps[j].length; i++) {
                    inner += maps[j][i] * maps[k][i];
                }
                // P = B_k B_jᵀ (out × out); tr(P²) = Σ_{a,b} P[a,b] P[b,a]
                double[] p = new double[out * out];
                for (int a = 0; a < out; a++) {
                    for (int bIdx = 0; bIdx < out; bIdx++) {
                        double s = 0;
                        for (int q = 0; q < width; q++) {
                            s += maps[k][a * width + q] * maps[j][bIdx * width + q];
                        }
                        p[a * out + bIdx] = s;
                    }
                }
                double trSquare = 0;
                for (int a = 0; a < out; a++) {
                    for (int bIdx = 0; bIdx < out; bIdx++) {
                        trSquare += p[a * out + bIdx] * p[bIdx * out + a];
                    }
                }
                sum += inner * inner + trSquare;
            }
        }
        return sum / (net.normaliser() * net.normaliser());
    }

    /** B·v for B out × width. */
    private static double[] apply(double[] b, int out, double[] v) {
        double[] r = new double[out];
        for (int i = 0; i < out; i++) {
            for (int q = 0; q < v.length; q++) {
                r[i] += b[i * v.length + q] * v[q];
            }
        }
        return r;
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tolerance,
                                    DeepLinearNetwork net) {
        double error = relativeError(actual, expected);
        if (!(error <= tolerance)) {
            throw new AssertionError(what + " of " + net + ": relative error " + error + " > " + tolerance);
        }
    }
}
