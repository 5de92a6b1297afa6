package org.kfac4j.nn.capture;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The capture contract between {@code nn} and K-FAC: where, during one forward pass and the backward passes from
 * it, every {@link KfacLayer} records its inputs and output gradients. Tensors are recorded by reference, not
 * copied (a convolution records its input image, from which its rows are formed later: {@link FactorRows}); layers
 * never modify a tensor after handing it over. Not thread-safe: one pass at a time.
 */
public final class Captures {
    /** Records nothing. */
    public static final Captures NONE = new Captures(false);

    private final boolean enabled;
    private final Map<KfacLayer, LayerCapture> layers = new LinkedHashMap<>();
    private int passes;

    private Captures(boolean enabled) {
        this.enabled = enabled;
    }

    /** An empty record, to be handed to a forward pass. */
    public static Captures create() {
        return new Captures(true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Records a call's input ({@code N × R × D_in(+1)}); returns the call's index for this layer. */
    public int recordInput(KfacLayer layer, Tensor input) {
        return enabled ? recordInput(layer, FactorRows.of(input)) : -1;
    }

    /**
     * Records a call's input rows held in another form (a convolution's input image, from which K-FAC forms the
     * column matrix's Gram matrix and sums block by block); returns the call's index for this layer.
     */
    public int recordInput(KfacLayer layer, FactorRows input) {
        if (!enabled) {
            return -1;
        }
        return layers.computeIfAbsent(layer, LayerCapture::new).addInput(input);
    }

    /**
     * Records the input of a layer whose examples have different numbers of positions (graphs of different sizes):
     * {@code input} is {@code 1 × V × D(+1)}, example n owning rows {@code segments[n] .. segments[n+1]}.
     */
    public int recordInput(KfacLayer layer, Tensor input, int[] segments) {
        if (!enabled) {
            return -1;
        }
        if (input.rank() != 3 || input.dim(0) != 1 || segments.length < 2 || segments[0] != 0
                || segments[segments.length - 1] != input.dim(1)) {
            throw new IllegalArgumentException(layer.name() + ": segments " + Arrays.toString(segments)
                    + " do not cover the rows of " + input);
        }
        return recordInput(layer, FactorRows.of(input, segments));
    }

    /** Starts a backward pass; output gradients recorded from now on belong to it. Returns its index. */
    public int beginBackward() {
        return enabled ? passes++ : -1;
    }

    /** Records the output gradient ({@code N × R × D_out}) of call {@code call} in the current backward pass. */
    public void recordOutputGradient(KfacLayer layer, int call, Tensor gradient) {
        if (!enabled) {
            return;
        }
        if (passes == 0) {
            throw new IllegalStateException("an output gradient was recorded before beginBackward()");
        }
        LayerCapture capture = layers.get(layer);
        if (capture == null || call < 0 || call >= capture.calls()) {
            throw new IllegalStateException(layer.name() + ": output gradient for call " + call
                    + " that this forward pass did not record");
        }
        capture.addGradient(passes - 1, call, gradient);
    }

    /** The number of backward passes begun. */
    public int backwardPasses() {
        return passes;
    }

    /** The record of {@code layer}; an error when it was not called (K-FAC treats that as a registration error). */
    public LayerCapture of(KfacLayer layer) {
        LayerCapture c = layers.get(layer);
        if (c == null) {
            throw new IllegalStateException(layer.name() + " recorded nothing in this forward pass");
        }
        return c;
    }

    /** Every layer that recorded something, in the order of their first call. */
    public Map<KfacLayer, LayerCapture> layers() {
        return Collections.unmodifiableMap(layers);
    }
}
