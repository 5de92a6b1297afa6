package org.kfac4j.linalg.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.kfac4j.linalg.kernel.Level1KernelF32;

/**
 * The float level-1 operations on the process's vector width; tails past the last whole vector in scalar code.
 * Every output element is summed in the same order as by {@link org.kfac4j.linalg.kernel.ScalarLevel1KernelF32}.
 */
public final class VectorLevel1KernelF32 implements Level1KernelF32 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOAT;
    private static final int V = S.length();

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void addRows(int rows, int n, float[] x, int xOff, int ldx, float[] y, int yOff) {
        int i = 0;
        // one vector of y stays in a register while every row's slice is added to it, in row order
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector sum = FloatVector.fromArray(S, y, yOff + i);
            for (int r = 0; r < rows; r++) {
                sum = sum.add(FloatVector.fromArray(S, x, xOff + r * ldx + i));
            }
            sum.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float sum = y[yOff + i];
            for (int r = 0; r < rows; r++) {
                sum += x[xOff + r * ldx + i];
            }
            y[yOff + i] = sum;
        }
    }

    @Override
    public void exp(int n, float shift, float[] x, int xOff, float[] y, int yOff) {
        FloatVector s = FloatVector.broadcast(S, shift);
        int i = 0;
        // EXP is an intrinsic (one call into the JDK's vector math stubs per vector) where the platform has one
        for (int bound = n - V; i <= bound; i += V) {
            FloatVector.fromArray(S, x, xOff + i).sub(s).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i] - shift);
        }
    }
}
