package org.kfac4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.io.SafeTensors;
import picocli.CommandLine;

/** {@code kfac4j factors} end to end: the written file holds every requested factor; a bad case writes nothing. */
class FactorsCommandTest {
    static final Path CASES = Path.of("..", "..", "shared", "reference-cases").toAbsolutePath().normalize();

    @Test
    void writesEveryRequestedFactorUnderTheFormatsNames(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("f.safetensors");
        int code = new CommandLine(new Kfac4jCommand()).execute("factors", "--case",
                CASES.resolve("mlp-ce-reduce.json").toString(), "--out", out.toString(), "--compare");
        assertEquals(0, code);
        var written = SafeTensors.read(out).tensors().keySet();
        assertTrue(written.containsAll(java.util.List.of("l0.reduce.A", "l0.reduce.exact.G", "l1.expand.empirical.G")),
                written.toString());
    }

    @Test
    void aCaseThatCannotBeBuiltIsOneLineAndNoFile(@TempDir Path dir) throws IOException {
        Files.copy(CASES.resolve("mlp-ce-reduce.safetensors"), dir.resolve("mlp-ce-reduce.safetensors"));
        Files.writeString(dir.resolve("bad.json"), Files.readString(CASES.resolve("mlp-ce-reduce.json"))
                .replace("\"relu\"", "\"swish\"").replace("\"tanh\"", "\"swish\""));
        Path out = dir.resolve("f.safetensors");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Kfac4jCommand());
        cli.setErr(new PrintWriter(err));
        int code = Kfac4jCommand.configure(cli).execute("factors", "--case", dir.resolve("bad.json").toString(),
                "--out", out.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("unknown layer type 'swish'"), err.toString());
        assertFalse(Files.exists(out));
    }
}
