package org.kfac4j.linalg.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The thread team's contract: every part once, failures reach the caller, nesting and contention run inline. */
class ThreadTeamTest {

    @Test
    void everyPartRunsExactlyOnceAndTheCallerTakesPartZero() {
        try (ThreadTeam team = new ThreadTeam(3)) {
            for (int round = 0; round < 200; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(3);
                Thread[] ran = new Thread[3];
                team.run(3, p -> {
                    runs.incrementAndGet(p);
                    ran[p] = Thread.currentThread();
                });
                for (int p = 0; p < 3; p++) {
                    assertEquals(1, runs.get(p), "part " + p + " in round " + round);
                }
                assertSame(Thread.currentThread(), ran[0]);
            }
        }
    }

    @Test
    void aFailingPartReachesTheCallerAndTheTeamStaysUsable() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(2, p -> {
                if (p == 1) {
                    throw new IllegalStateException("part one failed");
                }
            }));
            assertEquals("part one failed", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            team.run(2, runs::incrementAndGet);
            assertEquals(1, runs.get(0));
            assertEquals(1, runs.get(1));
        }
    }

    @Test
    void callsFromInsideAPartRunInlineOnThatThread() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            Set<String> mismatches = ConcurrentHashMap.newKeySet();
            team.run(2, outer -> {
                Thread me = Thread.currentThread();
                assertTrue(!team.parallel());
                team.run(2, inner -> {
                    if (Thread.currentThread() != me) {
                        mismatches.add(outer + "/" + inner);
                    }
                });
            });
            assertTrue(mismatches.isEmpty(), "nested parts ran elsewhere: " + mismatches);
            assertTrue(team.parallel());
        }
    }

    @Test
    void concurrentCallersAllComplete() throws Exception {
        try (ThreadTeam team = new ThreadTeam(2)) {
            int callers = 4;
            CountDownLatch start = new CountDownLatch(1);
            AtomicIntegerArray sums = new AtomicIntegerArray(callers);
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int me = c;
                threads[c] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int r = 0; r < 500; r++) {
                        team.forEachTask(7, t -> sums.addAndGet(me, t));
                    }
                });
                threads[c].start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(60_000);
            }
            for (int c = 0; c < callers; c++) {
                assertEquals(500 * 21, sums.get(c), "caller " + c);
            }
        }
    }

    @Test
    void rangesDependOnTheChunkNotOnTheTeam() {
        for (int size : new int[] {1, 2, 3}) {
            try (ThreadTeam team = new ThreadTeam(size)) {
                Set<String> ranges = ConcurrentHashMap.newKeySet();
                AtomicIntegerArray covered = new AtomicIntegerArray(103);
                team.forEachRange(103, 32, (from, to) -> {
                    ranges.add(from + ".." + to);
                    for (int i = from; i < to; i++) {
                        covered.incrementAndGet(i);
                    }
                });
                assertEquals(Set.of("0..32", "32..64", "64..96", "96..103"), ranges, "team of " + size);
                for (int i = 0; i < 103; i++) {
                    assertEquals(1, covered.get(i));
                }
            }
        }
    }

    @Test
    void aClosedTeamRunsInline() {
        ThreadTeam team = new ThreadTeam(2);
        team.close();
        Thread[] ran = new Thread[2];
        team.run(2, p -> ran[p] = Thread.currentThread());
        assertSame(Thread.currentThread(), ran[1]);
    }
}
