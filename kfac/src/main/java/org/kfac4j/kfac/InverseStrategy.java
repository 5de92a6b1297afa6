package org.kfac4j.kfac;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.kfac4j.kfac.inverse.CholeskyInverse;
import org.kfac4j.kfac.inverse.ConjugateGradientInverse;
import org.kfac4j.kfac.inverse.EigenInverse;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.kfac.inverse.InverseNotApplicableException;
import org.kfac4j.kfac.inverse.LowRankInverse;
import org.kfac4j.kfac.inverse.lowrank.BrandTracker;
import org.kfac4j.kfac.inverse.lowrank.ExactTracker;
import org.kfac4j.kfac.inverse.lowrank.RandomisedTracker;
import org.kfac4j.kfac.inverse.lowrank.SpectrumTracker;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.tensor.DType;

/**
 * How a layer's damped inverse {@code (G ⊗ A + δI)⁻¹} is kept and applied: chosen for all layers or per layer in
 * {@link KfacBuilder#inverse}. Immutable values; parameters are checked at {@link KfacBuilder#build()}.
 *
 * <table>
 *   <caption>Strategies, cost per inverse update of a d×d factor (n: rows of a batch term, r: rank)</caption>
 *   <tr><th>name</th><th>what</th><th>refresh</th><th>per step</th></tr>
 *   <tr><td>{@code eigen}</td><td>full eigendecompositions, exact damping</td><td>O(d³)</td><td>4 GEMMs, d³</td></tr>
 *   <tr><td>{@code eigen-pi}</td><td>the same with the π-split damping</td><td>O(d³)</td><td>4 GEMMs</td></tr>
 *   <tr><td>{@code cholesky}</td><td>explicit π-split inverses</td><td>O(d³)</td><td>2 GEMMs</td></tr>
 *   <tr><td>{@code rs-kfac}</td><td>randomised rank-r eigendecomposition</td><td>O(d²(r+p)(q+1))</td>
 *       <td>5 GEMMs, d²r</td></tr>
 *   <tr><td>{@code b-kfac}</td><td>online Brand updates of a rank-r eigendecomposition (where r + n < d); the
 *       factor is never formed</td>
 *       <td>O(d(r+n)²) at every factor update</td><td>5 GEMMs, d²r</td></tr>
 *   <tr><td>{@code b-r-kfac}</td><td>Brand updates, RS-KFAC recomputation at each inverse update</td>
 *       <td>both</td><td>5 GEMMs</td></tr>
 *   <tr><td>{@code b-kfac-c}</td><td>Brand updates, Rayleigh–Ritz correction at each inverse update</td>
 *       <td>O(d(r+n)²) + O(d²r)</td><td>5 GEMMs</td></tr>
 *   <tr><td>{@code cg}</td><td>no inverse: conjugate gradient on (G⊗A+δI)x = ∇ each step</td><td>copy</td>
 *       <td>2 GEMMs per iteration</td></tr>
 * </table>
 * The low-rank strategies keep the mean of the discarded eigenvalues as the factor's value off the kept subspace
 * (see {@link org.kfac4j.kfac.inverse.lowrank.Spectrum}); a factor of order ≤ r (≤ r + p for RS-KFAC) is simply
 * eigendecomposed, since truncation would save nothing.
 */
public sealed interface InverseStrategy {
    /** The default rank r of the low-rank strategies. */
    int DEFAULT_RANK = 64;
    /** The default oversampling p of the randomised range finder. */
    int DEFAULT_OVERSAMPLING = 10;
    /** The default number of power iterations q of the randomised range finder. */
    int DEFAULT_POWER_ITERATIONS = 2;

    /** The name and parameters, as tables and logs show them. */
    String label();

    /** What is wrong with the parameters (empty when valid). */
    List<String> problems();

    /**
     * A new inverse of this kind for layer {@code layer}'s {@code dOut × dIn} weight (bias column included) in
     * {@code dtype}; {@code seed} drives the randomised methods (each factor gets its own stream from it and the
     * layer's name).
     */
    default FactorInverse newInverse(Linalg linalg, DType dtype, String layer, int dOut, int dIn, long seed) {
        return switch (this) {
            case Eigen e -> new EigenInverse(linalg, dtype, dOut, dIn, e.piSplit());
            case Cholesky c -> new CholeskyInverse(linalg, dtype, layer, dOut, dIn);
            case ConjugateGradient cg -> new ConjugateGradientInverse(linalg, dOut, dIn, cg.tolerance(),
                    cg.maxIterations());
            case Randomised r -> new LowRankInverse(linalg,
                    (factor, dim, rows) -> r.tracker(linalg, dim, factorSeed(seed, layer, factor)), dOut, dIn);
            case Brand b -> new LowRankInverse(linalg,
                    (factor, dim, rows) -> b.tracker(linalg, layer, factor, dim, rows,
                            factorSeed(seed, layer, factor)), dOut, dIn);
        };
    }

    /** The random stream of one factor of one layer: (optimiser seed, layer name, factor). */
    private static long factorSeed(long seed, String layer, String factor) {
        return seed ^ (layer.hashCode() * 0x9E3779B97F4A7C15L) ^ factor.hashCode();
    }

    /** Full eigendecompositions, {@code (G ⊗ A + δI)⁻¹} in the eigenbasis ("exact" damping). */
    static InverseStrategy eigen() {
        return new Eigen(false);
    }

    /** Full eigendecompositions with the π-split damping {@code (G + √δ/π I) ⊗ (A + π√δ I)}. */
    static InverseStrategy eigenPiSplit() {
        return new Eigen(true);
    }

    /** Explicit π-split inverses by Cholesky (the damping folded in at each inverse update). */
    static InverseStrategy choleskyPiSplit() {
        return new Cholesky();
    }

    /** RS-KFAC with rank r, oversampling p and q power iterations. */
    static Randomised randomised(int rank, int oversampling, int powerIterations) {
        return new Randomised(rank, oversampling, powerIterations);
    }

    /** B-KFAC: online Brand updates of a rank-r eigendecomposition, nothing at the inverse updates. */
    static Brand brand(int rank) {
        return new Brand(rank, BrandTracker.Refresh.NONE, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS, null);
    }

    /** B-R-KFAC: Brand updates, and RS-KFAC (oversampling p, q power iterations) at each inverse update. */
    static Brand brandWithRandomisedRefresh(int rank, int oversampling, int powerIterations) {
        return new Brand(rank, BrandTracker.Refresh.RANDOMISED, oversampling, powerIterations, null);
    }

    /** B-KFAC-c: Brand updates, and a Rayleigh–Ritz correction against the formed factor at each inverse update. */
    static Brand brandCorrected(int rank) {
        return new Brand(rank, BrandTracker.Refresh.RAYLEIGH_RITZ, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS,
                null);
    }

    /** CG-FAC: conjugate gradient to relative residual {@code tolerance}, at most {@code maxIterations} per step. */
    static InverseStrategy conjugateGradient(double tolerance, int maxIterations) {
        return new ConjugateGradient(tolerance, maxIterations);
    }

    /** The {@link InverseMethod} as a strategy. */
    static InverseStrategy of(InverseMethod method) {
        return switch (method) {
            case EIGEN -> eigen();
            case EIGEN_PI_SPLIT -> eigenPiSplit();
            case CHOLESKY_PI_SPLIT -> choleskyPiSplit();
        };
    }

    /** The names {@link #parse} accepts, with their default parameters. */
    Map<String, InverseStrategy> NAMED = Map.of(
            "eigen", eigen(),
            "eigen-pi", eigenPiSplit(),
            "cholesky", choleskyPiSplit(),
            "rs-kfac", randomised(DEFAULT_RANK, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS),
            "b-kfac", brand(DEFAULT_RANK),
            "b-r-kfac", brandWithRandomisedRefresh(DEFAULT_RANK, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS),
            "b-kfac-c", brandCorrected(DEFAULT_RANK),
            "cg", conjugateGradient(1e-2, 50));

    /**
     * A strategy by name ({@code eigen}, {@code eigen-pi}, {@code cholesky}, {@code rs-kfac}, {@code b-kfac},
     * {@code b-r-kfac}, {@code b-kfac-c}, {@code cg}), optionally with a rank: {@code b-kfac:128}. The Brand variants
     * parsed here fall back to {@code eigen} on factors they do not apply to (see {@link Brand#orElse}).
     */
    static InverseStrategy parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
        InverseStrategy named = NAMED.get(parts[0]);
        if (named == null) {
            throw new IllegalArgumentException("unknown inverse '" + text + "' (known: "
                    + NAMED.keySet().stream().sorted().toList() + ")");
        }
        if (parts.length == 2) {
            int rank;
            try {
                rank = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("inverse '" + text + "': the rank after ':' must be an integer");
            }
            named = switch (named) {
                case Randomised r -> randomised(rank, r.oversampling(), r.powerIterations());
                case Brand b -> new Brand(rank, b.refresh(), b.oversampling(), b.powerIterations(), null);
                default -> throw new IllegalArgumentException("inverse '" + text + "': " + parts[0]
                        + " takes no rank");
            };
        }
        return named instanceof Brand b ? b.orElse(eigen()) : named;
    }

    /** Eigen-based, exact or π-split damping. */
    record Eigen(boolean piSplit) implements InverseStrategy {
        @Override
        public String label() {
            return piSplit ? "eigen-pi" : "eigen";
        }

        @Override
        public List<String> problems() {
            return List.of();
        }
    }

    /** Cholesky-based π-split. */
    record Cholesky() implements InverseStrategy {
        @Override
        public String label() {
            return "cholesky";
        }

        @Override
        public List<String> problems() {
            return List.of();
        }
    }

    /** RS-KFAC. */
    record Randomised(int rank, int oversampling, int powerIterations) implements InverseStrategy {
        /** The tracker of one factor: a full eigendecomposition where r + p reaches d (nothing to save). */
        SpectrumTracker tracker(Linalg linalg, int dim, long seed) {
            if (rank + oversampling >= dim) {
                return new ExactTracker(SymmetricEigen.of(linalg), dim);
            }
            return new RandomisedTracker(linalg, dim, rank, oversampling, powerIterations, seed);
        }

        @Override
        public String label() {
            return "rs-kfac r=" + rank + " p=" + oversampling + " q=" + powerIterations;
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            check(out, rank >= 1, "rs-kfac rank must be >= 1, got " + rank);
            check(out, oversampling >= 0, "rs-kfac oversampling must be >= 0, got " + oversampling);
            check(out, powerIterations >= 0, "rs-kfac power iterations must be >= 0, got " + powerIterations);
            return out;
        }
    }

    /**
     * B-KFAC and its variants. Brand updates apply to a factor of order d only when r + n < d, n the rows of its
     * batch terms (K-FAC-reduce: N; expand: N·R, and N·R·samples for G): otherwise one update, O(d(r+n)²), costs as
     * much as an eigendecomposition. Such a factor is an error naming the layer, unless a {@link #orElse fallback} is
     * given; a factor of order ≤ r is simply eigendecomposed.
     */
    record Brand(int rank, BrandTracker.Refresh refresh, int oversampling, int powerIterations,
                 InverseStrategy fallback) implements InverseStrategy {
        /** The tracker of one factor, or the fallback's where Brand updates do not apply. */
        SpectrumTracker tracker(Linalg linalg, String layer, String factor, int dim, int rows, long seed) {
            if (rank >= dim) {
                return new ExactTracker(SymmetricEigen.of(linalg), dim);
            }
            if (rank + rows >= dim) {
                String why = layer + " factor " + factor + ": " + refresh.label() + " does not apply: rank " + rank
                        + " + " + rows + " rows of a batch term reach its order " + dim + ", so one Brand update "
                        + "(O(d·(r+n)²)) would cost as much as an eigendecomposition (O(d³))";
                return switch (fallback) {
                    case null -> throw new InverseNotApplicableException(why + " (K-FAC-reduce has N rows per batch "
                            + "term, expand N·R; choose eigen or rs-kfac for this layer, or give a fallback with "
                            + "orElse)");
                    case Randomised r -> r.tracker(linalg, dim, seed);
                    default -> new ExactTracker(SymmetricEigen.of(linalg), dim);
                };
            }
            return new BrandTracker(linalg, dim, rank, refresh, oversampling, powerIterations, seed);
        }

        /** This strategy, tracking the factors Brand updates do not apply to by {@code fallback} (eigen, rs-kfac). */
        public Brand orElse(InverseStrategy fallback) {
            return new Brand(rank, refresh, oversampling, powerIterations,
                    Objects.requireNonNull(fallback, "fallback"));
        }

        @Override
        public String label() {
            return refresh.label() + " r=" + rank + (refresh == BrandTracker.Refresh.RANDOMISED
                    ? " p=" + oversampling + " q=" + powerIterations : "")
                    + (fallback == null ? "" : " (else " + fallback.label() + ")");
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            check(out, rank >= 1, refresh.label() + " rank must be >= 1, got " + rank);
            check(out, oversampling >= 0, refresh.label() + " oversampling must be >= 0, got " + oversampling);
            check(out, powerIterations >= 0, refresh.label() + " power iterations must be >= 0, got "
                    + powerIterations);
            check(out, fallback == null || fallback instanceof Randomised || fallback.equals(eigen()),
                    refresh.label() + " can fall back to eigen or rs-kfac only, got " + (fallback == null ? null
                            : fallback.label()));
            if (fallback != null) {
                out.addAll(fallback.problems());
            }
            return out;
        }
    }

    /** CG-FAC. */
    record ConjugateGradient(double tolerance, int maxIterations) implements InverseStrategy {
        @Override
        public String label() {
            return String.format(Locale.ROOT, "cg tol=%g max=%d", tolerance, maxIterations);
        }

        @Override
        public List<String> problems() {
            List<String> out = new ArrayList<>();
            check(out, tolerance > 0 && tolerance < 1, "cg tolerance must be in (0, 1), got " + tolerance);
            check(out, maxIterations >= 1, "cg iteration cap must be >= 1, got " + maxIterations);
            return out;
        }
    }

    private static void check(List<String> out, boolean ok, String message) {
        if (!ok) {
            out.add(message);
        }
    }
}
