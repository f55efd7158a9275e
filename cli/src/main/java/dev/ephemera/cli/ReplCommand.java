package dev.ephemera.cli;

import dev.ephemera.GcStat;
import dev.ephemera.scheme.Scheme;
import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.SchemeExit;
import dev.ephemera.scheme.read.ReadError;
import dev.ephemera.scheme.read.Reader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ephemera repl}: an interactive Scheme session. JLine gives line editing, history
 * (in {@code ~/.ephemera_history}) and completion of global names; input continues over
 * several lines until the datum is complete. Commands: {@code ,help}, {@code ,stats},
 * {@code ,gc}, {@code ,quit}. An error is printed and the session goes on.
 */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = "Interactive Scheme (line editing, history, multi-line input; ,help for commands).")
public final class ReplCommand implements Callable<Integer> {
    @Mixin
    SchemeOptions options = new SchemeOptions();

    @Option(names = "--no-history", description = "Do not read or write the history file.")
    boolean noHistory;

    static final String HELP = String.join("\n",
            "Enter Scheme expressions; input continues until the datum is complete.",
            "  ,help    this text",
            "  ,stats   heap statistics (collections, heap and live words)",
            "  ,gc      one complete major collection, then pending finalisers",
            "  ,quit    leave (or Ctrl-D)",
            "Weak features: make-ephemeron, make-weak-box, make-guardian, finalise!, finalise-last!,",
            "make-eq-hashtable with a weakness such as 'ephemeral-key, (gc), (gc-stats).");

    /** Tells JLine a line is incomplete while the text so far ends inside a datum. */
    static final class SchemeParser implements Parser {
        private final DefaultParser words = new DefaultParser();

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
            if (context == ParseContext.ACCEPT_LINE && !line.trim().startsWith(",") && !isComplete(line)) {
                throw new EOFError(-1, -1, "incomplete datum", "datum");
            }
            return words.parse(line, cursor, context);
        }
    }

    /** True unless {@code text} ends inside a datum, string or block comment. */
    static boolean isComplete(String text) {
        Reader reader = new Reader(text, "<repl>");
        try {
            while (reader.read() != Reader.EOF) {
                // keep reading
            }
            return true;
        } catch (ReadError e) {
            return !e.incomplete();
        }
    }

    @Override
    public Integer call() throws Exception {
        return SchemeThread.run(this::systemSession);
    }

    private Integer systemSession() throws IOException {
        // Piped input (no console): a plain dumb terminal on the standard streams, so the output
        // is just prompts and values, without terminal control sequences.
        TerminalBuilder builder;
        if (System.console() == null) {
            org.jline.terminal.Attributes noEcho = new org.jline.terminal.Attributes();
            noEcho.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ECHO, false);
            builder = TerminalBuilder.builder().streams(System.in, System.out).type(Terminal.TYPE_DUMB)
                    .attributes(noEcho);
        } else {
            builder = TerminalBuilder.builder().system(true).dumb(true);
        }
        try (Terminal terminal = builder.build()) {
            return session(terminal);
        }
    }

    /** Runs a session on {@code terminal} until end of input or {@code ,quit}; returns the exit status. */
    int session(Terminal terminal) {
        try (Scheme scheme = options.create()) {
            PrintWriter out = terminal.writer();
            scheme.setOutput(out);
            LineReaderBuilder builder = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .parser(new SchemeParser())
                    .completer(new StringsCompleter(scheme.globalNames()))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ")
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.BRACKETED_PASTE, !Terminal.TYPE_DUMB.equals(terminal.getType()));
            if (!noHistory) {
                builder.variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".ephemera_history"));
            }
            LineReader reader = builder.build();
            out.println("ephemera Scheme — every object lives in an ephemera heap. ,help for help, ,quit to leave.");
            out.flush();
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
                if (trimmed.startsWith(",")) {
                    try {
                        if (!command(trimmed, scheme, out)) {
                            return 0;
                        }
                    } catch (SchemeError e) {
                        out.println(errorReport(e, Integer.MAX_VALUE));
                        out.flush();
                    }
                    continue;
                }
                int firstLine = nextLine;
                nextLine += (int) input.chars().filter(c -> c == '\n').count() + 1;
                try {
                    List<String> values = scheme.evalAndPrint(input, "<repl>", firstLine);
                    for (String v : values) {
                        out.println(v);
                    }
                } catch (SchemeExit e) {
                    out.flush();
                    return e.status();
                } catch (SchemeError e) {
                    out.println(errorReport(e, firstLine));
                }
                out.flush();
            }
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
