package org.kfac4j.kfac;

import org.kfac4j.kfac.factor.GradientPasses;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** One registered layer's K-FAC state: its factors, their inverse, the gradient scratch and the timings. */
final class PreconditionedLayer {
    final KfacLayer layer;
    final Approximation override;
    final InverseStrategy strategy;
    private final int dOut;
    private final int dIn;
    private final boolean bias;
    private KroneckerFactors factors;
    private FactorInverse inverse;
    private Tensor gradient;
    private Tensor step;
    private int positions;
    private double damping = Double.NaN;
    private long accumulationNanos;
    private long decompositionNanos;
    private long preconditionNanos;

    PreconditionedLayer(KfacLayer layer, Approximation override, InverseStrategy strategy) {
        this.layer = layer;
        this.override = override;
        this.strategy = strategy;
        this.dOut = layer.outputDim();
        this.bias = layer.bias().isPresent();
        this.dIn = layer.inputDim() + (bias ? 1 : 0);
    }

    boolean initialised() {
        return factors != null;
    }

    /** Creates the factors and the inverse once the approximation is known (at the first factor update). */
    void initialise(Approximation approximation, Linalg linalg, DType dtype, long seed) {
        factors = new KroneckerFactors(layer, approximation, dtype);
        inverse = strategy.newInverse(linalg, dtype, layer.name(), dOut, dIn, seed);
        gradient = Tensor.zeros(dtype, dOut, dIn);
        step = Tensor.zeros(dtype, dOut, dIn);
    }

    KroneckerFactors factors() {
        return factors;
    }

    FactorInverse inverse() {
        return inverse;
    }

    /** Folds this batch into the factors and the inverse ({@code KroneckerFactors.update} with the inverse). */
    void accumulate(Linalg linalg, Captures captures, GradientPasses passes, double rho) {
        long start = System.nanoTime();
        LayerCapture capture = captures.of(layer);
        int r = 0;
        for (int call = 0; call < capture.calls(); call++) {
            int[] segments = capture.segments(call);
            for (int n = 0; n + 1 < segments.length; n++) {
                r = Math.max(r, segments[n + 1] - segments[n]);
            }
        }
        positions = r;
        factors.update(linalg, captures, passes, rho, inverse);
        accumulationNanos += System.nanoTime() - start;
    }

    /** Recomputes the inverse from the current factors, after checking them for NaN and Inf. */
    void decompose(double damping) {
        long start = System.nanoTime();
        requireFinite("factor A", factors.a());
        requireFinite("factor G", factors.g());
        inverse.update(factors.a(), factors.g(), damping);
        decompositionNanos += System.nanoTime() - start;
    }

    /** Computes the preconditioned gradient into the scratch; returns ⟨∇W, ΔW⟩ for the KL clip. */
    double precondition(double damping) {
        long start = System.nanoTime();
        this.damping = damping;
        Tensor g = gatherGradient();
        inverse.precondition(g, damping, step);
        double dot = dot(g, step);
        if (!Double.isFinite(dot)) { // NaN or Inf anywhere in the gradient reaches the sum: only then look for it
            requireFinite("gradient", g);
            requireFinite("preconditioned gradient", step);
        }
        preconditionNanos += System.nanoTime() - start;
        return dot;
    }

    private static double dot(Tensor x, Tensor y) {
        double sum = 0;
        if (x.dtype() == DType.F32) {
            float[] a = x.f32();
            float[] b = y.f32();
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
        } else {
            double[] a = x.f64();
            double[] b = y.f64();
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
        }
        return sum;
    }

    /** Writes {@code scale · ΔW} over the weight's (and bias's) gradient. */
    void writeBack(double scale) {
        if (scale != 1) {
            scaleInPlace(step, scale);
        }
        Tensor w = layer.weightGradMatrix();
        int dw = layer.inputDim();
        if (!bias) {
            w.copyFrom(step);
            return;
        }
        Tensor b = layer.bias().orElseThrow().grad();
        Object from = step.dtype() == DType.F32 ? step.f32() : step.f64();
        Object to = w.dtype() == DType.F32 ? w.f32() : w.f64();
        for (int i = 0; i < dOut; i++) {
            System.arraycopy(from, i * dIn, to, i * dw, dw);
            b.set(i, step.get(i * dIn + dw));
        }
    }

    private static void scaleInPlace(Tensor t, double s) {
        if (t.dtype() == DType.F32) {
            float[] a = t.f32();
            float f = (float) s;
            for (int i = 0; i < a.length; i++) {
                a[i] *= f;
            }
        } else {
            double[] a = t.f64();
            for (int i = 0; i < a.length; i++) {
                a[i] *= s;
            }
        }
    }

    /** [∇W | ∇b] as one {@code D_out × D_in'} matrix (the weight gradient itself when there is no bias). */
    private Tensor gatherGradient() {
        Tensor w = layer.weightGradMatrix();
        if (!bias) {
            return w;
        }
        Tensor b = layer.bias().orElseThrow().grad();
        int dw = layer.inputDim();
        Object from = w.dtype() == DType.F32 ? w.f32() : w.f64();
        Object to = gradient.dtype() == DType.F32 ? gradient.f32() : gradient.f64();
        for (int i = 0; i < dOut; i++) {
            System.arraycopy(from, i * dw, to, i * dIn, dw);
            gradient.set(i * dIn + dw, b.get(i));
        }
        return gradient;
    }

    private void requireFinite(String what, Tensor m) {
        int bad = m.firstNonFinite();
        if (bad >= 0) {
            int cols = m.dim(-1);
            throw new NonFiniteFactorException(layer.name(), what, bad / cols, bad % cols, m.get(bad));
        }
    }

    LayerDiagnostics diagnostics() {
        double[] range = inverse == null ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                : inverse.eigenvalueRange();
        return new LayerDiagnostics(layer.name(), factors == null ? override : factors.approximation(), positions,
                new double[] {range[0], range[1]}, new double[] {range[2], range[3]}, damping,
                factors == null ? 0 : factors.updates(), inverseLabel() + (inverse == null || inverse.status().isEmpty()
                ? "" : " [" + inverse.status() + "]"), accumulationNanos, decompositionNanos, preconditionNanos);
    }

    private String inverseLabel() {
        return inverse == null ? strategy.label() : inverse.label();
    }

    /** The table row: layer, kind, approximation, R, factor shapes, inverse. */
    String[] registrationRow() {
        String approximation = factors != null ? factors.approximation().label()
                : override != null ? override.label() : "auto";
        return new String[] {layer.name(), layer.getClass().getSimpleName(), approximation,
                positions == 0 ? "?" : Integer.toString(positions), dIn + "×" + dIn, dOut + "×" + dOut, inverseLabel()};
    }
}
