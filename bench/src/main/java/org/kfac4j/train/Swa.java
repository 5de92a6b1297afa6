package org.kfac4j.train;

import java.util.Locale;
import org.kfac4j.nn.optim.Schedule;

/**
 * Stochastic weight averaging for a run (Izmailov et al., 2018): the weights after steps {@code start},
 * {@code start + every}, … are averaged; at the end the average, with its BatchNorm statistics recomputed over one
 * pass of the training data, is evaluated and saved beside the last weights. With a {@code learningRate} the
 * schedule is replaced by that constant from {@code start} on (PyTorch's {@code SWALR}, without its annealing);
 * with NaN the run's schedule continues.
 *
 * @param start        the first step whose weights are averaged (steps taken, ≥ 1)
 * @param every        steps between snapshots (0: no averaging)
 * @param learningRate the learning rate from {@code start} on, or NaN to keep the schedule
 */
public record Swa(long start, long every, double learningRate) {
    /** No averaging. */
    public static final Swa OFF = new Swa(0, 0, Double.NaN);

    public Swa {
        if (every < 0 || every > 0 && start < 1) {
            throw new IllegalArgumentException("weight averaging needs a first step >= 1 and an interval >= 0, got "
                    + start + " and " + every);
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--swa-lr must be finite and > 0, got " + learningRate);
        }
    }

    public boolean on() {
        return every > 0;
    }

    /** Whether the weights after {@code step} steps are a snapshot of the average. */
    boolean snapshotAfter(long step) {
        return on() && step >= start && (step - start) % every == 0;
    }

    /** {@code base}, or the constant {@link #learningRate} from step {@code start} on (0-based steps ≥ start). */
    Schedule learningRate(Schedule base) {
        if (!on() || Double.isNaN(learningRate)) {
            return base;
        }
        return step -> step >= start ? learningRate : base.at(step);
    }

    /** For logs and the checkpoint: {@code off}, or the first step, the interval and the learning rate. */
    public String describe() {
        if (!on()) {
            return "off";
        }
        return String.format(Locale.ROOT, "average from step %d every %d steps%s", start, every,
                Double.isNaN(learningRate) ? "" : String.format(Locale.ROOT, ", lr %g from there", learningRate));
    }
}
