package org.kfac4j.linalg.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionTest {

    private static void assertGridPartition(int[] b, int extent, int unit, int maxParts) {
        assertEquals(0, b[0]);
        assertEquals(extent, b[b.length - 1]);
        assertTrue(b.length - 1 <= maxParts);
        for (int t = 1; t < b.length; t++) {
            assertTrue(b[t] > b[t - 1], "empty part " + t);
            if (t < b.length - 1) {
                assertEquals(0, b[t] % unit, "boundary off the micro-kernel grid");
            }
        }
    }

    @Test
    void partsAreNonEmptyOnTheGridAndCoverEverything() {
        for (int extent = 1; extent <= 300; extent += 7) {
            for (int unit : new int[] {1, 4, 6, 32}) {
                for (int parts = 1; parts <= 5; parts++) {
                    assertGridPartition(Partition.even(extent, unit, parts), extent, unit, parts);
                    assertGridPartition(Partition.shrinkingLines(extent, unit, parts), extent, unit, parts);
                }
            }
        }
    }

    @Test
    void shrinkingLinePartsCarryEqualWork() {
        int n = 4096;
        int[] b = Partition.shrinkingLines(n, 32, 2);
        long left = 0, right = 0;
        for (int j = 0; j < n; j++) {
            if (j < b[1]) left += n - j; else right += n - j;
        }
        assertEquals(1.0, (double) left / right, 0.03, "work split " + left + " : " + right);
    }
}
