package dev.ephemera.cli;

import dev.ephemera.GcStat;
import dev.ephemera.scheme.Scheme;
import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.SchemeExit;
import dev.ephemera.scheme.SchemeInterrupt;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ephemera repl}: an interactive Scheme session. JLine gives line editing, history
 * (in {@code ~/.ephemera_history}) and completion of the global environment's names (the
 * user's definitions included) and keywords, also right after {@code (}; input continues over
 * several lines until the datum is complete. Commands: {@code ,help}, {@code ,stats},
 * {@code ,gc}, {@code ,quit}. An error is printed with where it happened, and the session goes
 * on; Ctrl-C stops the running evaluation and returns to the prompt with every definition
 * intact.
 */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = "Interactive Scheme (line editing, history, completion, multi-line input; "
                + "Ctrl-C interrupts an evaluation; ,help for commands).")
public final class ReplCommand implements Callable<Integer> {
    @Mixin
    SchemeOptions options = new SchemeOptions();

    @Option(names = "--no-history", description = "Do not read or write the history file.")
    boolean noHistory;

    static final String HELP = String.join("\n",
            "Enter Scheme expressions; input continues until the datum is complete.",
            "Tab completes names (yours too); Ctrl-C interrupts an evaluation, Ctrl-D leaves.",
            "  ,help    this text",
            "  ,stats   heap statistics (collections, heap and live words)",
            "  ,gc      one complete major collection, then pending finalisers",
            "  ,quit    leave (or Ctrl-D)",
            "Weak features: make-ephemeron, make-weak-box, make-guardian, finalise!, finalise-last!,",
            "make-eq-hashtable with a weakness such as 'ephemeral-key, (gc), (gc-stats).");

    @Override
    public Integer call() throws Exception {
        if (!options.check("repl", System.err)) {
            return 2;
        }
        return SchemeThread.run(this::systemSession);
    }

    private Integer systemSession() throws IOException {
        if (System.console() != null) {
            // A terminal: JLine's system terminal turns SIGINT into Terminal.Signal.INT once the
            // session installs a handler for it (see session).
            try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
                return session(terminal);
            }
        }
        // Piped input (no console): a plain dumb terminal on the standard streams, so the output
        // is just prompts and values, without terminal control sequences. It gets no native
        // signals, so SIGINT is passed to it here: Ctrl-C interrupts as on a terminal.
        org.jline.terminal.Attributes noEcho = new org.jline.terminal.Attributes();
        noEcho.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ECHO, false);
        try (Terminal terminal = TerminalBuilder.builder().streams(System.in, System.out).type(Terminal.TYPE_DUMB)
                .attributes(noEcho).build()) {
            Object previous = Signals.register("INT", () -> terminal.raise(Terminal.Signal.INT));
            try {
                return session(terminal);
            } finally {
                Signals.unregister("INT", previous);
            }
        }
    }

    /** Runs a session on {@code terminal} until end of input or {@code ,quit}; returns the exit status. */
    int session(Terminal terminal) {
        try (Scheme scheme = options.create()) {
            PrintWriter out = terminal.writer();
            scheme.setOutput(out);
            LineReaderBuilder builder = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .parser(new ReplInput.SchemeParser())
                    .completer(new ReplInput.SchemeCompleter(scheme::globalNames))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ")
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.BRACKETED_PASTE, !Terminal.TYPE_DUMB.equals(terminal.getType()));
            if (!noHistory) {
                builder.variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".ephemera_history"));
            }
            LineReader reader = builder.build();
            // While an evaluation runs, Ctrl-C asks the machine to stop at its next call. (While
            // a line is being read, JLine handles Ctrl-C itself: the line is dropped.)
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> scheme.interrupt());
            try {
                out.println("ephemera Scheme — every object lives in an ephemera heap. ,help for help, ,quit to leave.");
                out.flush();
                return loop(reader, scheme, out);
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
            }
        }
    }

    /** Reads and evaluates until the end of input, {@code ,quit} or {@code (exit)}. */
    private static int loop(LineReader reader, Scheme scheme, PrintWriter out) {
        int nextLine = 1;
        while (true) {
            String input;
            try {
                input = reader.readLine("> ");
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return 0;
            }
            String trimmed = input.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int firstLine = nextLine;
            if (!trimmed.startsWith(",")) {
                nextLine += (int) input.chars().filter(c -> c == '\n').count() + 1;
            }
            scheme.clearInterrupt();
            try {
                if (trimmed.startsWith(",")) {
                    if (!command(trimmed, scheme, out)) {
                        return 0;
                    }
                } else {
                    for (String v : scheme.evalAndPrint(input, "<repl>", firstLine)) {
                        out.println(v);
                    }
                }
            } catch (SchemeExit e) {
                out.flush();
                return e.status();
            } catch (SchemeError e) {
                out.println(errorReport(e, firstLine));
            } catch (SchemeInterrupt e) {
                out.println(e.report());
            }
            out.flush();
        }
    }

    /**
     * How the REPL reports an error: {@code error: } and the message, then the backtrace. The
     * position is left out when it adds nothing — an error at top level in the input just typed
     * (lines from {@code inputFirstLine} on), as Chez, Racket and the OCaml toplevel report
     * them; an error inside a procedure, or in code entered earlier, says where.
     */
    static String errorReport(SchemeError e, int inputFirstLine) {
        boolean justTyped = e.backtrace().isEmpty() && e.position() != null
                && e.position().file().equals("<repl>") && e.position().line() >= inputFirstLine;
        StringBuilder sb = new StringBuilder("error: ").append(justTyped ? e.description() : e.getMessage());
        for (String line : e.backtrace()) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }

    /** Runs a comma command; returns false to leave the REPL. */
    static boolean command(String command, Scheme scheme, PrintWriter out) {
        switch (command) {
            case ",help":
            case ",h":
                out.println(HELP);
                break;
            case ",stats":
            case ",s":
                out.println(stats(scheme.heap().gc().stat()));
                break;
            case ",gc":
                scheme.heap().gc().major();
                scheme.poll();
                out.println("collected; " + stats(scheme.heap().gc().stat()));
                break;
            case ",quit":
            case ",q":
            case ",exit":
                return false;
            default:
                out.println("unknown command " + command + " (,help lists the commands)");
        }
        out.flush();
        return true;
    }

    static String stats(GcStat s) {
        return "minor collections " + s.minorCollections + ", major collections " + s.majorCollections
                + ", heap " + s.heapWords + " words, live " + s.liveWords + " words, top " + s.topHeapWords + " words";
    }
}
