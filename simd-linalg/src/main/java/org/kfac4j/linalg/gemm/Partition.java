package org.kfac4j.linalg.gemm;

/**
 * Splits the rows or columns of C between threads on the micro-kernel's grid, so that each thread owns
 * whole tiles and no two threads write the same element (no reduction whose order depends on scheduling).
 */
final class Partition {
    private Partition() {
    }

    /**
     * Boundaries {@code b[0] = 0 < b[1] < ... < b[parts] = extent} of an even split in multiples of
     * {@code unit}; fewer parts than asked when there are not enough units.
     */
    static int[] even(int extent, int unit, int parts) {
        int units = (extent + unit - 1) / unit;
        int p = Math.max(1, Math.min(parts, units));
        int[] bounds = new int[p + 1];
        for (int t = 1; t < p; t++) {
            bounds[t] = (int) ((long) units * t / p) * unit;
        }
        bounds[p] = extent;
        return bounds;
    }

    /**
     * Boundaries that give each part the same area of a triangle whose line i (of n) holds n − i elements: the
     * columns of a lower triangle, or the rows of an upper one. Part t starts at n·(1 − √(1 − t/parts)), since
     * the lines from c on hold (n − c)²/2 elements.
     */
    static int[] shrinkingLines(int n, int unit, int parts) {
        int units = (n + unit - 1) / unit;
        int p = Math.max(1, Math.min(parts, units));
        int[] bounds = new int[p + 1];
        int previous = 0;
        for (int t = 1; t < p; t++) {
            long start = Math.round(units * (1 - Math.sqrt(1 - (double) t / p)));
            // at least one unit per part, and room left for one unit per remaining part
            int u = (int) Math.min(Math.max(start, previous + 1), units - (p - t));
            bounds[t] = u * unit;
            previous = u;
        }
        bounds[p] = n;
        return bounds;
    }
}
