package org.kfac4j.kfac.inverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** CG-FAC against the dense solve of {@code (G ⊗ A + δI)x = ∇}, and its iteration cap. */
class ConjugateGradientInverseTest {
    private static final Linalg LINALG = Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0));

    @ParameterizedTest(name = "dOut={0} dIn={1} samples={2} damping={3}")
    @CsvSource({"1, 1, 2, 0.1", "4, 6, 3, 0.01", "10, 17, 40, 0.001", "25, 8, 5, 0.1"})
    void convergesToTheDenseSolve(int dOut, int dIn, int samples, double damping) {
        SplittableRandom rng = new SplittableRandom(dOut * 31L + dIn);
        Tensor a = FactorInverseTest.randomPsd(dIn, samples, rng, DType.F64);
        Tensor g = FactorInverseTest.randomPsd(dOut, samples, rng, DType.F64);
        Tensor grad = gaussian(rng, dOut, dIn);
        ConjugateGradientInverse cg = new ConjugateGradientInverse(LINALG, dOut, dIn, 1e-12, 2000);
        cg.update(a, g, damping);
        Tensor out = grad.zerosLike();
        cg.precondition(grad, damping, out);
        double[] exact = FactorInverseTest.solveDense(g, a, 0, 0, damping, grad);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < exact.length; i++) {
            diff += Math.pow(out.get(i) - exact[i], 2);
            norm += exact[i] * exact[i];
        }
        // ‖x̃ − x‖/‖x‖ ≤ κ(M)·‖r‖/‖∇‖, κ(M) ≤ (‖G‖‖A‖ + δ)/δ
        assertTrue(Math.sqrt(diff / norm) <= 1e-6, "relative error " + Math.sqrt(diff / norm) + " after "
                + cg.iterations() + " iterations");
        assertTrue(cg.residual() <= 1e-12, cg.status());
        // warm-started from that solution, the same system needs no iteration at all
        cg.precondition(grad, damping, out);
        assertEquals(0, cg.iterations(), cg.status());
    }

    @Test
    void stopsAtItsCapAndReportsTheTrueResidual() {
        int dOut = 30;
        int dIn = 40;
        SplittableRandom rng = new SplittableRandom(3);
        Tensor a = FactorInverseTest.randomPsd(dIn, 100, rng, DType.F64);
        Tensor g = FactorInverseTest.randomPsd(dOut, 100, rng, DType.F64);
        Tensor grad = gaussian(rng, dOut, dIn);
        ConjugateGradientInverse cg = new ConjugateGradientInverse(LINALG, dOut, dIn, 1e-10, 3);
        cg.update(a, g, 1e-4);
        Tensor out = grad.zerosLike();
        cg.precondition(grad, 1e-4, out);
        assertEquals(3, cg.iterations());
        assertTrue(cg.residual() > 1e-10 && cg.status().contains("cap reached"), cg.status());
        // the reported residual is ‖∇ − M x‖/‖∇‖ of the returned x (recomputed from the definition)
        double rr = 0;
        double bb = 0;
        for (int i = 0; i < dOut; i++) {
            for (int j = 0; j < dIn; j++) {
                double mx = 1e-4 * out.get(i * dIn + j);
                for (int k = 0; k < dOut; k++) {
                    for (int l = 0; l < dIn; l++) {
                        mx += g.get(i * dOut + k) * out.get(k * dIn + l) * a.get(l * dIn + j);
                    }
                }
                double r = grad.get(i * dIn + j) - mx;
                rr += r * r;
                bb += grad.get(i * dIn + j) * grad.get(i * dIn + j);
            }
        }
        assertEquals(Math.sqrt(rr / bb), cg.residual(), 1e-8 * Math.sqrt(rr / bb));
    }

    private static Tensor gaussian(SplittableRandom rng, int rows, int cols) {
        Tensor t = Tensor.zeros(DType.F64, rows, cols);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextGaussian());
        }
        return t;
    }
}
