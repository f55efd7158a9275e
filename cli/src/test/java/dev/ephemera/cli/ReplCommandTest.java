package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

class ReplCommandTest {
    private static String session(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).type(Terminal.TYPE_DUMB).build()) {
            assertThat(repl.session(t)).isZero();
        }
        // the terminal ends lines with CR LF
        return out.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    @Test
    void evaluatesAndPrintsValues() throws IOException {
        String out = session("(+ 1 2)\n(define x 5)\n(list x 'a \"s\")\n");
        assertThat(out).contains("3").contains("(5 a \"s\")");
    }

    @Test
    void multiLineInputContinuesUntilTheDatumIsComplete() throws IOException {
        String out = session("(define (f x)\n  (* x\n     10))\n(f 4)\n");
        assertThat(out).contains("40");
    }

    @Test
    void errorsArePrintedAndTheSessionGoesOn() throws IOException {
        String out = session("(car '())\n(vector-ref (vector 1) 3)\n(+ 2 2)\n");
        assertThat(out).contains("error: car: expected a pair, got ()")
                .contains("error: vector-ref: index 3 out of range")
                .contains("4");
    }

    @Test
    void anErrorInAProcedureSaysWhereOnTheSessionsLineNumbers() throws IOException {
        String out = session("(define (f x)\n  (car x))\n(+ 1 (f 5))\n(car 7)\n");
        assertThat(out).contains(String.join("\n",
                "error: <repl>:2:3: car: expected a pair, got 5",
                "  in f (<repl>:2:3)",
                "  called from top level (<repl>:3:6)"));
        // at top level in the input just typed, the position would add nothing
        assertThat(out).contains("error: car: expected a pair, got 7\n");
    }

    @Test
    void commandsHelpStatsAndGc() throws IOException {
        String out = session(",help\n,stats\n,gc\n,bogus\n,quit\n(display (* 111 111))\n");
        assertThat(out).contains(",stats").contains("major collections").contains("collected;")
                .contains("unknown command ,bogus").doesNotContain("12321");
    }

    @Test
    void finalisersRunAtTheGcCommand() throws IOException {
        String out = session("(define (f) (finalise! (lambda (o) (display \"finalised \") (display (car o))) (list 'obj)))\n(f)\n,gc\n");
        assertThat(out).contains("finalised obj");
    }

    @Test
    void completenessCheck() {
        assertThat(ReplCommand.isComplete("(+ 1 2)")).isTrue();
        assertThat(ReplCommand.isComplete("(+ 1")).isFalse();
        assertThat(ReplCommand.isComplete("\"abc")).isFalse();
        assertThat(ReplCommand.isComplete("#| comment")).isFalse();
        assertThat(ReplCommand.isComplete(")")).isTrue();
    }
}
