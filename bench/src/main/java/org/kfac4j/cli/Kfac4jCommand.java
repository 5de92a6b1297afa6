package org.kfac4j.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kfac4j} command-line program. */
@Command(name = "kfac4j", mixinStandardHelpOptions = true, versionProvider = Kfac4jCommand.Version.class,
        description = "K-FAC natural-gradient training in pure Java.",
        subcommands = {TrainCommand.class, CompareCommand.class, FactorsCommand.class, BenchCommand.class,
                StepCommand.class, CommandLine.HelpCommand.class})
public final class Kfac4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Held so the level sticks: the program prints the backend itself, the library's INFO line would repeat it. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("org.kfac4j");

    public static void main(String[] args) {
        LIBRARY_LOG.setLevel(Level.WARNING);
        System.setProperty("java.awt.headless", "true");
        System.exit(configure(new CommandLine(new Kfac4jCommand())).execute(args));
    }

    /** The program's error handling on {@code cli}. */
    static CommandLine configure(CommandLine cli) {
        // a user error (missing or corrupt file, bad manifest, bad value) is one line naming it, not a stack trace
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof java.io.IOException || e instanceof IllegalArgumentException
                    || e instanceof ArithmeticException || e instanceof IllegalStateException) {
                line.getErr().println("kfac4j " + line.getCommandName() + ": " + e.getClass().getSimpleName() + ": "
                        + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Kfac4jCommand.class.getPackage().getImplementationVersion();
            return new String[] {"kfac4j " + (v == null ? "(development build)" : v),
                    "JVM: " + Runtime.version() + " " + System.getProperty("java.vm.name")};
        }
    }
}
