package org.kfac4j.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and (coupled, L2) weight decay, with
 * PyTorch's {@code torch.optim.SGD} update: {@code g ← ∇ + λθ; b ← μb + g (b = g at the first step);
 * θ ← θ − η·(g + μb if Nesterov, else b)}.
 */
public final class Sgd implements Optimizer {
    private final List<Parameter> parameters;
    private final Schedule learningRate;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final Tensor[] buffers;
    private long steps;

    public Sgd(List<Parameter> parameters, Schedule learningRate, double momentum, boolean nesterov,
               double weightDecay) {
        if (momentum < 0 || weightDecay < 0 || (nesterov && momentum == 0)) {
            throw new IllegalArgumentException("SGD: need momentum >= 0, weightDecay >= 0, and momentum > 0 for "
                    + "Nesterov; got momentum " + momentum + ", weightDecay " + weightDecay + ", nesterov " + nesterov);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.buffers = new Tensor[this.parameters.size()];
    }

    @Override
    public void step() {
        double lr = learningRate.at(steps);
        for (int p = 0; p < parameters.size(); p++) {
            Tensor theta = parameters.get(p).value();
            Tensor grad = parameters.get(p).grad();
            boolean first = buffers[p] == null;
            if (momentum != 0 && first) {
                buffers[p] = theta.zerosLike();
            }
            Tensor b = buffers[p];
            for (int i = 0; i < theta.size(); i++) {
                double g = grad.get(i) + weightDecay * theta.get(i);
                if (momentum != 0) {
                    double v = first ? g : momentum * b.get(i) + g;
                    b.set(i, v);
                    g = nesterov ? g + momentum * v : v;
                }
                theta.set(i, theta.get(i) - lr * g);
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
            if (buffers[p] != null) {
                state.put("momentum." + parameters.get(p).name(), buffers[p]);
            }
        }
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        long restoredSteps = Optimizer.steps(state, "SGD");
        Tensor[] restored = new Tensor[buffers.length];
        for (int p = 0; p < parameters.size(); p++) {
            String name = "momentum." + parameters.get(p).name();
            if (state.containsKey(name)) {
                restored[p] = parameters.get(p).value().zerosLike();
                Optimizer.copyInto(state, name, restored[p], "SGD");
            } else if (momentum != 0 && restoredSteps > 0) {
                throw new IllegalArgumentException("SGD state has no momentum buffer '" + name + "' after "
                        + restoredSteps + " steps");
            }
        }
        System.arraycopy(restored, 0, buffers, 0, buffers.length);
        steps = restoredSteps;
    }
}
