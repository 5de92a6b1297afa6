package org.kfac4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), with PyTorch's {@code torch.optim.AdamW} update:
 * {@code θ ← θ(1 − ηλ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·m̂/(√v̂ + ε)} with bias-corrected
 * m̂, v̂.
 */
public final class AdamW implements Optimizer {
    private final List<Parameter> parameters;
    private final Schedule learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Tensor[] m;
    private final Tensor[] v;
    private long steps;

    public AdamW(List<Parameter> parameters, Schedule learningRate, double beta1, double beta2, double epsilon,
                 double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW: need 0 <= beta1, beta2 < 1, epsilon > 0, weightDecay >= 0; got "
                    + beta1 + ", " + beta2 + ", " + epsilon + ", " + weightDecay);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new Tensor[this.parameters.size()];
        this.v = new Tensor[this.parameters.size()];
        for (int p = 0; p < m.length; p++) {
            m[p] = this.parameters.get(p).value().zerosLike();
            v[p] = this.parameters.get(p).value().zerosLike();
        }
    }

    /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, weight decay 0.01. */
    public static AdamW withDefaults(List<Parameter> parameters, Schedule learningRate) {
        return new AdamW(parameters, learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    @Override
    public void step() {
        double lr = learningRate.at(steps);
        long t = steps + 1;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int p = 0; p < parameters.size(); p++) {
            Tensor theta = parameters.get(p).value();
            Tensor grad = parameters.get(p).grad();
            for (int i = 0; i < theta.size(); i++) {
                double g = grad.get(i);
                double mi = beta1 * m[p].get(i) + (1 - beta1) * g;
                double vi = beta2 * v[p].get(i) + (1 - beta2) * g * g;
                m[p].set(i, mi);
                v[p].set(i, vi);
                double decayed = theta.get(i) * (1 - lr * weightDecay);
                theta.set(i, decayed - lr * (mi / correction1) / (Math.sqrt(vi / correction2) + epsilon));
            }
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("steps", Optimizer.stepsTensor(steps));
        for (int p = 0; p < parameters.size(); p++) {
            state.put("m." + parameters.get(p).name(), m[p]);
            state.put("v." + parameters.get(p).name(), v[p]);
        }
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        long restoredSteps = Optimizer.steps(state, "AdamW");
        Tensor[] mm = new Tensor[m.length];
        Tensor[] vv = new Tensor[v.length];
        for (int p = 0; p < parameters.size(); p++) {
            mm[p] = m[p].zerosLike();
            vv[p] = v[p].zerosLike();
            Optimizer.copyInto(state, "m." + parameters.get(p).name(), mm[p], "AdamW");
            Optimizer.copyInto(state, "v." + parameters.get(p).name(), vv[p], "AdamW");
        }
        for (int p = 0; p < m.length; p++) {
            m[p].copyFrom(mm[p]);
            v[p].copyFrom(vv[p]);
        }
        steps = restoredSteps;
    }
}
