package org.kfac4j.nn.capture;

import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A cheap check that a tensor recorded by reference was not changed before K-FAC read it: its length and a hash of up
 * to {@value #SAMPLES} of its values, evenly spaced, taken bit for bit. A tensor refilled with another batch (a data
 * loader reusing its buffer) changes the sampled values with overwhelming probability; an edit of a few values between
 * the samples goes unseen. Hashing the whole tensor would cost a pass over every convolution's input on every step.
 */
record InputFingerprint(int length, long hash) {
    /** Values hashed at most. */
    static final int SAMPLES = 256;

    static InputFingerprint of(Tensor t) {
        int n = t.size();
        int step = Math.max(1, n / SAMPLES);
        long h = n;
        if (t.dtype() == DType.F32) {
            float[] a = t.f32();
            for (int i = 0; i < n; i += step) {
                h = h * 0x9E3779B97F4A7C15L + Float.floatToRawIntBits(a[i]);
            }
        } else {
            double[] a = t.f64();
            for (int i = 0; i < n; i += step) {
                h = h * 0x9E3779B97F4A7C15L + Double.doubleToRawLongBits(a[i]);
            }
        }
        return new InputFingerprint(n, h);
    }
}
