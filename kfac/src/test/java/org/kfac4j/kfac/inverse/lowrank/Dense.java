package org.kfac4j.kfac.inverse.lowrank;

import java.util.SplittableRandom;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.linalg.SymmetricEigen;

/** Dense reference arithmetic for the low-rank tests: definitions, written out, on row-major d×d doubles. */
final class Dense {
    static final Linalg LINALG = Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0));
    static final SymmetricEigen EIGEN = SymmetricEigen.of(LINALG);

    private Dense() {
    }

    /** {@code f ← ρ f + CᵀC} for C (n × d). */
    static void movingAverage(double[] f, double rho, double[] c, int n, int d) {
        for (int i = 0; i < d * d; i++) {
            f[i] *= rho;
        }
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    f[i * d + j] += c[r * d + i] * c[r * d + j];
                }
            }
        }
    }

    /** n × d rows whose covariance has a spectrum decaying like {@code decay^j} (a realistic factor's shape). */
    static double[] rows(SplittableRandom rng, int n, int d, double decay) {
        double[] c = new double[n * d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                c[r * d + j] = rng.nextGaussian() * Math.pow(decay, j / 2.0);
            }
        }
        return c;
    }

    /** Eigenvalues, descending. */
    static double[] eigenvalues(double[] f, int d) {
        double[] ascending = new double[d];
        EIGEN.eigenvalues(d, f.clone(), 0, d, ascending, 0);
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = ascending[d - 1 - i];
        }
        return out;
    }

    static double[] minus(double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - y[i];
        }
        return out;
    }

    static double frobenius(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static double trace(double[] f, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += f[i * d + i];
        }
        return t;
    }
}
