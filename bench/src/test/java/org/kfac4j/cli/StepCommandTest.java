package org.kfac4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kfac4j.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfac4j step}: a model's step timed alone, the alternating rounds against a stand-in for the PyTorch side that
 * speaks its protocol (so the test needs Python but not torch), and the errors for a bad model and a missing side.
 */
class StepCommandTest {

    private static final String[] QUICK = {"--threads", "1", "--batch", "4", "--rounds", "3", "--seconds", "0.01",
            "--warmup", "0"};

    private static String[] args(String... first) {
        String[] all = new String[first.length + QUICK.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(QUICK, 0, all, first.length, QUICK.length);
        return all;
    }

    @Test
    void aStepIsTimedInRounds() {
        String out = run(0, args("step", "--model", "gcn"))[0];
        assertTrue(out.contains("training step of gcn, batch 4"), out);
        assertTrue(out.lines().filter(l -> l.matches(" +[123] +[0-9]+\\.[0-9]{2}")).count() == 3, out);
        assertTrue(out.lines().anyMatch(l -> l.matches("kfac4j: [0-9]+\\.[0-9]{2} ms per step .*")), out);
    }

    @Test
    void roundsAlternateWithTheOtherSide(@TempDir Path dir) throws IOException {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        // answers every request with 2 ms per step, as pytorch_train_step.py --serve does with real steps
        Path side = dir.resolve("side.py");
        Files.writeString(side, """
                import sys
                print("ready 0.0-stand-in", flush=True)
                for line in sys.stdin:
                    if line.split()[0] == "quit":
                        break
                    print("2.0000 7", flush=True)
                """);
        String out = run(0, args("step", "--model", "mlp", "--compare-pytorch", "--python", python.toString(),
                "--pytorch-script", side.toString()))[0];
        assertTrue(out.lines().filter(l -> l.matches(" +[123] +[0-9.]+ +2\\.00 +[0-9.]+x")).count() == 3, out);
        assertTrue(out.contains("PyTorch 0.0-stand-in: 2.00 ms per step"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("kfac4j speed vs PyTorch: [0-9.]+x \\(median .*")), out);
    }

    @Test
    void aBadModelAndAMissingSideAreNamed(@TempDir Path dir) {
        String err = run(2, args("step", "--model", "resnet"))[1];
        assertTrue(err.contains("--model") && err.contains("resnet"), err);
        Path missing = dir.resolve("absent.py");
        err = run(2, args("step", "--model", "mlp", "--compare-pytorch", "--pytorch-script", missing.toString()))[1];
        assertTrue(err.contains(missing.toString()) && err.contains("missing"), err);
    }
}
