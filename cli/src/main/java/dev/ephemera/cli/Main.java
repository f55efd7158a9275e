package dev.ephemera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ephemera} command. */
@Command(name = "ephemera",
        mixinStandardHelpOptions = true,
        version = "ephemera 0.1.0",
        description = "A garbage-collected heap for the JVM with exact ephemerons, weak pointers, "
                + "weak hash tables and finalisation.",
        subcommands = {DemoCommand.class, ReplCommand.class, RunCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
