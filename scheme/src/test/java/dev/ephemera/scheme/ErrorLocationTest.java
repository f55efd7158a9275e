package dev.ephemera.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime errors say where they happened: the failing call's position and a short backtrace. */
class ErrorLocationTest {
    private static SchemeError error(Scheme s, String text, String file) {
        return catchThrowableOfType(SchemeError.class, () -> s.eval(text, file));
    }

    @Test
    void theFailingCallIsLocatedAndTheWaitingProceduresAreListed() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, String.join("\n",
                    "(define (first-of x) (car x))",
                    "(define (process l) (+ 1 (first-of l)))",
                    "(define (run) (list (process 5)))",
                    "(run)"), "prog.scm");
            assertThat(e.kind()).isEqualTo("wrong-type");
            assertThat(e.description()).isEqualTo("car: expected a pair, got 5");
            assertThat(e.getMessage()).isEqualTo("prog.scm:1:22: car: expected a pair, got 5");
            assertThat(e.position().toString()).isEqualTo("prog.scm:1:22");
            // (process 5) is an operand, so run waits for it; (run) itself is a tail call at top
            // level and leaves no frame.
            assertThat(e.backtrace()).containsExactly(
                    "in first-of (prog.scm:1:22)",
                    "called from process (prog.scm:2:26)",
                    "called from run (prog.scm:3:21)");
            assertThat(e.report()).isEqualTo(String.join("\n",
                    "prog.scm:1:22: car: expected a pair, got 5",
                    "  in first-of (prog.scm:1:22)",
                    "  called from process (prog.scm:2:26)",
                    "  called from run (prog.scm:3:21)"));
        }
    }

    @Test
    void framesOfTheFailingActivationAreNotListedAgain() {
        try (Scheme s = Scheme.create()) {
            // mean's own frame (/ waiting for apply) is the activation the error is in
            SchemeError e = error(s, "(define (mean l) (/ (apply + l) (length l)))\n"
                    + "(define (summary l) (list 'mean (let ((m (mean l))) m) 'n (length l)))\n(summary '(1 . 2))", "s.scm");
            assertThat(e.backtrace()).containsExactly("in mean (s.scm:1:21)", "called from summary (s.scm:2:42)");
        }
    }

    @Test
    void tailCallsLeaveNoFrame() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (inner x) (vector-ref x 0))\n(define (outer x) (inner x))\n(outer 'v)", "t.scm");
            assertThat(e.backtrace()).containsExactly("in inner (t.scm:1:19)");
        }
    }

    @Test
    void aTopLevelErrorHasAPositionAndNoBacktrace() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define v (vector 1 2 3))\n  (vector-ref v 3)", "top.scm");
            assertThat(e.getMessage()).isEqualTo("top.scm:2:3: vector-ref: index 3 out of range [0, 3) for vector #(1 2 3)");
            assertThat(e.backtrace()).isEmpty();
        }
    }

    @Test
    void unboundVariablesAreLocatedAtTheirReference() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (f) (+ 1\n   (g nope)))\n(f)", "u.scm");
            assertThat(e.kind()).isEqualTo("unbound-variable");
            assertThat(e.getMessage()).isEqualTo("u.scm:2:4: unbound variable: g");
            assertThat(e.backtrace()).containsExactly("in f (u.scm:2:4)");
        }
    }

    @Test
    void aDeepRecursionIsOneLineWithACount() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (count n) (if (= n 0) (car '()) (+ 1 (count (- n 1)))))\n(count 500)", "d.scm");
            assertThat(e.backtrace()).containsExactly(
                    "in count (d.scm:1:31)",
                    "called from count (d.scm:1:46), 500 times");
        }
    }

    @Test
    void aVeryDeepRecursionSaysTheCountIsALowerBound() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (count n) (if (= n 0) (car '()) (+ 1 (count (- n 1)))))\n(count 50000)", "d.scm");
            assertThat(e.backtrace()).containsExactly(
                    "in count (d.scm:1:31)",
                    "called from count (d.scm:1:46), at least 10000 times",
                    "...");
        }
    }

    @Test
    void manyDifferentCallersAreCutShort() {
        try (Scheme s = Scheme.create()) {
            StringBuilder program = new StringBuilder("(define (p0) (car 0))\n");
            for (int i = 1; i <= 12; i++) {
                program.append("(define (p").append(i).append(") (list (p").append(i - 1).append(")))\n");
            }
            program.append("(p12)");
            SchemeError e = error(s, program.toString(), "m.scm");
            assertThat(e.backtrace()).hasSize(1 + 8 + 1);
            assertThat(e.backtrace().get(0)).isEqualTo("in p0 (m.scm:1:14)");
            assertThat(e.backtrace().get(1)).isEqualTo("called from p1 (m.scm:2:20)");
            assertThat(e.backtrace().get(9)).isEqualTo("...");
        }
    }

    @Test
    void anErrorObjectKeepsWhereItWasMadeWhenRaisedAgain() {
        try (Scheme s = Scheme.create()) {
            // the guard has no matching clause, so it raises the object again from the guard
            SchemeError e = error(s, "(define (f) (error \"failed:\" 42))\n"
                    + "(define (g) (guard (e ((string? e) 'no)) (list (f))))\n(g)", "r.scm");
            assertThat(e.getMessage()).isEqualTo("r.scm:1:13: failed: 42");
            // g has two frames (list waits for (f), the guard for its body): one entry, the inner
            assertThat(e.backtrace()).containsExactly("in f (r.scm:1:13)", "called from g (r.scm:2:48)");
        }
    }

    @Test
    void aRaisedNonConditionIsLocatedAtTheRaise() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (f) (raise 'oops))\n(list (f))", "n.scm");
            assertThat(e.getMessage()).isEqualTo("n.scm:1:13: uncaught exception: oops");
            assertThat(e.backtrace()).containsExactly("in f (n.scm:1:13)", "called from top level (n.scm:2:7)");
        }
    }

    @Test
    void anonymousProceduresAreNamedByTheirParameters() {
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(define (apply-to f x) (list (f x)))\n(apply-to (lambda (y) (car y)) 1)", "a.scm");
            assertThat(e.backtrace()).containsExactly(
                    "in (lambda (y) ...) (a.scm:2:23)", "called from apply-to (a.scm:1:30)");
        }
    }

    @Test
    void errorsInLoadedFilesNameThatFile(@TempDir Path dir) throws IOException {
        Path lib = dir.resolve("lib.scm");
        Files.writeString(lib, "(define (helper x)\n  (+ x 'one))\n");
        try (Scheme s = Scheme.create()) {
            SchemeError e = error(s, "(load \"" + lib + "\")\n(define (main) (list (helper 1)))\n(main)", "main.scm");
            assertThat(e.getMessage()).isEqualTo(lib + ":2:3: +: expected a number, got one");
            assertThat(e.backtrace()).containsExactly("in helper (" + lib + ":2:3)", "called from main (main.scm:2:22)");
        }
    }

    @Test
    void aRaiseInALoadedFileReachesAGuardAroundTheLoadUnchanged(@TempDir Path dir) throws IOException {
        Path lib = dir.resolve("raises.scm");
        Files.writeString(lib, "(raise (list 'from-file))\n");
        try (Scheme s = Scheme.create()) {
            assertThat(s.evalToString("(guard (e ((and (pair? e) (eq? (car e) 'from-file)) 'caught)) (load \"" + lib + "\"))"))
                    .isEqualTo("caught");
        }
    }
}
