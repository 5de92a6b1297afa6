package org.kfac4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command-line program in this JVM, as {@code ./kfac4j} would, capturing what it prints. */
final class CliRun {
    private CliRun() {
    }

    /** {stdout, stderr} of {@code kfac4j args...}, after checking its exit code. */
    static String[] run(int expectedCode, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Kfac4jCommand());
            cli.setErr(new PrintWriter(err));
            code = Kfac4jCommand.configure(cli).execute(args);
        } finally {
            System.setOut(out);
        }
        assertEquals(expectedCode, code, err.toString());
        return new String[] {bytes.toString(StandardCharsets.UTF_8), err.toString()};
    }
}
