package org.kfac4j.kfac.inverse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.kfac.inverse.lowrank.ExactTracker;
import org.kfac4j.kfac.inverse.lowrank.RandomisedTracker;
import org.kfac4j.kfac.inverse.lowrank.Spectrum;
import org.kfac4j.kfac.inverse.lowrank.SpectrumTracker;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The low-rank inverse against dense solves. With complete spectra (r ≥ d) it is the eigen preconditioner, so it
 * must equal the solve of {@code (G ⊗ A + δI)x = ∇} to rounding. With truncated spectra it must equal, to rounding,
 * the solve with the factors it represents, {@code F̃ = UΛUᵀ + c(I − UUᵀ)} — the four-block formula has no further
 * approximation — and its distance to the true solve obeys the perturbation bound
 * {@code ‖x̃ − x‖ ≤ ‖∇‖·‖M − M̃‖₂/δ²}, {@code ‖M − M̃‖₂ ≤ ‖G − G̃‖₂‖A‖₂ + ‖G̃‖₂‖A − Ã‖₂}, which vanishes with the
 * discarded spectrum.
 */
class LowRankInverseTest {
    private static final Linalg LINALG = Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0));
    private static final SymmetricEigen EIGEN = SymmetricEigen.of(LINALG);

    @ParameterizedTest(name = "dOut={0} dIn={1} rG={2} rA={3} samples={4} damping={5} {6}")
    @CsvSource({
            "5, 7, 5, 7, 3, 0.01, F64",
            "12, 30, 12, 30, 50, 0.001, F64",
            "12, 30, 4, 6, 50, 0.01, F64",
            "20, 9, 3, 9, 40, 0.1, F64",
            "9, 20, 9, 2, 40, 0.001, F64",
            "1, 25, 1, 1, 30, 0.01, F64",
            "16, 24, 5, 5, 60, 0.01, F32"})
    void solvesTheDampedSystemOfTheFactorsItRepresents(int dOut, int dIn, int rG, int rA, int samples,
                                                       double damping, DType dtype) {
        long seed = 100L * dOut + dIn + rG;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = FactorInverseTest.randomPsd(dIn, samples, rng, DType.F64);
        Tensor g = FactorInverseTest.randomPsd(dOut, samples, rng, DType.F64);
        Tensor grad = Tensor.zeros(dtype, dOut, dIn);
        for (int i = 0; i < grad.size(); i++) {
            grad.set(i, rng.nextGaussian());
        }
        LowRankInverse inverse = new LowRankInverse(LINALG, (factor, dim, rows) -> tracker(dim, factor.equals("A")
                ? rA : rG, seed), dOut, dIn);
        inverse.prepare(term(dIn), term(dOut));
        inverse.update(a.to(dtype), g.to(dtype), damping);
        Tensor out = grad.zerosLike();
        inverse.precondition(grad, damping, out);

        Spectrum sa = spectrum(inverse, "A");
        Spectrum sg = spectrum(inverse, "G");
        Tensor represented = Tensor.wrap(sa.toDense(), dIn, dIn);
        Tensor representedG = Tensor.wrap(sg.toDense(), dOut, dOut);
        double[] ofRepresented = FactorInverseTest.solveDense(representedG, represented, 0, 0, damping, grad);
        double tol = dtype == DType.F64 ? 1e-9 : 2e-3;
        double rel = relative(out, ofRepresented);
        assertTrue(rel <= tol, "vs the solve with the represented factors: " + rel + " (seed " + seed + ")");

        double[] exact = FactorInverseTest.solveDense(g, a, 0, 0, damping, grad);
        double gradNorm = norm(grad);
        double bound = gradNorm * (spectralNorm(minus(g, representedG)) * spectralNorm(a)
                + spectralNorm(representedG) * spectralNorm(minus(a, represented))) / (damping * damping);
        double distance = Math.sqrt(squaredDistance(out, exact));
        assertTrue(distance <= bound * (1 + 1e-6) + tol * norm(exact), "‖x̃ − x‖ = " + distance + " > bound " + bound);
        if (rA >= dIn && rG >= dOut) {
            assertTrue(relative(out, exact) <= tol, "complete spectra: " + relative(out, exact));
        }
    }

    private static SpectrumTracker tracker(int dim, int rank, long seed) {
        return rank >= dim ? new ExactTracker(EIGEN, dim) : new RandomisedTracker(LINALG, dim, rank, 5, 2, seed);
    }

    private static Spectrum spectrum(LowRankInverse inverse, String factor) {
        // the state is the public view of the spectra: rebuild them from it
        var state = inverse.state();
        Tensor vectors = state.get(factor + ".vectors");
        Spectrum s = new Spectrum(vectors.dim(0), vectors.dim(1));
        s.restoreFrom(factor + ".", state);
        return s;
    }

    private static BatchTerm term(int d) {
        return new BatchTerm(List.of(Tensor.zeros(DType.F64, 1, d)), 1);
    }

    private static Tensor minus(Tensor x, Tensor y) {
        Tensor out = x.zerosLike();
        for (int i = 0; i < x.size(); i++) {
            out.set(i, x.get(i) - y.get(i));
        }
        return out;
    }

    private static double spectralNorm(Tensor symmetric) {
        int d = symmetric.dim(0);
        double[] values = new double[d];
        EIGEN.eigenvalues(d, symmetric.f64().clone(), 0, d, values, 0);
        return Math.max(Math.abs(values[0]), Math.abs(values[d - 1]));
    }

    private static double relative(Tensor out, double[] expected) {
        double norm = 0;
        for (double v : expected) {
            norm += v * v;
        }
        return Math.sqrt(squaredDistance(out, expected) / norm);
    }

    private static double squaredDistance(Tensor out, double[] expected) {
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(out.get(i) - expected[i], 2);
        }
        return diff;
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.get(i) * t.get(i);
        }
        return Math.sqrt(s);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
