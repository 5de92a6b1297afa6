package org.kfac4j.properties.kfac;

import static org.kfac4j.properties.kfac.DenseReference.kron;
import static org.kfac4j.properties.kfac.DenseReference.norm;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.kfac4j.kfac.inverse.CholeskyInverse;
import org.kfac4j.kfac.inverse.EigenInverse;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The Kronecker algebra K-FAC's preconditioning rests on, against dense Kronecker products: the two-sided product
 * identity, and every factor inverse against a dense solve. Factors are random positive semi-definite Gram matrices of
 * any rank (1-sized, rank-deficient, full), scaled over decades; damping over six decades relative to them. Error
 * bounds are the backward-stable solve's, c·n·ε·κ with κ the damped system's condition number.
 */
class PreconditionerProperties {
    private static final double EPS = 0x1p-52;

    /** (G ⊗ A)·vec(X) = vec(G·X·Aᵀ) with row-major vec (kfac-math.md's flattening); column-major it reads (A ⊗ G)·vec(X). */
    @Property
    void kroneckerProductIsATwoSidedProduct(@ForAll @IntRange(min = 1, max = 20) int p,
                                            @ForAll @IntRange(min = 1, max = 20) int q, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] g = gaussian(rnd, p * p);
        double[] a = gaussian(rnd, q * q);
        double[] x = gaussian(rnd, p * q);
        double[] dense = DenseReference.times(kron(g, p, a, q), p * q, x);
        Linalg la = Linalg.shared();
        double[] xat = new double[p * q];
        la.dgemm(Transpose.N, Transpose.T, p, q, q, 1, x, 0, q, a, 0, q, 0, xat, 0, q);
        double[] gxat = new double[p * q];
        la.dgemm(Transpose.N, Transpose.N, p, q, p, 1, g, 0, p, xat, 0, q, 0, gxat, 0, q);
        double bound = 4 * (p + q) * EPS * norm(g) * norm(x) * norm(a);
        if (!(DenseReference.distance(gxat, dense) <= bound)) {
            throw new AssertionError("G·X·Aᵀ is " + DenseReference.distance(gxat, dense) + " from (G ⊗ A)·vec(X), bound "
                    + bound);
        }
    }

    /** The eigen preconditioner with exact damping: Q_G[(Q_Gᵀ ∇W Q_A) ⊘ (λ_G λ_Aᵀ + δ)]Q_Aᵀ = (G ⊗ A + δI)⁻¹ vec(∇W). */
    @Property
    void dampedEigenPreconditionerEqualsADenseSolve(
            @ForAll @IntRange(min = 1, max = 14) int dOut, @ForAll @IntRange(min = 1, max = 14) int dIn,
            @ForAll @IntRange(min = 1, max = 20) int rowsG, @ForAll @IntRange(min = 1, max = 20) int rowsA,
            @ForAll @IntRange(min = -3, max = 3) int scaleDecades, @ForAll @IntRange(min = -6, max = 0) int dampingDecades,
            @ForAll long seed) {
        Problem p = Problem.random(dOut, dIn, rowsG, rowsA, scaleDecades, dampingDecades, seed);
        double[] system = kron(p.g, dOut, p.a, dIn);
        int n = dOut * dIn;
        for (int i = 0; i < n; i++) {
            system[i * n + i] += p.damping;
        }
        double kappa = (norm(p.g) * norm(p.a) + p.damping) / p.damping;
        assertSolves(new EigenInverse(Linalg.shared(), DType.F64, dOut, dIn, false), p, system, kappa);
    }

    /** The π-split inverses, by eigendecomposition and by Cholesky: (G + (√δ/π)I)⁻¹ ∇W (A + π√δ I)⁻¹. */
    @Property
    void piSplitPreconditionersEqualADenseSolve(
            @ForAll @IntRange(min = 1, max = 14) int dOut, @ForAll @IntRange(min = 1, max = 14) int dIn,
            @ForAll @IntRange(min = 1, max = 20) int rowsG, @ForAll @IntRange(min = 1, max = 20) int rowsA,
            @ForAll @IntRange(min = -3, max = 3) int scaleDecades, @ForAll @IntRange(min = -6, max = 0) int dampingDecades,
            @ForAll boolean cholesky, @ForAll long seed) {
        Problem p = Problem.random(dOut, dIn, rowsG, rowsA, scaleDecades, dampingDecades, seed);
        // π from its definition: sqrt((tr A / dim A) / (tr G / dim G))
        double pi = Math.sqrt(trace(p.a, dIn) / dIn / (trace(p.g, dOut) / dOut));
        double[] gShifted = shifted(p.g, dOut, Math.sqrt(p.damping) / pi);
        double[] aShifted = shifted(p.a, dIn, pi * Math.sqrt(p.damping));
        double[] system = kron(gShifted, dOut, aShifted, dIn);
        // the shifted factors' smallest eigenvalues multiply to at least (√δ/π)(π√δ) = δ
        double kappa = norm(gShifted) * norm(aShifted) / p.damping;
        FactorInverse inverse = cholesky
                ? new CholeskyInverse(Linalg.shared(), DType.F64, "layer", dOut, dIn)
                : new EigenInverse(Linalg.shared(), DType.F64, dOut, dIn, true);
        assertSolves(inverse, p, system, kappa);
    }

    /** Factors G (dOut²) and A (dIn²), a damping and a gradient (dOut × dIn), drawn for one try. */
    private record Problem(int dOut, int dIn, double[] g, double[] a, double damping, double[] grad) {
        /** G and A Gram matrices scaled by 10^±scaleDecades, damping in [1, 2)·10^dampingDecades. */
        static Problem random(int dOut, int dIn, int rowsG, int rowsA, int scaleDecades, int dampingDecades,
                              long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double scale = Math.pow(10, scaleDecades);
            double[] g = gram(rnd, rowsG, dOut, scale);
            double[] a = gram(rnd, rowsA, dIn, 1 / scale);
            double damping = Math.pow(10, dampingDecades) * (1 + rnd.nextDouble());
            return new Problem(dOut, dIn, g, a, damping, gaussian(rnd, dOut * dIn));
        }
    }

    private static void assertSolves(FactorInverse inverse, Problem p, double[] system, double kappa) {
        int dOut = p.dOut;
        int dIn = p.dIn;
        double[] grad = p.grad;
        inverse.update(Tensor.wrap(p.a.clone(), dIn, dIn), Tensor.wrap(p.g.clone(), dOut, dOut), p.damping);
        Tensor out = Tensor.zeros(DType.F64, dOut, dIn);
        inverse.precondition(Tensor.wrap(grad.clone(), dOut, dIn), p.damping, out);
        double[] expected = DenseReference.solve(system, dOut * dIn, grad);
        double error = DenseReference.relativeError(out.f64(), expected);
        double bound = 100 * (dOut + dIn) * EPS * kappa;
        if (!(error <= bound)) {
            throw new AssertionError(inverse.getClass().getSimpleName() + ": relative error " + error
                    + " against the dense solve, bound " + bound + " (κ = " + kappa + ")");
        }
    }

    /** (scale / rows)·XᵀX for X rows × n standard normal: positive semi-definite, of rank min(rows, n). */
    private static double[] gram(SplittableRandom rnd, int rows, int n, double scale) {
        double[] x = gaussian(rnd, rows * n);
        double[] f = new double[n * n];
        for (int k = 0; k < rows; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    f[i * n + j] += scale / rows * x[k * n + i] * x[k * n + j];
                }
            }
        }
        return f;
    }

    private static double[] shifted(double[] f, int n, double shift) {
        double[] s = f.clone();
        for (int i = 0; i < n; i++) {
            s[i * n + i] += shift;
        }
        return s;
    }

    private static double trace(double[] f, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += f[i * n + i];
        }
        return t;
    }

    private static double[] gaussian(SplittableRandom rnd, int size) {
        double[] v = new double[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
