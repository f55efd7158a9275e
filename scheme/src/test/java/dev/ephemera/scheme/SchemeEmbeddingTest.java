package dev.ephemera.scheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.HeapConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-facing behaviour: values, errors as they reach Java, heap limits. */
class SchemeEmbeddingTest {
    @Test
    void evaluatesAndWritesValues() {
        try (Scheme s = Scheme.create()) {
            assertThat(s.evalToString("(define (f x) (* x x)) (f 12)")).isEqualTo("144");
            assertThat(s.evalAndPrint("1 (define y 2) \"s\" #\\a 1.5 '(a . b) (if #f #f)", "t"))
                    .containsExactly("1", "\"s\"", "#\\a", "1.5", "(a . b)");
            assertThat(s.evalToString("car")).isEqualTo("#<procedure car>");
            assertThat(s.evalToString("(define (named) 1) named")).isEqualTo("#<procedure named>");
        }
    }

    /**
     * {@code (gc)} frees what is garbage when it is called even if the collector was in the middle
     * of a cycle, whose snapshot predates the call: that cycle is finished and counted, then a
     * whole one runs. Idle, {@code (gc)} is one major collection.
     */
    @Test
    void gcDuringACycleStillCollectsWhatDiedBeforeTheCall() {
        try (Scheme s = Scheme.create(HeapConfig.defaults().sliceWords(16))) {
            s.eval("(define events '())"
                    + "(define (register!) (let ((a (list 'a)) (b (list 'b)))"
                    + "  (finalise! (lambda (o) (set! events (cons (car o) events))) a)"
                    + "  (finalise! (lambda (o) (set! events (cons (car o) events))) b)))", "t");
            s.heap().gc().majorSlice(1); // a cycle starts: its snapshot is taken now
            assertThat(s.heap().gc().majorPhase()).as("the cycle runs on").isNotNull();
            long before = s.heap().gc().majorCollections();
            assertThat(s.evalToString("(register!) (gc) events")).isEqualTo("(a b)");
            assertThat(s.heap().gc().majorCollections()).as("the running cycle and a whole one").isEqualTo(before + 2);
            assertThat(s.evalToString("(gc) events")).isEqualTo("(a b)");
            assertThat(s.heap().gc().majorCollections()).as("idle: one").isEqualTo(before + 3);
            assertThat(s.evalToString("(set! events '()) (register!) (gc 'full) events")).isEqualTo("(a b)");
        }
    }

    @Test
    void displayGoesToTheConfiguredOutput() {
        try (Scheme s = Scheme.create()) {
            StringWriter w = new StringWriter();
            s.setOutput(new PrintWriter(w));
            s.eval("(display \"hi\") (write 'sym) (newline)", "t");
            assertThat(w.toString()).isEqualTo("hisym\n");
        }
    }

    @Test
    void readErrorsGiveFileLineAndColumn() {
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.eval("(+ 1 2)\n   (car '(1 2)", "prog.scm"))
                    .isInstanceOf(SchemeError.class)
                    .hasMessage("prog.scm:2:4: read error: end of input inside a list opened here")
                    .matches(e -> ((SchemeError) e).kind().equals("read-error"));
            assertThatThrownBy(() -> s.eval("\n\n  #\\nosuchchar", "c.scm"))
                    .hasMessageContaining("c.scm:3:3: read error: unknown character name #\\nosuchchar");
            assertThatThrownBy(() -> s.eval("9999999999999999999", "n.scm"))
                    .hasMessageContaining("n.scm:1:1: read error: integer literal 9999999999999999999 does not fit in 63 bits");
            assertThatThrownBy(() -> s.eval("\"abc\\q\"", "e.scm"))
                    .hasMessageContaining("e.scm:1:5: read error: unknown string escape \\q");
        }
    }

    @Test
    void syntaxErrorsNameTheForm() {
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.eval("(if)", "f.scm"))
                    .hasMessageContaining("f.scm:1:1: syntax error: if takes a test and one or two branches: (if)")
                    .matches(e -> ((SchemeError) e).kind().equals("syntax-error"));
            assertThatThrownBy(() -> s.eval("(lambda (x x) x)", "f.scm"))
                    .hasMessageContaining("duplicate parameter x");
        }
    }

    @Test
    void uncaughtErrorsCarryTheirKind() {
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.eval("(vector-ref (vector 1 2) 2)", "t"))
                    .hasMessage("t:1:1: vector-ref: index 2 out of range [0, 2) for vector #(1 2)")
                    .matches(e -> ((SchemeError) e).kind().equals("bad-index"))
                    .matches(e -> ((SchemeError) e).description()
                            .equals("vector-ref: index 2 out of range [0, 2) for vector #(1 2)"));
            assertThatThrownBy(() -> s.eval("(raise 'oops)", "t")).hasMessage("t:1:1: uncaught exception: oops");
            assertThatThrownBy(() -> s.eval("(error \"bad thing:\" 1 \"two\")", "t"))
                    .hasMessage("t:1:1: bad thing: 1 \"two\"");
            // the interpreter is still usable
            assertThat(s.evalToString("(+ 1 1)")).isEqualTo("2");
        }
    }

    @Test
    void aSourceFileThatIsNotUtf8IsNamedWithTheBadByte(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("latin1.scm");
        Files.write(bad, new byte[] {'(', 'd', ')', '\n', ';', ' ', (byte) 0xe9, 't', 'e', '\n'});
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.load(bad))
                    .isInstanceOf(SchemeError.class)
                    .hasMessage("load: " + bad + " is not valid UTF-8: byte 0xe9 at line 2, byte 3 of the line")
                    .matches(e -> ((SchemeError) e).kind().equals("file-error"));
            Path good = dir.resolve("utf8.scm");
            Files.writeString(good, "(define word \"\u00e9t\u00e9 \u03bb\")");
            s.load(good);
            assertThat(s.evalToString("(string-length word)")).isEqualTo("5");
        }
    }

    @Test
    void exitUnwindsToTheHost() {
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.eval("(exit 7)", "t")).isInstanceOf(SchemeExit.class)
                    .matches(e -> ((SchemeExit) e).status() == 7);
        }
    }

    @Test
    void tailCallsRunInConstantSpaceOnASmallHeap() {
        // 512k words of major heap: a loop that leaked a frame per iteration would exhaust it.
        try (Scheme s = Scheme.create(HeapConfig.defaults().maxHeapWords(1 << 19).initialHeapWords(1 << 18))) {
            assertThat(s.evalToString("(define (loop n acc) (if (= n 0) acc (loop (- n 1) (+ acc 1)))) (loop 3000000 0)"))
                    .isEqualTo("3000000");
        }
    }

    @Test
    void recursionBeyondTheHeapIsAHeapErrorNotAStackOverflow() {
        try (Scheme s = Scheme.create(HeapConfig.defaults().maxHeapWords(1 << 19).initialHeapWords(1 << 18))) {
            assertThatThrownBy(() -> s.eval("(define (count n) (+ 1 (count n))) (count 0)", "t"))
                    .isInstanceOf(SchemeError.class)
                    .matches(e -> ((SchemeError) e).kind().equals("heap-exhausted"))
                    .hasMessageStartingWith("heap exhausted allocating")
                    .hasMessageContaining("frames deep: runaway recursion?)");
            assertThat(s.evalToString("(+ 1 2)")).isEqualTo("3");
        }
    }

    @Test
    void runawayAllocationIsAHeapErrorAndTheDefinitionsStay() {
        try (Scheme s = Scheme.create(HeapConfig.defaults().maxHeapWords(1 << 19).initialHeapWords(1 << 18))) {
            s.eval("(define kept (list 'still 'here)) (define (grow l) (grow (cons l l)))", "t");
            assertThatThrownBy(() -> s.eval("(grow '())", "t"))
                    .isInstanceOf(SchemeError.class)
                    .matches(e -> ((SchemeError) e).kind().equals("heap-exhausted"))
                    .hasMessageStartingWith("heap exhausted allocating")
                    .hasMessageNotContaining("runaway recursion")
                    .matches(e -> ((SchemeError) e).backtrace().isEmpty());
            // not catchable: a handler could not run without memory
            assertThatThrownBy(() -> s.eval("(guard (e (#t 'caught)) (grow '()))", "t"))
                    .matches(e -> ((SchemeError) e).kind().equals("heap-exhausted"));
            assertThat(s.evalToString("kept")).isEqualTo("(still here)");
            assertThat(s.evalToString("(length (iota 10000))")).isEqualTo("10000");
        }
    }

    @Test
    void aRecursionThroughNestedEvaluationsIsACleanError(@TempDir Path dir) throws IOException {
        Path self = dir.resolve("self.scm");
        Files.writeString(self, "(load \"" + self + "\")\n");
        try (Scheme s = Scheme.create()) {
            assertThatThrownBy(() -> s.load(self))
                    .isInstanceOf(SchemeError.class)
                    .hasMessageContaining("evaluations nested too deeply (200 inside one another)");
            assertThatThrownBy(() -> s.eval("(define (g) (with-output-to-string g)) (g)", "t"))
                    .hasMessageContaining("evaluations nested too deeply");
            assertThat(s.evalToString("(+ 1 2)")).isEqualTo("3");
        }
    }

    @Test
    void deeplyNestedDataDoNotOverflowTheJavaStack() {
        try (Scheme s = Scheme.create()) {
            assertThat(s.evalToString("(define (nest n x) (if (= n 0) x (nest (- n 1) (list x)))) "
                    + "(define a (nest 100000 'z)) (define b (nest 100000 'z)) (equal? a b)")).isEqualTo("#t");
        }
    }

    @Test
    void symbolsAreInternedWeakly() {
        try (Scheme s = Scheme.create()) {
            s.eval("(define (make n) (if (> n 0) (begin (string->symbol (string-append \"sym-\" (number->string n))) (make (- n 1)))))"
                    + "(make 5000) (gc)", "t");
            assertThat(s.evalToString("(eq? (string->symbol \"sym-1\") (string->symbol \"sym-1\"))")).isEqualTo("#t");
            assertThat(s.evalToString("(eq? 'car (string->symbol \"car\"))")).isEqualTo("#t");
        }
    }
}
