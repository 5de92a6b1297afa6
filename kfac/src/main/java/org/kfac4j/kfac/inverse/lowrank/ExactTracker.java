package org.kfac4j.kfac.inverse.lowrank;

import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.tensor.Tensor;

/** The full eigendecomposition of the formed factor at each inverse update: O(d³), nothing truncated. */
public final class ExactTracker implements SpectrumTracker {
    private final SymmetricEigen eigen;
    private final Spectrum spectrum;
    private final double[] ascending;
    private final double[] vectors;

    public ExactTracker(SymmetricEigen eigen, int dim) {
        this.eigen = eigen;
        this.spectrum = new Spectrum(dim, dim);
        this.ascending = new double[dim];
        this.vectors = new double[dim * dim];
    }

    @Override
    public Spectrum spectrum() {
        return spectrum;
    }

    @Override
    public void refresh(Tensor factor) {
        int d = spectrum.dim();
        double[] f = SpectrumTracker.dense(factor);
        eigen.decompose(d, f, 0, d, ascending, 0, vectors, 0, d);
        for (int j = 0; j < d; j++) { // descending order: column j ← solver column d-1-j
            int from = d - 1 - j;
            spectrum.values[j] = Math.max(0, ascending[from]);
            for (int r = 0; r < d; r++) {
                spectrum.vectors[r * d + j] = vectors[r * d + from];
            }
        }
        spectrum.rank = d;
        spectrum.trace = SpectrumTracker.trace(f, d);
        spectrum.continuation = 0;
        spectrum.refreshes++;
    }

    @Override
    public String label() {
        return "eigen";
    }
}
