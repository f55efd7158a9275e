package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /**
     * Output that presses Ctrl-C (raises INT on the terminal, as JLine does on SIGINT) the first
     * time {@code cue} is written: the test is deterministic, with no timing.
     */
    private static final class CtrlCOnCue extends OutputStream {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        final AtomicReference<Terminal> terminal = new AtomicReference<>();
        private final String cue;
        private boolean pressed;

        CtrlCOnCue(String cue) {
            this.cue = cue;
        }

        @Override
        public void write(int b) {
            seen.write(b);
            if (!pressed && seen.toString(StandardCharsets.UTF_8).contains(cue)) {
                pressed = true;
                terminal.get().raise(Terminal.Signal.INT);
            }
        }
    }

    @Test
    @Timeout(60)
    void ctrlCStopsTheEvaluationAndTheSessionGoesOnWithItsDefinitions() throws IOException {
        CtrlCOnCue out = new CtrlCOnCue("looping");
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        String input = String.join("\n",
                "(define kept 42)",
                "(define (spin) (let loop ((i 0)) (loop (+ i 1))))",
                // the cue is computed, so that the terminal's echo of this line does not contain it
                "(begin (display (string-append \"loop\" \"ing\")) (newline) (spin))",
                "(list kept (procedure? spin))",
                "");
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).type(Terminal.TYPE_DUMB).build()) {
            out.terminal.set(t);
            assertThat(repl.session(t)).isZero();
        }
        String text = out.seen.toString(StandardCharsets.UTF_8).replace("\r", "");
        // the request arrived in a primitive at top level, so the machine stops at the call of
        // spin, where there is no procedure to name yet
        assertThat(text).contains("looping\ninterrupted\n> ").contains("(42 #t)");
    }

    @Test
    @Timeout(60)
    void aCtrlCThatArrivesBetweenEvaluationsDoesNotStopTheNextOne() throws IOException {
        CtrlCOnCue out = new CtrlCOnCue("early");
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        // the cue is printed by a primitive, after the last call of its input: the request is
        // still pending when that evaluation ends
        String input = "(display (string-append \"ear\" \"ly\"))\n(define (count n) (if (= n 0) 'done (count (- n 1))))\n"
                + "(count 10)\n";
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).type(Terminal.TYPE_DUMB).build()) {
            out.terminal.set(t);
            assertThat(repl.session(t)).isZero();
        }
        assertThat(out.seen.toString(StandardCharsets.UTF_8)).contains("done").doesNotContain("interrupted");
    }

    @Test
    void tabCompletesTheUsersOwnDefinitionsAfterAParenthesis() throws IOException {
        // an ANSI terminal: JLine completes only on terminals that can redraw the line
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        String input = "(define (my-function x) (* x 3))\r(my-fu\t5)\r";
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).type("ansi").build()) {
            assertThat(repl.session(t)).isZero();
        }
        String text = out.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
        assertThat(text).contains("> (my-function 5)\n15\n");
    }

    @Test
    void runawayAllocationAndRecursionAreCleanErrorsAndTheDefinitionsStay() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReplCommand repl = new ReplCommand();
        repl.noHistory = true;
        repl.options.maxHeapWords = 1L << 22; // small, so that the test is fast
        String input = String.join("\n",
                "(define kept 'yes)",
                "(define (grow l) (grow (cons l l)))",
                "(grow '())",
                "(define (f n) (+ 1 (f n)))",
                "(f 0)",
                "(list kept (length (iota 1000)))",
                "");
        try (Terminal t = TerminalBuilder.builder().streams(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), bytes).type(Terminal.TYPE_DUMB).build()) {
            assertThat(repl.session(t)).isZero();
        }
        String out = bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
        assertThat(out).containsPattern("> \\(grow '\\(\\)\\)\nerror: heap exhausted allocating [^\n]*\n> ")
                .containsPattern("> \\(f 0\\)\nerror: heap exhausted [^\n]*runaway recursion\\?\\)\n> ")
                .contains("(yes 1000)");
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
}
