package org.kfac4j.kfac.inverse.lowrank;

import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * How one Kronecker factor's {@link Spectrum} is kept: recomputed from the formed factor at each inverse update
 * ({@link ExactTracker}, {@link RandomisedTracker}), or updated online from each batch term
 * ({@link BrandTracker}). Not thread-safe.
 */
public sealed interface SpectrumTracker permits ExactTracker, RandomisedTracker, BrandTracker {
    /** The spectrum as last refreshed or updated (a live view). */
    Spectrum spectrum();

    /** Whether {@link #refresh} reads the formed moving-average factor (else it need not be accumulated at all). */
    default boolean formsFactor() {
        return true;
    }

    /**
     * Folds a batch term into the tracked moving average {@code F ← ρF + (1 − ρ)F_batch}; trackers that refresh from
     * the formed factor ignore it.
     */
    default void observe(BatchTerm term, double rho) {
    }

    /** The inverse update, from the formed factor when {@link #formsFactor()} (else {@code factor} is not read). */
    void refresh(Tensor factor);

    /** Whether a spectrum exists to precondition with. */
    default boolean ready() {
        return spectrum().refreshes() > 0;
    }

    /** The method as the registration table shows it, e.g. {@code b-kfac r=64}. */
    String label();

    /** The factor as a dense row-major double matrix. */
    static double[] dense(Tensor f) {
        if (f.dtype() == DType.F64) {
            return f.f64().clone();
        }
        float[] v = f.f32();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** The trace of a dense d×d matrix. */
    static double trace(double[] f, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += f[i * d + i];
        }
        return t;
    }
}
