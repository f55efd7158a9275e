package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap's limits from the command line: {@code --max-heap-words 1048576} could not
 * even start an interpreter (no block of 1,024 words or more fitted a maximum of 2^20 words), and
 * a runaway allocation must end in a one-line heap-exhausted error, the REPL still usable.
 */
class HeapLimitCommandTest {
    @TempDir
    Path dir;

    @Test
    void aOneMegawordMaximumRunsAScriptThatMakesATwoThousandWordVector() throws IOException {
        Path p = dir.resolve("vector.scm");
        Files.writeString(p, "(define v (make-vector 2000 7))\n(display (vector-length v))\n(display (vector-ref v 1999))\n");
        CliCapture r = CliCapture.run("run", "--max-heap-words", "1048576", p.toString());
        assertThat(r.err).isEmpty();
        assertThat(r.status).isZero();
        assertThat(r.out).isEqualTo("20007");
    }

    @Test
    void aRunawayAllocationInRunEndsInOneLine() throws IOException {
        Path p = dir.resolve("runaway.scm");
        Files.writeString(p, "(define (grow l) (grow (cons (make-vector 10 0) l)))\n(grow '())\n");
        CliCapture r = CliCapture.run("run", "--max-heap-words", "2000000", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).startsWith("error: heap exhausted").contains("max heap 2000000 words");
        assertThat(r.err.strip().lines()).hasSize(1);
    }

    @Test
    void aRunawayAllocationInTheReplEndsInOneLineAndTheReplGoesOn() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        repl.options.maxHeapWords = 2_000_000L;
        String input = "(define (grow l) (grow (cons (make-vector 10 0) l)))\n(grow '())\n(+ 40 2)\n"
                + "(define keep (make-vector 100000 1))\n(vector-length keep)\n";
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).type(Terminal.TYPE_DUMB).build()) {
            assertThat(repl.session(t)).isZero();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().filter(l -> l.contains("heap exhausted")).count()).isEqualTo(1);
        assertThat(text).contains("42").contains("100000").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
