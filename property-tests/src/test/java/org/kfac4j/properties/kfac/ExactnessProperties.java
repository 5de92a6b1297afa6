package org.kfac4j.properties.kfac;

import static org.kfac4j.properties.kfac.DenseReference.kron;
import static org.kfac4j.properties.kfac.DenseReference.relativeError;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.properties.kfac.DeepLinearNetwork.Setting;

/**
 * The paper's exactness results (Eschenhagen et al. 2023, Propositions 1 and 2) over random deep linear networks with
 * weight sharing and a Gaussian likelihood with a random covariance: depth 1–4, widths 1–12, R 1–6, N 1–8, biases,
 * sum or mean pooling at any depth, sum or mean loss. kfac's {@code G ⊗ A} is compared with the exact GGN block that
 * {@link ExactGgn} builds from explicit Jacobians, in float64. The negative properties show the positive ones cannot
 * pass by accident: the other approximation is far from exact whenever the weight is shared (R > 1).
 */
class ExactnessProperties {
    /** The propositions' tolerance: relative Frobenius error of the block. */
    static final double EXACT = 1e-10;
    /** How far (relative) a wrong approximation must at least be: four orders of magnitude above {@link #EXACT}. */
    static final double INEXACT = 1e-6;

    @Property
    void proposition1KfacExpandIsExactInTheExpandSetting(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 6) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(Setting.EXPAND, widths, n, r, biasMask, 0, false, meanLoss, seed);
        assertExact(net, Approximation.EXPAND);
    }

    @Property
    void proposition2KfacReduceIsExactInTheReduceSetting(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 1, max = 6) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll @IntRange(min = 0, max = 3) int poolAfter,
            @ForAll boolean meanPool, @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(Setting.REDUCE, widths, n, r, biasMask, poolAfter, meanPool,
                meanLoss, seed);
        assertExact(net, Approximation.REDUCE);
    }

    @Property
    void kfacReduceIsNotExactInTheExpandSetting(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 2, max = 6) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(Setting.EXPAND, widths, n, r, biasMask, 0, false, meanLoss, seed);
        assertInexactWhereShared(net, Approximation.REDUCE);
    }

    @Property
    void kfacExpandIsNotExactInTheReduceSetting(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 2, max = 6) int r,
            @ForAll @IntRange(min = 0, max = 15) int biasMask, @ForAll @IntRange(min = 0, max = 3) int poolAfter,
            @ForAll boolean meanPool, @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(Setting.REDUCE, widths, n, r, biasMask, poolAfter, meanPool,
                meanLoss, seed);
        assertInexactWhereShared(net, Approximation.EXPAND);
    }

    /** With R = 1 (and after the aggregation) there is nothing to expand or reduce: both are classic K-FAC, and exact. */
    @Property
    void withOnePositionBothApproximationsCoincideAndAreExact(
            @ForAll @Size(min = 2, max = 5) List<@IntRange(min = 1, max = 12) Integer> widths,
            @ForAll @IntRange(min = 1, max = 8) int n, @ForAll @IntRange(min = 0, max = 15) int biasMask,
            @ForAll @IntRange(min = 0, max = 3) int poolAfter, @ForAll boolean reduceSetting,
            @ForAll boolean meanPool, @ForAll boolean meanLoss, @ForAll long seed) {
        DeepLinearNetwork net = DeepLinearNetwork.random(reduceSetting ? Setting.REDUCE : Setting.EXPAND, widths, n, 1,
                biasMask, poolAfter, meanPool, meanLoss, seed);
        Map<String, KroneckerFactors> expand = net.kfacFactors(Approximation.EXPAND, Curvature.exactGgn(), 0);
        Map<String, KroneckerFactors> reduce = net.kfacFactors(Approximation.REDUCE, Curvature.exactGgn(), 0);
        for (int l = 0; l < net.depth(); l++) {
            String name = DeepLinearNetwork.layerName(l);
            KroneckerFactors e = expand.get(name);
            KroneckerFactors r = reduce.get(name);
            double da = relativeError(e.a().f64(), r.a().f64());
            double dg = relativeError(e.g().f64(), r.g().f64());
            if (!(da <= 1e-13 && dg <= 1e-13)) {
                throw new AssertionError(name + " of " + net + ": expand and reduce differ with R = 1 (A by " + da
                        + ", G by " + dg + ")");
            }
        }
        assertExact(net, Approximation.EXPAND);
        assertExact(net, Approximation.REDUCE);
    }

    private static void assertExact(DeepLinearNetwork net, Approximation approximation) {
        Map<String, KroneckerFactors> factors = net.kfacFactors(approximation, Curvature.exactGgn(), 0);
        ExactGgn oracle = new ExactGgn(net);
        for (int l = 0; l < net.depth(); l++) {
            double error = relativeError(kronecker(factors, net, l), oracle.block(l));
            if (!(error <= EXACT)) {
                throw new AssertionError(DeepLinearNetwork.layerName(l) + " of " + net + ": K-FAC-" + approximation
                        + " G ⊗ A differs from the exact GGN block by " + error + " (relative), more than " + EXACT);
            }
        }
    }

    /** Every layer whose weight is shared over R > 1 positions must be inexact under {@code approximation}. */
    private static void assertInexactWhereShared(DeepLinearNetwork net, Approximation approximation) {
        Map<String, KroneckerFactors> factors = net.kfacFactors(approximation, Curvature.exactGgn(), 0);
        ExactGgn oracle = new ExactGgn(net);
        int checked = 0;
        for (int l = 0; l < net.depth(); l++) {
            if (net.positionsAt(l) == 1) {
                continue;
            }
            checked++;
            double error = relativeError(kronecker(factors, net, l), oracle.block(l));
            if (!(error > INEXACT)) {
                throw new AssertionError(DeepLinearNetwork.layerName(l) + " of " + net + ": K-FAC-" + approximation
                        + " is within " + error + " of the exact block in the wrong setting");
            }
        }
        if (checked == 0) {
            throw new AssertionError(net + ": no layer shares its weight");
        }
    }

    private static double[] kronecker(Map<String, KroneckerFactors> factors, DeepLinearNetwork net, int l) {
        KroneckerFactors f = factors.get(DeepLinearNetwork.layerName(l));
        return kron(f.g().f64(), net.outputDim(l), f.a().f64(), net.inputDim(l));
    }
}
