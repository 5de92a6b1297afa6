package org.kfac4j.nn.optim;

/**
 * A hyperparameter as a function of the step (0-based), as kfac-pytorch takes them: a constant, or warm-up then
 * cosine decay.
 */
@FunctionalInterface
public interface Schedule {
    double at(long step);

    static Schedule constant(double value) {
        return step -> value;
    }

    /**
     * Linear warm-up from 0 to {@code peak} over {@code warmup} steps, then cosine decay to {@code floor} at
     * {@code total} steps (held there after).
     */
    static Schedule warmupCosine(double peak, long warmup, long total, double floor) {
        if (warmup < 0 || total < warmup || peak < 0) {
            throw new IllegalArgumentException("warmupCosine: need 0 <= warmup <= total and peak >= 0, got warmup "
                    + warmup + ", total " + total + ", peak " + peak);
        }
        return step -> {
            if (step < warmup) {
                return peak * (step + 1) / warmup;
            }
            if (step >= total || total == warmup) {
                return floor;
            }
            double progress = (double) (step - warmup) / (total - warmup);
            return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
        };
    }
}
