package org.kfac4j.kfac.inverse;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Every preconditioner against the dense definition: {@code vec ΔW = M⁻¹ vec ∇W} with the Kronecker matrix M formed
 * explicitly over the row-major flattening ({@code M[(i,j),(k,l)] = G[i,k]·A[j,l]}) and solved by Gaussian
 * elimination. M = G ⊗ A + δI for exact damping, (G + √δ/π I) ⊗ (A + π√δ I) for the π-split. Factors are random
 * PSD matrices, rank-deficient when the sample count is below the dimension (the damping carries them). Tolerance:
 * relative error 1e-9 in double, 2e-3 in float, for condition numbers of M up to ~1e4.
 */
class FactorInverseTest {
    private static final Linalg LINALG = Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0));

    @ParameterizedTest(name = "dOut={0} dIn={1} samples={2} damping={3} {4}")
    @CsvSource({
            "1, 1, 3, 0.1, F64",
            "3, 5, 2, 0.01, F64",
            "17, 9, 40, 0.001, F64",
            "33, 65, 20, 0.01, F64",
            "8, 30, 100, 0.01, F32",
            "1, 40, 5, 0.1, F32"})
    void preconditionersSolveTheDampedKroneckerSystem(int dOut, int dIn, int samples, double damping, DType dtype) {
        long seed = 1000L * dOut + dIn + samples;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = randomPsd(dIn, samples, rng, dtype);
        Tensor g = randomPsd(dOut, samples, rng, dtype);
        Tensor grad = Tensor.zeros(dtype, dOut, dIn);
        for (int i = 0; i < grad.size(); i++) {
            grad.set(i, rng.nextGaussian());
        }
        double tol = dtype == DType.F64 ? 1e-9 : 2e-3;
        double pi = FactorInverse.pi(a, g);
        double[] exact = solveDense(g, a, 0, 0, damping, grad);
        double[] split = solveDense(g, a, Math.sqrt(damping) / pi, pi * Math.sqrt(damping), 0, grad);

        check("eigen, exact damping, seed " + seed, new EigenInverse(LINALG, dtype, dOut, dIn, false), a, g, damping,
                grad, exact, tol);
        check("eigen, π-split, seed " + seed, new EigenInverse(LINALG, dtype, dOut, dIn, true), a, g, damping, grad,
                split, tol);
        check("Cholesky, π-split, seed " + seed, new CholeskyInverse(LINALG, dtype, "layer", dOut, dIn), a, g, damping,
                grad, split, tol);
    }

    private static void check(String what, FactorInverse inverse, Tensor a, Tensor g, double damping, Tensor grad,
                              double[] expected, double tol) {
        inverse.update(a, g, damping);
        Tensor out = grad.zerosLike();
        inverse.precondition(grad, damping, out);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(out.get(i) - expected[i], 2);
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff / norm);
        assertTrue(rel <= tol, what + ": relative error " + rel + " > " + tol);
    }

    @Test
    void theEigenPreconditionerAppliesANewDampingWithoutANewDecomposition() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor a = randomPsd(6, 10, rng, DType.F64);
        Tensor g = randomPsd(4, 10, rng, DType.F64);
        Tensor grad = Tensor.zeros(DType.F64, 4, 6);
        for (int i = 0; i < grad.size(); i++) {
            grad.set(i, rng.nextGaussian());
        }
        EigenInverse inverse = new EigenInverse(LINALG, DType.F64, 4, 6, false);
        inverse.update(a, g, 1.0);
        Tensor out = grad.zerosLike();
        inverse.precondition(grad, 0.05, out);
        double[] expected = solveDense(g, a, 0, 0, 0.05, grad);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(out.get(i) - expected[i]) <= 1e-9 * Math.abs(expected[i]) + 1e-12, "element " + i);
        }
    }

    @Test
    void aFactorThatIsNotPositiveDefiniteIsNamed() {
        Tensor a = Tensor.zeros(DType.F64, 3, 3);
        a.set(0, 1);
        a.set(4, -5); // indefinite: no damping of 1e-4 repairs it
        a.set(8, 1);
        Tensor g = Tensor.zeros(DType.F64, 2, 2);
        g.set(0, 1);
        g.set(3, 1);
        FactorNotPositiveDefiniteException e = assertThrows(FactorNotPositiveDefiniteException.class,
                () -> new CholeskyInverse(LINALG, DType.F64, "fc1", 2, 3).update(a, g, 1e-4));
        assertTrue(e.getMessage().contains("fc1") && e.getMessage().contains("factor A")
                && e.getMessage().contains("pivot 1"), e.getMessage());
    }

    /** XᵀX / samples for a samples × n Gaussian X: PSD, of rank min(n, samples). */
    static Tensor randomPsd(int n, int samples, SplittableRandom rng, DType dtype) {
        double[][] x = new double[samples][n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        Tensor f = Tensor.zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (double[] row : x) {
                    s += row[i] * row[j];
                }
                f.set(i * n + j, s / samples);
            }
        }
        return f;
    }

    /** Solves ((G + γ_G I) ⊗ (A + γ_A I) + δI) x = vec(grad) densely (Gaussian elimination, partial pivoting). */
    static double[] solveDense(Tensor g, Tensor a, double gammaG, double gammaA, double delta, Tensor grad) {
        int p = g.dim(0);
        int q = a.dim(0);
        int n = p * q;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                for (int k = 0; k < p; k++) {
                    for (int l = 0; l < q; l++) {
                        double gv = g.get(i * p + k) + (i == k ? gammaG : 0);
                        double av = a.get(j * q + l) + (j == l ? gammaA : 0);
                        m[i * q + j][k * q + l] = gv * av + (i * q + j == k * q + l ? delta : 0);
                    }
                }
                m[i * q + j][n] = grad.get(i * q + j);
            }
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
