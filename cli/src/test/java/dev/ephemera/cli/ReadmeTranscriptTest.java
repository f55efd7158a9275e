package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every REPL transcript in the README (a {@code ```scheme} block whose lines start with
 * {@code > }) in a fresh session and checks that the session prints exactly that: the echoed
 * inputs, values, errors and backtraces, line for line.
 *
 * <p>Two kinds of line are not the REPL's own output. {@code ^C} is the terminal echoing
 * Ctrl-C: the test presses it (raises INT on the terminal, as JLine does on SIGINT) the moment
 * the output reaches that point, so the interrupt lands exactly where the transcript shows it.
 * The figures of {@code ,stats} depend on the collector's tuning; that line is checked for its
 * shape only.
 */
class ReadmeTranscriptTest {
    private static final Pattern BLOCK = Pattern.compile("```scheme\n(> .*?)```", Pattern.DOTALL);
    private static final String CTRL_C = "^C";
    private static final Pattern STATS = Pattern.compile(
            "minor collections \\d+, major collections \\d+, heap \\d+ words, live \\d+ words, top \\d+ words");

    static List<String> transcripts() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyReplTranscriptReproduces() throws IOException {
        List<String> transcripts = transcripts();
        assertThat(transcripts).as("REPL transcripts in README.md").hasSizeGreaterThanOrEqualTo(2);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < transcripts.size(); i++) {
            String t = transcripts.get(i);
            tests.add(DynamicTest.dynamicTest("transcript " + (i + 1), () -> replay(t)));
        }
        return tests.stream();
    }

    /** The output, CRs dropped, pressing Ctrl-C whenever it has printed one of the cues. */
    private static final class Screen extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicReference<Terminal> terminal = new AtomicReference<>();
        private final List<String> cues;

        Screen(List<String> cues) {
            this.cues = new ArrayList<>(cues);
        }

        @Override
        public void write(int b) {
            if (b == '\r') {
                return;
            }
            bytes.write(b);
            if (!cues.isEmpty() && text().endsWith(cues.get(0))) {
                cues.remove(0);
                terminal.get().raise(Terminal.Signal.INT);
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static void replay(String transcript) throws IOException {
        List<String> lines = transcript.lines().toList();
        List<String> inputs = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        List<String> cues = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("> ")) {
                inputs.add(line.substring(2));
            }
            if (line.equals(CTRL_C)) {
                cues.add(shown.toString());
                continue;
            }
            shown.append(line).append('\n');
        }
        Screen screen = new Screen(cues.stream().map(c -> "\n" + lastLine(c)).toList());
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        // no terminal echo, as when input is piped: the line reader shows each typed line itself
        Attributes noEcho = new Attributes();
        noEcho.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        byte[] typed = (String.join("\n", inputs) + "\n").getBytes(StandardCharsets.UTF_8);
        try (Terminal t = TerminalBuilder.builder().streams(new ByteArrayInputStream(typed), screen)
                .type(Terminal.TYPE_DUMB).attributes(noEcho).build()) {
            screen.terminal.set(t);
            assertThat(repl.session(t)).isZero();
        }
        // the session: the banner, the transcript, and the prompt that met the end of the input
        String text = screen.text();
        text = text.substring(text.indexOf('\n') + 1);
        assertThat(text).endsWith("> \n");
        List<String> actual = text.substring(0, text.length() - 3).lines().toList();
        List<String> expected = shown.toString().lines().toList();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (STATS.matcher(expected.get(i)).matches()) {
                assertThat(actual.get(i)).matches(STATS);
            } else {
                assertThat(actual.get(i)).as("line " + (i + 1)).isEqualTo(expected.get(i));
            }
        }
    }

    /** The last line of {@code text} (which ends with a newline), with its newline. */
    private static String lastLine(String text) {
        String trimmed = text.substring(0, text.length() - 1);
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1) + "\n";
    }
}
