package org.kfac4j.properties.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.kfac4j.linalg.Cholesky;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.linalg.Transpose;

/**
 * The symmetric eigendecomposition and the Cholesky factorisation against their definitions, over random orders,
 * structures (dense, low-rank Gram, clustered spectra) and scales (10^±100). Bounds in units of n·ε·‖A‖_F, as
 * LAPACK's tests state them. Written from the definitions, sharing no code with simd-linalg's own tests; jqwik
 * prints the seed of a failing run.
 */
class DecompositionProperties {
    private static final double EPS = 0x1p-52;
    private static final double BOUND = 10;

    /** A symmetric test matrix of one of four structures, scaled by 10^decades. */
    private static double[] symmetric(int n, int structure, int decades, SplittableRandom rnd) {
        double[] a = new double[n * n];
        switch (structure) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        a[i * n + j] = a[j * n + i] = rnd.nextDouble(-1, 1);
                    }
                }
            }
            case 1, 2 -> {
                // XᵀX with few (1) or several rows: positive semi-definite, rank-deficient when rows < n
                int rows = structure == 1 ? 1 + rnd.nextInt(Math.max(1, n / 2)) : n + 2;
                double[] x = new double[rows * n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextGaussian();
                }
                a = gram(n, rows, x);
            }
            default -> {
                // clustered spectrum: Q·diag(λ)·Qᵀ with λ in three tight clusters
                double[] lambda = new double[n];
                for (int i = 0; i < n; i++) {
                    lambda[i] = (i % 3) + 1e-11 * rnd.nextDouble();
                }
                a = similar(n, lambda, orthogonal(n, rnd));
            }
        }
        double s = Math.pow(10, decades);
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
        return a;
    }

    @Property
    void eigenpairsSatisfyTheDefinition(@ForAll @IntRange(min = 0, max = 90) int n,
                                        @ForAll @IntRange(min = 0, max = 3) int structure,
                                        @ForAll @IntRange(min = -100, max = 100) int decades,
                                        @ForAll long seed) {
        double[] a = symmetric(n, structure, decades, new SplittableRandom(seed));
        double[] copy = a.clone();
        double[] values = new double[n];
        double[] v = new double[n * n];
        SymmetricEigen.of(Linalg.shared()).decompose(n, a, 0, Math.max(1, n), values, 0, v, 0, Math.max(1, n));
        if (!Arrays.equals(a, copy)) {
            throw new AssertionError("A was modified");
        }
        // residual and orthogonality on A / s (s a power of two near ‖A‖): exact, and free of under/overflow
        double s = Math.scalb(1.0, -Math.getExponent(Math.max(Double.MIN_NORMAL, maxAbs(a))));
        double normA = 0, residual = 0, orth = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                normA += (a[i * n + j] * s) * (a[i * n + j] * s);
                double av = 0, vv = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i * n + k] * s * v[k * n + j];
                    vv += v[k * n + i] * v[k * n + j];
                }
                residual += sq(av - v[i * n + j] * values[j] * s);
                orth += sq(vv - (i == j ? 1 : 0));
            }
            if (i > 0 && values[i] < values[i - 1]) {
                throw new AssertionError("eigenvalues not ascending at " + i);
            }
        }
        double unit = Math.max(1, n) * EPS;
        if (!(Math.sqrt(residual) <= BOUND * unit * Math.sqrt(normA))) {
            throw new AssertionError("‖AV − VΛ‖ = " + Math.sqrt(residual) / (unit * Math.sqrt(normA)) + " n·ε·‖A‖");
        }
        if (!(Math.sqrt(orth) <= BOUND * unit)) {
            throw new AssertionError("‖VᵀV − I‖ = " + Math.sqrt(orth) / unit + " n·ε");
        }
    }

    @Property
    void eigenvaluesAreInvariantUnderOrthogonalSimilarityAndSumToTheTrace(
            @ForAll @IntRange(min = 1, max = 70) int n, @ForAll @IntRange(min = 0, max = 3) int structure,
            @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = symmetric(n, structure, 0, rnd);
        double[] b = similarity(n, a, orthogonal(n, rnd));
        SymmetricEigen eig = SymmetricEigen.of(Linalg.shared());
        double[] la = new double[n], lb = new double[n];
        eig.eigenvalues(n, a, 0, n, la, 0);
        eig.eigenvalues(n, b, 0, n, lb, 0);
        double norm = Math.sqrt(frobeniusSq(a));
        double trace = 0, sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(la[i] - lb[i]) <= 2 * BOUND * n * EPS * norm)) {
                throw new AssertionError("λ" + i + ": " + la[i] + " vs " + lb[i] + " after Q·A·Qᵀ");
            }
            trace += a[i * n + i];
            sum += la[i];
            sumSq += la[i] * la[i];
        }
        if (!(Math.abs(trace - sum) <= BOUND * n * EPS * norm * Math.sqrt(n))) {
            throw new AssertionError("Σλ = " + sum + ", trace = " + trace);
        }
        if (!(Math.abs(sumSq - norm * norm) <= BOUND * n * EPS * norm * norm)) {
            throw new AssertionError("Σλ² = " + sumSq + ", ‖A‖² = " + norm * norm);
        }
    }

    @Property
    void syrkOutputIsPositiveSemidefinite(@ForAll @IntRange(min = 1, max = 60) int n,
                                          @ForAll @IntRange(min = 1, max = 80) int rows, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] c = new double[n * n];
        Linalg.shared().dsyrk(Transpose.T, n, rows, 1.0, x, 0, n, 0.0, c, 0, n);
        double[] values = new double[n];
        SymmetricEigen.of(Linalg.shared()).eigenvalues(n, c, 0, n, values, 0);
        double norm = Math.sqrt(frobeniusSq(c));
        if (!(values[0] >= -BOUND * n * EPS * norm)) {
            throw new AssertionError("XᵀX has eigenvalue " + values[0] + " (‖XᵀX‖ = " + norm + ")");
        }
    }

    @Property
    void choleskyFactorsAndSolvesWithinTheBackwardErrorBound(@ForAll @IntRange(min = 0, max = 300) int n,
                                                             @ForAll @IntRange(min = 1, max = 5) int nrhs,
                                                             @ForAll @IntRange(min = -6, max = 0) int logShift,
                                                             @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[(n + 1) * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] a = gram(n, n + 1, x);
        double shift = Math.pow(10, logShift) * n;
        for (int i = 0; i < n; i++) {
            a[i * n + i] += shift;
        }
        int ld = Math.max(1, n);
        double[] l = a.clone();
        Cholesky chol = Cholesky.of(Linalg.shared());
        chol.factor(n, l, 0, ld);
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p <= j; p++) {
                    s += l[i * n + p] * l[j * n + p];
                }
                err += sq(s - a[i * n + j]) * (i == j ? 1 : 2);
            }
            for (int j = i + 1; j < n; j++) {
                if (l[i * n + j] != a[i * n + j]) {
                    throw new AssertionError("upper triangle written at (" + i + ", " + j + ")");
                }
            }
        }
        double normA = Math.sqrt(frobeniusSq(a));
        if (!(Math.sqrt(err) <= BOUND * Math.max(1, n) * EPS * normA)) {
            throw new AssertionError("‖LLᵀ − A‖ = " + Math.sqrt(err) / (Math.max(1, n) * EPS * normA) + " n·ε·‖A‖");
        }
        double[] b = new double[n * nrhs];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextDouble(-1, 1);
        }
        double[] sol = b.clone();
        chol.solve(n, nrhs, l, 0, ld, sol, 0, nrhs);
        double res = 0, normX = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nrhs; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += a[i * n + p] * sol[p * nrhs + j];
                }
                res += sq(s - b[i * nrhs + j]);
                normX += sq(sol[i * nrhs + j]);
            }
        }
        if (!(Math.sqrt(res) <= BOUND * Math.max(1, n) * EPS * normA * Math.sqrt(normX))) {
            throw new AssertionError("‖AX − B‖ = " + Math.sqrt(res) + " with ‖A‖‖X‖ = " + normA * Math.sqrt(normX));
        }
    }

    private static double[] gram(int n, int rows, double[] x) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += x[r * n + i] * x[r * n + j];
                }
                a[i * n + j] = a[j * n + i] = s;
            }
        }
        return a;
    }

    /** Q from n Householder reflectors with Gaussian vectors: Haar-like orthogonal. */
    private static double[] orthogonal(int n, SplittableRandom rnd) {
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        double[] v = new double[n];
        for (int r = 0; r < n; r++) {
            double vv = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
                vv += v[i] * v[i];
            }
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += q[i * n + k] * v[k];
                }
                for (int k = 0; k < n; k++) {
                    q[i * n + k] -= 2 * dot / vv * v[k];
                }
            }
        }
        return q;
    }

    private static double[] similar(int n, double[] lambda, double[] q) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * lambda[k] * q[j * n + k];
                }
                a[i * n + j] = a[j * n + i] = s;
            }
        }
        return a;
    }

    /** Q·A·Qᵀ, symmetrised. */
    private static double[] similarity(int n, double[] a, double[] q) {
        double[] qa = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * a[k * n + j];
                }
                qa[i * n + j] = s;
            }
        }
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += qa[i * n + k] * q[j * n + k];
                }
                b[i * n + j] = b[j * n + i] = s;
            }
        }
        return b;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double frobeniusSq(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return s;
    }

    private static double sq(double x) {
        return x * x;
    }
}
