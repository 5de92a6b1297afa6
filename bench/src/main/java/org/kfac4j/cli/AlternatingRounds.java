package org.kfac4j.cli;

import java.util.Arrays;

/**
 * The pieces of the commands that time two sides (kfac4j and OpenBLAS, kfac4j and PyTorch) in alternating rounds in
 * one run: on a shared VM whose speed drifts by tens of percent within minutes, two measurements a few hundred
 * milliseconds apart compare, two taken minutes apart do not.
 */
final class AlternatingRounds {
    /** Pause between the two sides' turns, so that the idle side's threads (OpenBLAS's spin a while) have gone to sleep. */
    private static final long SWITCH_PAUSE_MS = 200;

    private AlternatingRounds() {
    }

    /** Waits out {@link #SWITCH_PAUSE_MS}. */
    static void pause() {
        try {
            Thread.sleep(SWITCH_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The median (the upper one of an even count). */
    static double median(double[] x) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Per round, the other side's time over kfac4j's: kfac4j's speed relative to the other side. */
    static double[] ratios(double[] kfac4j, double[] other) {
        double[] r = new double[kfac4j.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = other[i] / kfac4j[i];
        }
        return r;
    }
}
