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
        CommandLine cl = new CommandLine(new Main());
        CommandLine.IParameterExceptionHandler usual = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            String name = ex.getCommandLine().getCommandName();
            if (!BenchCommand.ONE_LINE_ERRORS.contains(name)) {
                return usual.handleParseException(ex, rest);
            }
            // one line: what is wrong, and where the usage is
            System.err.println("ephemera bench " + name + ": " + ex.getMessage() + " (ephemera bench " + name + " --help)");
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
