package org.kfac4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class BatchesTest {
    /** Inputs equal to their index, so that a batch shows which examples it holds. */
    private static Dataset indexed(int n) {
        Tensor x = Tensor.zeros(DType.F64, n, 2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x.set(2 * i, i);
            x.set(2 * i + 1, -i);
            y[i] = i % 3;
        }
        return new Dataset("indexed", x, y, 3);
    }

    private static List<Integer> order(Batches b, int epoch) {
        List<Integer> seen = new ArrayList<>();
        for (Iterator<Batch> it = b.epoch(epoch); it.hasNext(); ) {
            Batch batch = it.next();
            for (int i = 0; i < batch.size(); i++) {
                int index = (int) batch.inputs().get(2 * i);
                assertEquals(-index, batch.inputs().get(2 * i + 1), 0);
                assertEquals(index % 3, batch.labels()[i]);
                seen.add(index);
            }
        }
        return seen;
    }

    @Test
    void everyExampleOncePerEpochInASeededOrder() {
        Batches b = new Batches(indexed(23), 5, 42, false);
        assertEquals(5, b.perEpoch());
        List<Integer> e0 = order(b, 0);
        assertEquals(23, e0.size());
        assertEquals(23, e0.stream().distinct().count());
        assertEquals(e0, order(new Batches(indexed(23), 5, 42, false), 0), "same seed, same epoch, same order");
        assertFalse(e0.equals(order(b, 1)), "epochs are shuffled differently");
        assertFalse(e0.equals(order(new Batches(indexed(23), 5, 43, false), 0)), "seeds differ");
    }

    @Test
    void dropLastKeepsOnlyFullBatches() {
        Batches b = new Batches(indexed(23), 5, 1, true);
        assertEquals(4, b.perEpoch());
        List<Integer> e = order(b, 0);
        assertEquals(20, e.size());
        int[] sizes = new int[4];
        Iterator<Batch> it = b.epoch(3);
        for (int i = 0; i < 4; i++) {
            sizes[i] = it.next().size();
        }
        assertArrayEquals(new int[] {5, 5, 5, 5}, sizes);
    }
}
