package org.kfac4j.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.TaskData;
import org.kfac4j.train.Trainer;

/**
 * A run's progress: on a terminal a progress bar (step, loss, accuracy, steps/s, ETA); otherwise one plain line per
 * evaluation, so logs and CI output stay readable.
 */
final class ProgressDisplay implements Trainer.Listener, AutoCloseable {
    private final String label;
    private final boolean terminal;
    private final PrintStream out;
    private ProgressBar bar;
    private long total;
    private long firstStep;
    private double firstSeconds;
    private double lastSeconds;
    private String lastEval = "";

    ProgressDisplay(String label, PrintStream out) {
        this.label = label;
        this.out = out;
        this.terminal = System.console() != null && System.console().isTerminal();
    }

    @Override
    public void started(Trainer.Config config, TaskData task, long fromStep) {
        total = config.steps();
        firstStep = fromStep;
        out.printf(Locale.ROOT, "%s: %s on %s (%d training, %d validation examples), %s, %d steps, seed %d, "
                        + "%d threads%s%n", label, config.model(), task.name(), task.trainSize(), task.validationSize(),
                config.optimizer(), config.steps(), config.seed(), config.threads(),
                fromStep > 0 ? ", resumed at step " + fromStep : "");
        out.printf(Locale.ROOT, "%s: %s%s%n", label, config.optimizer().describe(config.hp()),
                config.swa().on() ? "; weight averaging: " + config.swa().describe() : "");
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1).showSpeed().setUpdateIntervalMillis(500).startsFrom(fromStep,
                            Duration.ZERO).build();
        }
    }

    @Override
    public void stepped(long stepsTaken, double loss, double trainSeconds) {
        if (stepsTaken == firstStep + 1) {
            firstSeconds = trainSeconds;
        }
        lastSeconds = trainSeconds;
        if (bar != null) {
            bar.stepTo(stepsTaken);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f %s", loss, lastEval));
        }
    }

    @Override
    public void evaluated(EvalPoint p) {
        lastEval = String.format(Locale.ROOT, "val acc %.4f", p.valAccuracy());
        if (bar == null) {
            long done = p.step() - firstStep;
            double rate = done > 1 ? (done - 1) / Math.max(1e-9, lastSeconds - firstSeconds) : 0;
            out.printf(Locale.ROOT, "%s step %d/%d epoch %.2f train loss %.4f acc %.4f | val loss %.4f acc %.4f | "
                            + "%.2f steps/s, ETA %s%n", label, p.step(), total, p.epoch(), p.trainLoss(),
                    p.trainAccuracy(), p.valLoss(), p.valAccuracy(), rate,
                    rate > 0 ? duration((total - p.step()) / rate) : "?");
        }
    }

    @Override
    public void averaged(EvalPoint p, long snapshots) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf(Locale.ROOT, "%s: weight average of %d snapshots | val loss %.4f acc "
                + "%.4f%n", label, snapshots, p.valLoss(), p.valAccuracy());
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
