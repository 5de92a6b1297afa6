package org.kfac4j.kfac.inverse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.kfac.inverse.lowrank.KroneckerSpectra;
import org.kfac4j.kfac.inverse.lowrank.Spectrum;
import org.kfac4j.kfac.inverse.lowrank.SpectrumTracker;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The damped inverse from truncated spectra of A and G ({@link Spectrum}: leading eigenpairs plus the mean of the
 * rest), each kept by its own {@link SpectrumTracker} — randomised (RS-KFAC), online Brand updates (B-KFAC and its
 * variants) or a full eigendecomposition where a factor is small. The trackers are chosen at the first factor
 * update, when the batch terms' row counts are known. "Exact" damping, applied at every step
 * ({@link KroneckerSpectra}); computed in double.
 */
public final class LowRankInverse implements FactorInverse {
    /** Chooses a factor's tracker from its order and the rows of its batch term. */
    @FunctionalInterface
    public interface TrackerChoice {
        /**
         * The tracker of factor {@code factor} ("A" or "G") of order {@code dim}, its batch terms {@code rows} rows.
         *
         * @throws InverseNotApplicableException when the method cannot track it
         */
        SpectrumTracker choose(String factor, int dim, int rows);
    }

    private final Linalg linalg;
    private final TrackerChoice choice;
    private final int dOut;
    private final int dIn;
    private final double[] rows = new double[2];
    private SpectrumTracker a;
    private SpectrumTracker g;
    private double[] gradient;
    private double[] result;
    private KroneckerSpectra kronecker;

    /** An inverse for a {@code dOut × dIn} weight (bias column included) with trackers from {@code choice}. */
    public LowRankInverse(Linalg linalg, TrackerChoice choice, int dOut, int dIn) {
        this.linalg = linalg;
        this.choice = choice;
        this.dOut = dOut;
        this.dIn = dIn;
    }

    @Override
    public String label() {
        if (a == null) {
            return "low-rank (chosen at the first factor update)";
        }
        return a.label().equals(g.label()) ? a.label() : "A: " + a.label() + ", G: " + g.label();
    }

    @Override
    public void prepare(BatchTerm termA, BatchTerm termG) {
        if (a == null) {
            choose(termA.rows(), termG.rows());
        }
    }

    private void choose(int rowsA, int rowsG) {
        a = choice.choose("A", dIn, rowsA);
        g = choice.choose("G", dOut, rowsG);
        rows[0] = rowsA;
        rows[1] = rowsG;
        gradient = new double[dOut * dIn];
        result = new double[dOut * dIn];
        kronecker = new KroneckerSpectra(dOut, dIn, g.spectrum().capacity(), a.spectrum().capacity());
    }

    @Override
    public boolean readsA() {
        return a == null || a.formsFactor();
    }

    @Override
    public boolean readsG() {
        return g == null || g.formsFactor();
    }

    @Override
    public void observe(BatchTerm termA, BatchTerm termG, double rho) {
        a.observe(termA, rho);
        g.observe(termG, rho);
    }

    @Override
    public void update(Tensor factorA, Tensor factorG, double damping) {
        if (a == null) {
            throw new IllegalStateException("LowRankInverse: update before the first factor update");
        }
        a.refresh(factorA);
        g.refresh(factorG);
    }

    @Override
    public void precondition(Tensor grad, double damping, Tensor out) {
        if (!ready()) {
            throw new IllegalStateException("LowRankInverse: precondition before the first update");
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = grad.get(i);
        }
        kronecker.precondition(linalg, g.spectrum(), a.spectrum(), damping, gradient, result);
        if (out.dtype() == DType.F32) {
            float[] o = out.f32();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) result[i];
            }
        } else {
            System.arraycopy(result, 0, out.f64(), 0, result.length);
        }
    }

    @Override
    public boolean ready() {
        return a != null && a.ready() && g.ready();
    }

    @Override
    public double[] eigenvalueRange() {
        if (!ready()) {
            return FactorInverse.super.eigenvalueRange();
        }
        Spectrum sa = a.spectrum();
        Spectrum sg = g.spectrum();
        return new double[] {sa.smallest(), sa.largest(), sg.smallest(), sg.largest()};
    }

    @Override
    public String status() {
        return a == null ? "" : "A " + a.spectrum() + ", G " + g.spectrum();
    }

    @Override
    public boolean hasState() {
        return a != null;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("rows", Tensor.wrap(rows.clone(), 2));
        if (a != null) {
            a.spectrum().stateInto("A.", state);
            g.spectrum().stateInto("G.", state);
        }
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        Tensor r = state.get("rows");
        if (r == null || !r.hasShape(2)) {
            throw new IllegalArgumentException("inverse state 'rows': expected a 2-vector, found " + r);
        }
        choose((int) r.get(0), (int) r.get(1));
        a.spectrum().restoreFrom("A.", state);
        g.spectrum().restoreFrom("G.", state);
    }

    @Override
    public void restored() {
    }
}
