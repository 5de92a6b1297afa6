package org.kfac4j.kfac.inverse.lowrank;

import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.Tensor;

/**
 * B-KFAC (Puiu, "Brand New K-FACs"): the moving average {@code F ← ρF + (1 − ρ)·s·XᵀX} tracked as a truncated
 * eigendecomposition {@code U Λ Uᵀ} and updated online by Brand's method, never forming F. With
 * {@code C = √((1−ρ)s)·X} (n × d):
 * <ol>
 *   <li>coefficients on the kept basis, {@code P = C U};</li>
 *   <li>an orthonormal basis Q (m × d, m ≤ n) of what C adds outside span(U) ({@link OrthonormalRows});</li>
 *   <li>the small (k+m)² problem {@code M = ρ·diag(Λ, 0) + BᵀB}, {@code B = [CU | CQᵀ]}: F restricted to
 *       span(U, Q), which holds the whole update;</li>
 *   <li>{@code M = V diag(μ) Vᵀ}, {@code U ← [U | Qᵀ] V_top}, {@code Λ ← μ_top}, truncated to r.</li>
 * </ol>
 * O(d·(r+n)²) per update: linear in d. The trace is tracked exactly ({@code tr F ← ρ tr F + ‖C‖²}), which gives
 * the continuation of the truncated spectrum.
 *
 * <p>The variants differ in what the inverse update does: nothing ({@link Refresh#NONE}, B-KFAC); a randomised
 * recomputation from the formed factor ({@link Refresh#RANDOMISED}, B-R-KFAC), which resets the truncation error
 * the online updates accumulate; or a Rayleigh–Ritz correction on the formed factor ({@link Refresh#RAYLEIGH_RITZ},
 * B-KFAC-c: {@code Λ, U ← eig(UᵀFU)} rotated within span(U), and c from the true trace), O(d²r). The two
 * refreshing variants need the formed factor, and so its O(d²n) accumulation.
 */
public final class BrandTracker implements SpectrumTracker {
    /** What the inverse update does on top of the online updates. */
    public enum Refresh {
        NONE("b-kfac"), RANDOMISED("b-r-kfac"), RAYLEIGH_RITZ("b-kfac-c");

        private final String label;

        Refresh(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Linalg linalg;
    private final Spectrum spectrum;
    private final Refresh refresh;
    private final int oversampling;
    private final int powerIterations;
    private final long seed;

    /**
     * Tracks a {@code dim × dim} factor keeping {@code rank} pairs; {@code oversampling}, {@code powerIterations} and
     * {@code seed} are those of the randomised refresh (read only with {@link Refresh#RANDOMISED}).
     */
    public BrandTracker(Linalg linalg, int dim, int rank, Refresh refresh, int oversampling,
                        int powerIterations, long seed) {
        this.linalg = linalg;
        this.spectrum = new Spectrum(dim, rank);
        this.refresh = refresh;
        this.oversampling = oversampling;
        this.powerIterations = powerIterations;
        this.seed = seed;
    }

    @Override
    public Spectrum spectrum() {
        return spectrum;
    }

    @Override
    public boolean formsFactor() {
        return refresh != Refresh.NONE;
    }

    @Override
    public void observe(BatchTerm term, double rho) {
        int d = spectrum.dim();
        if (term.dim() != d) {
            throw new IllegalArgumentException("batch term of order " + term.dim() + " for a factor of order " + d);
        }
        update(term.scaledRows(1 - rho), term.rows(), rho);
    }

    /** One Brand update {@code F ← ρ·F + CᵀC} with the n × d rows {@code c}. */
    void update(double[] c, int n, double rho) {
        int d = spectrum.dim();
        // ρ = 0 (the first update): the old spectrum carries no weight
        int k = spectrum.updates + spectrum.refreshes == 0 || rho == 0 ? 0 : spectrum.rank;
        spectrum.rank = k;
        double added = 0;
        for (double v : c) {
            added += v * v;
        }
        double trace = (k == 0 ? 0 : rho * spectrum.trace) + added;
        OrthonormalRows.Basis q = OrthonormalRows.of(linalg, c.clone(), n, d, spectrum, trace);
        int m = q.m();
        int b = k + m;
        if (b == 0) { // an all-zero term on an empty spectrum: nothing to track yet
            spectrum.trace = trace;
            spectrum.continueFromTrace();
            spectrum.updates++;
            return;
        }
        // B = [C U | C Qᵀ] (n × b): the coefficients of C's rows on the basis [U | Qᵀ]
        double[] coefficients = new double[n * b];
        if (k > 0) {
            linalg.dgemm(Transpose.N, Transpose.N, n, k, d, 1, c, 0, d, spectrum.vectors, 0, spectrum.capacity(), 0,
                    coefficients, 0, b);
        }
        if (m > 0) {
            linalg.dgemm(Transpose.N, Transpose.T, n, m, d, 1, c, 0, d, q.q(), 0, d, 0, coefficients, k, b);
        }
        double[] small = new double[b * b];
        linalg.dgemm(Transpose.T, Transpose.N, b, b, n, 1, coefficients, 0, b, coefficients, 0, b, 0, small, 0, b);
        for (int i = 0; i < k; i++) {
            small[i * b + i] += rho * spectrum.values[i];
        }
        // the basis [U | Qᵀ] as one d × b matrix
        double[] basis = new double[d * b];
        for (int r = 0; r < d; r++) {
            System.arraycopy(spectrum.vectors, r * spectrum.capacity(), basis, r * b, k);
            for (int j = 0; j < m; j++) {
                basis[r * b + k + j] = q.q()[j * d + r];
            }
        }
        spectrum.assignFromBasis(linalg, basis, Transpose.N, b, b, small);
        spectrum.trace = trace;
        spectrum.continueFromTrace();
        spectrum.updates++;
    }

    @Override
    public void refresh(Tensor factor) {
        switch (refresh) {
            case NONE -> {
            }
            case RANDOMISED -> RandomisedTracker.refresh(linalg, spectrum, SpectrumTracker.dense(factor),
                    oversampling, powerIterations, seed);
            case RAYLEIGH_RITZ -> rayleighRitz(SpectrumTracker.dense(factor));
        }
    }

    /** {@code U ← U·V}, {@code Λ ← μ} from {@code UᵀFU = V diag(μ) Vᵀ}; c from the true trace. */
    private void rayleighRitz(double[] f) {
        int d = spectrum.dim();
        int k = spectrum.rank;
        if (k > 0) {
            double[] u = new double[d * k];
            for (int r = 0; r < d; r++) {
                System.arraycopy(spectrum.vectors, r * spectrum.capacity(), u, r * k, k);
            }
            double[] fu = new double[d * k];
            linalg.dgemm(Transpose.N, Transpose.N, d, k, d, 1, f, 0, d, u, 0, k, 0, fu, 0, k);
            double[] small = new double[k * k];
            linalg.dgemm(Transpose.T, Transpose.N, k, k, d, 1, u, 0, k, fu, 0, k, 0, small, 0, k);
            spectrum.assignFromBasis(linalg, u, Transpose.N, k, k, small);
        }
        spectrum.trace = SpectrumTracker.trace(f, d);
        spectrum.continueFromTrace();
        spectrum.refreshes++;
    }

    @Override
    public boolean ready() {
        return spectrum.updates > 0 || spectrum.refreshes > 0;
    }

    @Override
    public String label() {
        return refresh.label() + " r=" + spectrum.capacity();
    }
}
