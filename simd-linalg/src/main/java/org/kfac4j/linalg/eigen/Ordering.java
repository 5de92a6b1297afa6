package org.kfac4j.linalg.eigen;

/** Stable index sorts of double keys, so that equal eigenvalues keep a reproducible order. */
final class Ordering {
    private Ordering() {
    }

    /** The permutation p with keys[off + p[0]] ≤ keys[off + p[1]] ≤ …, ties in index order (a merge sort). */
    static int[] ascending(double[] keys, int off, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] buffer = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, t = lo;
                while (i < mid && j < hi) {
                    buffer[t++] = keys[off + order[j]] < keys[off + order[i]] ? order[j++] : order[i++];
                }
                while (i < mid) {
                    buffer[t++] = order[i++];
                }
                while (j < hi) {
                    buffer[t++] = order[j++];
                }
                System.arraycopy(buffer, lo, order, lo, hi - lo);
            }
        }
        return order;
    }
}
