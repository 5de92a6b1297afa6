package org.kfac4j.kfac.inverse;

import java.util.Locale;
import java.util.Map;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * CG-FAC: no factor inverse at all. Each step solves {@code (G ⊗ A + δI) vec X = vec ∇W}, i.e.
 * {@code G X A + δX = ∇W} (row-major, A and G symmetric), by conjugate gradient with Kronecker matrix-vector
 * products (two GEMMs each), warm-started from the previous step's solution; it stops when
 * {@code ‖r‖ ≤ tol·‖∇W‖} or at the iteration cap, and reports the iterations and relative residual it reached
 * ({@link #status()}). The inverse update only copies the factors. Computed in double.
 */
public final class ConjugateGradientInverse implements FactorInverse {
    private final Linalg linalg;
    private final double tolerance;
    private final int maxIterations;
    private final int dOut;
    private final int dIn;
    private final Tensor a;
    private final Tensor g;
    private final Tensor x;
    private final double[] work;
    /** The right-hand side, residual, search direction and its image: kept, since a solve runs every step. */
    private final double[] b;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    private boolean ready;
    private int iterations;
    private double residual = Double.NaN;

    /** A solver for a {@code dOut × dIn} weight (bias column included). */
    public ConjugateGradientInverse(Linalg linalg, int dOut, int dIn, double tolerance, int maxIterations) {
        this.linalg = linalg;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.dOut = dOut;
        this.dIn = dIn;
        this.a = Tensor.zeros(DType.F64, dIn, dIn);
        this.g = Tensor.zeros(DType.F64, dOut, dOut);
        this.x = Tensor.zeros(DType.F64, dOut, dIn);
        this.work = new double[dOut * dIn];
        this.b = new double[dOut * dIn];
        this.r = new double[dOut * dIn];
        this.p = new double[dOut * dIn];
        this.ap = new double[dOut * dIn];
    }

    @Override
    public String label() {
        return String.format(Locale.ROOT, "cg tol=%g, ≤%d iterations", tolerance, maxIterations);
    }

    @Override
    public void update(Tensor factorA, Tensor factorG, double damping) {
        a.copyFrom(factorA.dtype() == DType.F64 ? factorA : factorA.to(DType.F64));
        g.copyFrom(factorG.dtype() == DType.F64 ? factorG : factorG.to(DType.F64));
        ready = true;
    }

    /** {@code out ← G·v·A + δ·v}: two GEMMs. */
    private void apply(double[] v, double damping, double[] out) {
        linalg.dgemm(Transpose.N, Transpose.N, dOut, dIn, dIn, 1, v, 0, dIn, a.f64(), 0, dIn, 0, work, 0, dIn);
        System.arraycopy(v, 0, out, 0, out.length);
        linalg.dgemm(Transpose.N, Transpose.N, dOut, dIn, dOut, 1, g.f64(), 0, dOut, work, 0, dIn, damping, out, 0,
                dIn);
    }

    @Override
    public void precondition(Tensor grad, double damping, Tensor out) {
        if (!ready) {
            throw new IllegalStateException("ConjugateGradientInverse: precondition before the first update");
        }
        int size = dOut * dIn;
        for (int i = 0; i < size; i++) {
            b[i] = grad.get(i);
        }
        double[] sol = x.f64();
        apply(sol, damping, ap);
        double bb = 0;
        double rr = 0;
        for (int i = 0; i < size; i++) {
            r[i] = b[i] - ap[i];
            p[i] = r[i];
            bb += b[i] * b[i];
            rr += r[i] * r[i];
        }
        double target = tolerance * tolerance * bb;
        int it = 0;
        while (rr > target && it < maxIterations) {
            apply(p, damping, ap);
            double pap = 0;
            for (int i = 0; i < size; i++) {
                pap += p[i] * ap[i];
            }
            double step = rr / pap;
            double next = 0;
            for (int i = 0; i < size; i++) {
                sol[i] += step * p[i];
                r[i] -= step * ap[i];
                next += r[i] * r[i];
            }
            double beta = next / rr;
            for (int i = 0; i < size; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rr = next;
            it++;
        }
        iterations = it;
        residual = bb == 0 ? 0 : Math.sqrt(rr / bb);
        for (int i = 0; i < size; i++) {
            out.set(i, sol[i]);
        }
    }

    /** Iterations of the last solve. */
    public int iterations() {
        return iterations;
    }

    /** ‖r‖/‖∇W‖ after the last solve (the recurrence's residual). */
    public double residual() {
        return residual;
    }

    @Override
    public String status() {
        return Double.isNaN(residual) ? "" : String.format(Locale.ROOT, "cg: %d iterations, residual %.2e%s",
                iterations, residual, residual > tolerance ? " (cap reached)" : "");
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public Map<String, Tensor> state() {
        return Map.of("A", a, "G", g, "solution", x);
    }

    @Override
    public void restored() {
        ready = true;
    }
}
