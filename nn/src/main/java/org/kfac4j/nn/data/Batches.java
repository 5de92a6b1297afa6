package org.kfac4j.nn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Mini-batches of a {@link Dataset}, shuffled per epoch from a seed: epoch e of seed s is always the same order
 * (a Fisher–Yates permutation drawn from {@code SplittableRandom(s).split()} e times), whatever ran before.
 */
public final class Batches {
    private final Dataset data;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;

    /**
     * @param dropLast drop the last, smaller batch of an epoch (keeps every batch the same size)
     */
    public Batches(Dataset data, int batchSize, long seed, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** The number of batches per epoch. */
    public int perEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch} (0-based), in their shuffled order. */
    public Iterator<Batch> epoch(int epoch) {
        int[] order = permutation(epoch);
        int count = perEpoch();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * batchSize;
                return gather(order, from, Math.min(from + batchSize, order.length));
            }
        };
    }

    private int[] permutation(int epoch) {
        return shuffledOrder(data.size(), seed, epoch);
    }

    /**
     * The order in which epoch {@code epoch} visits {@code n} examples: a Fisher–Yates shuffle drawn from (seed,
     * epoch), the same for the same arguments, for any data a caller batches itself (graphs, say).
     */
    public static int[] shuffledOrder(int n, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int e = 0; e < epoch; e++) {
            rng.split();
        }
        rng = rng.split();
        int[] order = new int[n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private Batch gather(int[] order, int from, int to) {
        Tensor in = data.inputs();
        int per = in.size() / Math.max(1, data.size());
        int[] shape = in.shape();
        shape[0] = to - from;
        Tensor x = Tensor.zeros(in.dtype(), shape);
        int[] y = new int[to - from];
        for (int b = 0; b < y.length; b++) {
            int src = order[from + b];
            if (in.dtype() == DType.F32) {
                System.arraycopy(in.f32(), src * per, x.f32(), b * per, per);
            } else {
                System.arraycopy(in.f64(), src * per, x.f64(), b * per, per);
            }
            y[b] = data.labels()[src];
        }
        return new Batch(x, y);
    }
}
