package org.kfac4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kfac4j.cli.CliRun.run;

import org.junit.jupiter.api.Test;

/** {@code kfac4j bench}: both operations on tiny shapes, the interleaved comparison, and a bad operation. */
class BenchCommandTest {

    @Test
    void syrkIsCheckedTimedAndComparedInRounds() {
        String out = run(0, "bench", "--op", "syrk", "-n", "17", "--rows", "33", "--threads", "2", "--seconds", "0.01",
                "--warmup", "0", "--rounds", "3", "--compare-openblas")[0];
        for (String precision : new String[] {"f32", "f64"}) {
            for (String threads : new String[] {"1", "2"}) {
                assertTrue(out.lines().anyMatch(l -> l.matches("kfac4j +" + precision + " +AᵀA 33×17 +" + threads
                        + " .*")), "no kfac4j " + precision + " line at " + threads + " threads in:\n" + out);
            }
        }
        // with OpenBLAS installed, each kfac4j line carries the median ratio of the rounds; otherwise the skip reason
        assertTrue(out.contains("openblas skipped") || out.lines().filter(l -> l.startsWith("kfac4j"))
                .filter(l -> l.contains("AᵀA")).allMatch(l -> l.matches(".* [0-9]+\\.[0-9]{2}x$")), out);
    }

    @Test
    void gemmRunsAloneAndABadOperationIsNamed() {
        String out = run(0, "bench", "-n", "9", "--threads", "1", "--seconds", "0.01", "--warmup", "0")[0];
        assertTrue(out.lines().anyMatch(l -> l.matches("kfac4j +f64 +n=9 +1 .*")), out);
        String err = run(2, "bench", "--op", "trsm")[1];
        assertTrue(err.contains("--op") && err.contains("trsm") && err.contains("gemm, syrk"), err);
        err = run(2, "bench", "--rounds", "0")[1];
        assertTrue(err.contains("--rounds") && err.contains("positive"), err);
    }
}
