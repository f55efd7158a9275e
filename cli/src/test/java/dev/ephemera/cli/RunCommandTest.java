package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    @TempDir
    Path dir;

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void successExitsZeroAndPrintsOnlyWhatTheScriptDisplays() throws IOException {
        Path p = script("ok.scm", "(define (sq x) (* x x))\n(sq 4)\n(display (sq 5))\n(newline)\n");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isZero();
        assertThat(r.out).isEqualTo("25\n");
        assertThat(r.err).isEmpty();
    }

    @Test
    void severalFilesShareOneInterpreter() throws IOException {
        Path a = script("a.scm", "(define shared 41)");
        Path b = script("b.scm", "(display (+ shared 1))");
        CliCapture r = CliCapture.run("run", a.toString(), b.toString());
        assertThat(r.status).isZero();
        assertThat(r.out).isEqualTo("42");
    }

    @Test
    void runtimeErrorGoesToStderrWithStatusOne() throws IOException {
        Path p = script("bad.scm", "(display \"before\")\n(car 5)\n(display \"after\")\n");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).isEqualTo("before");
        assertThat(r.err).contains("car: expected a pair, got 5");
    }

    @Test
    void runtimeErrorsGiveFileLineColumnAndABacktraceOnStderr() throws IOException {
        Path p = script("where.scm", "(define (first-of x) (car x))\n(define (go) (list (first-of 5)))\n(go)\n");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEqualTo(String.join("\n",
                "error: " + p + ":1:22: car: expected a pair, got 5",
                "  in first-of (" + p + ":1:22)",
                "  called from go (" + p + ":2:20)",
                ""));
    }

    @Test
    void readErrorNamesFileLineAndColumn() throws IOException {
        Path p = script("unbalanced.scm", "(define x 1)\n  (display x))\n");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains(p + ":2:14: read error: unexpected ')'");
    }

    @Test
    void unterminatedListIsAReadError() throws IOException {
        Path p = script("open.scm", "(display 1)\n(define (f x)\n  (+ x 1)\n");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains(p + ":2:1: read error: end of input inside a list");
    }

    @Test
    void uncaughtRaiseAndUserErrorsAreReported() throws IOException {
        Path p = script("raise.scm", "(error \"disk full:\" 'sda 93)");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains("disk full: sda 93");
    }

    @Test
    void exitSetsTheStatus() throws IOException {
        Path p = script("exit.scm", "(display \"x\") (exit 3) (display \"not reached\")");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(3);
        assertThat(r.out).isEqualTo("x");
    }

    @Test
    void deepRecursionWorksFromTheCommandLine() throws IOException {
        Path p = script("deep.scm", "(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))\n(display (count 300000))");
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isZero();
        assertThat(r.out).isEqualTo("300000");
    }

    @Test
    void aBadHeapSizeIsAOneLineErrorNotAStackTrace() throws IOException {
        Path p = script("ok.scm", "(display 1)");
        CliCapture small = CliCapture.run("run", "--minor-heap-words", "10", p.toString());
        assertThat(small.status).isEqualTo(2);
        assertThat(small.out).isEmpty();
        assertThat(small.err).isEqualTo("ephemera run: --minor-heap-words 10 is out of range: "
                + "the nursery must be 256 to 268435456 words\n");
        CliCapture large = CliCapture.run("run", "--minor-heap-words", "1000000000", p.toString());
        assertThat(large.status).isEqualTo(2);
        assertThat(large.err).isEqualTo("ephemera run: --minor-heap-words 1000000000 is out of range: "
                + "the nursery must be 256 to 268435456 words\n");
        CliCapture max = CliCapture.run("run", "--max-heap-words", "-5", p.toString());
        assertThat(max.status).isEqualTo(2);
        assertThat(max.err).isEqualTo("ephemera run: --max-heap-words -5 is too small: the heap needs at least 4096 words\n");
        CliCapture repl = CliCapture.run("repl", "--no-history", "--max-heap-words", "0");
        assertThat(repl.status).isEqualTo(2);
        assertThat(repl.err).isEqualTo("ephemera repl: --max-heap-words 0 is too small: the heap needs at least 4096 words\n");
    }

    @Test
    void theGcLogHasALinePerCycleAndItsVerboseLevelALinePerSliceToo() throws IOException {
        // enough live data over a small nursery that major cycles run in several slices
        Path p = script("churn.scm", "(define (build n acc) (if (= n 0) acc (build (- n 1) (cons n acc))))\n"
                + "(define keep (build 20000 '()))\n"
                + "(define (loop i) (if (< i 10) (begin (build 20000 '()) (loop (+ i 1)))))\n"
                + "(loop 0)\n(display (length keep))\n");
        CliCapture plain = CliCapture.run("run", "--minor-heap-words", "4096", "--gc-log", p.toString());
        assertThat(plain.status).isEqualTo(0);
        assertThat(plain.out).isEqualTo("20000");
        assertThat(plain.err.lines()).anyMatch(l -> l.startsWith("[gc] minor #"))
                .anyMatch(l -> l.startsWith("[gc] major #"))
                .noneMatch(l -> l.startsWith("[gc] slice #"));
        CliCapture verbose = CliCapture.run("run", "--minor-heap-words", "4096", "--gc-log-slices", p.toString());
        assertThat(verbose.status).isEqualTo(0);
        assertThat(verbose.err.lines()).anyMatch(l -> l.startsWith("[gc] major #"))
                .filteredOn(l -> l.startsWith("[gc] slice #"))
                .hasSizeGreaterThan(1)
                .allMatch(l -> l.matches("\\[gc\\] slice #\\d+ reason=\"[^\"]*\" pause=\\d+\\.\\d{3}ms work=\\d+w .*"));
    }

    @Test
    void runawayAllocationEndsInAOneLineHeapError() throws IOException {
        Path p = script("grow.scm", "(display \"start\")\n(define (grow l) (grow (cons l l)))\n(grow '())\n");
        // a small explicit heap keeps the test fast; the default is derived from the JVM's memory
        CliCapture r = CliCapture.run("run", "--max-heap-words", Integer.toString(1 << 22), p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).isEqualTo("start");
        assertThat(r.err).startsWith("error: heap exhausted allocating").endsWith(")\n");
        assertThat(r.err.lines()).hasSize(1);
    }

    @Test
    void runawayRecursionEndsInAOneLineHeapErrorThatSaysSo() throws IOException {
        Path p = script("deep.scm", "(define (f n) (+ 1 (f n)))\n(f 0)\n");
        CliCapture r = CliCapture.run("run", "--max-heap-words", Integer.toString(1 << 22), p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).startsWith("error: heap exhausted").endsWith("frames deep: runaway recursion?)\n");
        assertThat(r.err.lines()).hasSize(1);
    }

    @Test
    void aFileThatIsNotUtf8SaysSoAndWhichFile() throws IOException {
        Path p = dir.resolve("bad.scm");
        Files.write(p, new byte[] {(byte) 0xff, (byte) 0xfe, '(', 'd', 'i', 's', 'p', 'l', 'a', 'y', ' ', '1', ')'});
        CliCapture r = CliCapture.run("run", p.toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).isEqualTo("error: load: " + p + " is not valid UTF-8: byte 0xff at line 1, byte 1 of the line\n");
    }

    @Test
    void missingFileIsAnError() {
        CliCapture r = CliCapture.run("run", dir.resolve("nope.scm").toString());
        assertThat(r.status).isEqualTo(1);
        assertThat(r.err).contains("nope.scm");
    }
}
