package org.kfac4j.nn.capture;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kfac4j.nn.tensor.Tensor;

/**
 * What one K-FAC layer recorded since its {@link Captures} was created: the input of every call, and for every
 * backward pass the output gradient of every call.
 */
public final class LayerCapture {
    private final KfacLayer layer;
    private final List<FactorRows> inputs = new ArrayList<>();
    /** Of each input's source when it was recorded: a changed one is an error, not silently different factors. */
    private final List<InputFingerprint> fingerprints = new ArrayList<>();
    private final List<List<Tensor>> gradients = new ArrayList<>();

    LayerCapture(KfacLayer layer) {
        this.layer = layer;
    }

    public KfacLayer layer() {
        return layer;
    }

    /** The number of times the layer was called in the forward pass (more than one with weight tying). */
    public int calls() {
        return inputs.size();
    }

    /**
     * The inputs, {@code N × R × D_in} (or {@code D_in + 1} with a bias: last column ones), one per call; a
     * convolution's are formed here, on the first request (see {@link #inputRows()}).
     *
     * @throws CapturedInputModifiedException as {@link #inputRows()}
     */
    public List<Tensor> inputs() {
        requireUnchanged();
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (FactorRows rows : inputs) {
            out.add(rows.tensor());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The inputs as {@link FactorRows}, one per call: what K-FAC forms its input factor from.
     *
     * @throws CapturedInputModifiedException if a recorded input's source was changed since its forward pass (a
     *                                        sampled check: see {@link FactorRows#source()})
     */
    public List<FactorRows> inputRows() {
        requireUnchanged();
        return Collections.unmodifiableList(inputs);
    }

    private void requireUnchanged() {
        for (int call = 0; call < inputs.size(); call++) {
            if (!InputFingerprint.of(inputs.get(call).source()).equals(fingerprints.get(call))) {
                throw new CapturedInputModifiedException(layer.name() + ": the input of call " + call
                        + " was modified after the forward pass that recorded it; K-FAC would form its factors from "
                        + "other data than the gradients saw (run the K-FAC step before refilling the batch)");
            }
        }
    }

    /**
     * Which rows of call {@code call}'s input belong to which example: example n owns positions
     * {@code segments[n] .. segments[n+1]} of the flattened {@code N·R} rows. {@code {0, R, 2R, …}} for an
     * {@code N × R × D} capture; for a graph layer, whose examples (graphs) have different numbers of positions
     * (nodes), the input is {@code 1 × V × D} and the segments are the graphs' node ranges.
     */
    public int[] segments(int call) {
        return inputs.get(call).segments();
    }

    /** The output gradient {@code N × R × D_out} of call {@code call} in backward pass {@code pass}. */
    public Tensor outputGradient(int pass, int call) {
        if (pass < 0 || pass >= gradients.size() || gradients.get(pass).get(call) == null) {
            throw new IllegalStateException(layer.name() + ": no output gradient recorded for call " + call
                    + " in backward pass " + pass);
        }
        return gradients.get(pass).get(call);
    }

    /** The output gradients of every call in backward pass {@code pass}. */
    public List<Tensor> outputGradients(int pass) {
        List<Tensor> out = new ArrayList<>(calls());
        for (int c = 0; c < calls(); c++) {
            out.add(outputGradient(pass, c));
        }
        return out;
    }

    int addInput(FactorRows a) {
        inputs.add(a);
        fingerprints.add(InputFingerprint.of(a.source()));
        return inputs.size() - 1;
    }

    void addGradient(int pass, int call, Tensor g) {
        while (gradients.size() <= pass) {
            gradients.add(new ArrayList<>(Collections.nCopies(calls(), null)));
        }
        List<Tensor> forPass = gradients.get(pass);
        if (forPass.get(call) != null) {
            throw new IllegalStateException(layer.name() + ": call " + call + " received two output gradients in "
                    + "backward pass " + pass + " (begin a new pass with Captures.beginBackward())");
        }
        forPass.set(call, g);
    }
}
