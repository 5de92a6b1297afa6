package org.kfac4j.cli;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kfac4j} command-line program. */
@Command(name = "kfac4j", mixinStandardHelpOptions = true, versionProvider = Kfac4jCommand.Version.class,
        description = "K-FAC natural-gradient training in pure Java.",
        subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
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
        System.exit(new CommandLine(new Kfac4jCommand()).execute(args));
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
