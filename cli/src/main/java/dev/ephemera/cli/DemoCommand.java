package dev.ephemera.cli;

import dev.ephemera.bench.suite.Charts;
import dev.ephemera.scheme.Scheme;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ephemera demo}: the guided tour, non-interactive. Three acts, narrated: (1) the memo
 * workload in a {@code java.util.WeakHashMap} and in an ephemera ephemeron table, round by
 * round, with a PNG chart; (2) finalisers running in the order OCaml's {@code Gc.finalise}
 * documents; (3) a weak pointer and an ephemeron being cleared. Every claim is checked and
 * printed as a {@code PASS}/{@code FAIL} line; the exit status is 1 if any check fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A guided tour of ephemerons, weak pointers and finalisation (about 15 seconds).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "10", description = "Rounds of the memo workload (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--keys", defaultValue = "20000", description = "Memo entries added per round (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--chart", defaultValue = "demo-output/memo-retention.png",
            description = "Where to write the PNG chart (default ${DEFAULT-VALUE}).")
    Path chart;

    private PrintStream out;
    private int passed;
    private int failed;

    @Override
    public Integer call() throws IOException {
        System.setProperty("java.awt.headless", "true");
        out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (rounds < 2 || keys < 10) {
            out.println("demo: --rounds must be at least 2 and --keys at least 10");
            return 2;
        }
        long start = System.nanoTime();
        out.println("ephemera demo: ephemerons, weak pointers and finalisation, exactly as OCaml specifies them,");
        out.println("on a heap written in Java. Every object below lives in that heap; the Scheme snippets run on it.");
        out.println();
        try (Scheme scheme = Scheme.create()) {
            scheme.setOutput(new PrintWriter(out, true));
            memoAct(scheme);
            finaliserAct(scheme);
            weakAct(scheme);
        }
        out.println();
        out.printf("demo finished in %.1f s: %d checks passed, %d failed%n", (System.nanoTime() - start) / 1e9, passed, failed);
        out.println(failed == 0 ? "RESULT: PASS" : "RESULT: FAIL");
        return failed == 0 ? 0 : 1;
    }

    private void check(boolean ok, String claim) {
        if (ok) {
            passed++;
            out.println("  PASS " + claim);
        } else {
            failed++;
            out.println("  FAIL " + claim);
        }
    }

    // ================================================================== act 1

    private void memoAct(Scheme scheme) throws IOException {
        out.println("== 1. A memo table whose values refer to their keys ==");
        out.println("A memo table caches a result per argument. Here each result mentions its argument, so the");
        out.println("value points back at the key. Each round adds " + keys + " entries; only that round's keys");
        out.println("stay in use. A table that frees entries whose keys are dead should hold about " + keys + ".");
        out.println("  java.util.WeakHashMap: the value is a strong reference to the key, so the key never dies.");
        out.println("  ephemera ephemeral-key table: an ephemeron keeps the value only while the key is alive");
        out.println("  for other reasons, so old rounds are freed at each collection.");
        out.println();
        MemoRace race = new MemoRace(scheme);
        List<Integer> javaRetained = new ArrayList<>();
        List<Integer> ephemeraRetained = new ArrayList<>();
        boolean javaAll = true;
        boolean ephemeraExact = true;
        List<String> lines = new ArrayList<>();
        // On a terminal the rounds show as a progress bar on stderr (the bench command's
        // library), and their lines follow once it is done; in a log, each line as it comes.
        boolean terminal = SuiteRun.isTerminal();
        try (ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("memo rounds").setInitialMax(rounds)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(100)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null) {
            for (int round = 1; round <= rounds; round++) {
                int j = race.javaRound(round, keys);
                int e = race.ephemeraRound(round, keys);
                javaRetained.add(j);
                ephemeraRetained.add(e);
                javaAll &= j == round * keys;
                ephemeraExact &= e == keys;
                String line = String.format("  round %2d/%d  WeakHashMap holds %,9d   ephemera holds %,7d   (live keys %,d)",
                        round, rounds, j, e, keys);
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format("WeakHashMap %,d, ephemera %,d", j, e));
                    lines.add(line);
                } else {
                    out.println(line);
                }
            }
        }
        lines.forEach(out::println);
        out.println();
        check(javaAll, "WeakHashMap kept every entry ever added (" + rounds * keys
                + "): values referring to keys keep them alive for ever");
        check(ephemeraExact, "the ephemera table held exactly the " + keys
                + " live entries after every round's collection: dead keys freed their entries");
        Path data = writeChart(javaRetained, ephemeraRetained);
        out.println("  chart written to " + chart.toAbsolutePath() + " (its data: " + data.getFileName() + ")");
        out.println();
    }

    /**
     * Writes the rounds' data beside the chart ({@code NAME.jsonl} for {@code NAME.png}), then
     * draws the chart from that file, as {@code ephemera bench --redraw} redraws it.
     */
    private Path writeChart(List<Integer> weakHashMap, List<Integer> ephemera) throws IOException {
        Path png = chart.toAbsolutePath();
        Files.createDirectories(png.getParent());
        String name = png.getFileName().toString();
        Path data = png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".jsonl");
        Files.write(data, Charts.memoRaceLines(keys, weakHashMap, ephemera), StandardCharsets.UTF_8);
        Charts.writeMemoRace(data, png);
        return data;
    }

    // ================================================================== act 2

    private void finaliserAct(Scheme scheme) {
        out.println("== 2. Finalisers run in the order OCaml's Gc.finalise documents ==");
        scheme.eval(String.join("\n",
                "(define events '())",
                "(define (note! x) (set! events (cons x events)))",
                "(define (report obj) (note! (car obj)))",
                "(define (a-is-gone) (note! 'a-gone-for-good))",
                "(define (register-abc!)",
                "  (let ((a (list 'a)) (b (list 'b)) (c (list 'c)))",
                "    (finalise! report a) (finalise! report b) (finalise! report c)",
                "    (finalise-last! a-is-gone a)))",
                "(define (events-in-order) (reverse events))"), "demo-finalisers");
        out.println("  (finalise! report a) (finalise! report b) (finalise! report c), then (finalise-last! a-is-gone a);");
        out.println("  a, b and c become unreachable together, and we collect once:");
        scheme.eval("(register-abc!) (gc)", "demo-finalisers");
        String first = scheme.evalToString("(events-in-order)");
        out.println("  after the 1st (gc): " + first);
        check(first.equals("(c b a)"), "values dying in the same cycle are finalised in reverse order of registration: (c b a)");
        check(!first.contains("a-gone"), "finalise-last! on a waits: a was resurrected for its finalise! function");
        scheme.eval("(gc)", "demo-finalisers");
        String second = scheme.evalToString("(events-in-order)");
        out.println("  after the 2nd (gc): " + second);
        check(second.equals("(c b a a-gone-for-good)"),
                "once a is dead for good, its finalise-last! thunk runs (without the value)");

        scheme.eval(String.join("\n",
                "(set! events '())",
                "(define (x-gone) (note! 'last-kind:x))",
                "(define (saw-y obj) (note! 'first-kind:y))",
                "(define x (list 'x))",
                "(define y (list 'y))",
                "(finalise-last! x-gone x)",
                "(finalise! saw-y y)",
                "(gc 'minor)",
                "(set! x #f) (set! y #f)",
                "(gc)"), "demo-finalisers");
        String kinds = scheme.evalToString("(events-in-order)");
        out.println("  x with finalise-last! (registered first) and y with finalise! both promoted, then dropped");
        out.println("  together, so one major collection finds both dead: " + kinds);
        check(kinds.equals("(first-kind:y last-kind:x)"),
                "finalise! functions run before finalise-last! functions of the same collection");

        scheme.eval(String.join("\n",
                "(set! events '())",
                "(define (make-self-referencing!)",
                "  (let ((obj (list 'trapped)))",
                "    (finalise! (lambda (o) (note! (car obj))) obj)))",
                "(make-self-referencing!) (gc) (gc)"), "demo-finalisers");
        String trapped = scheme.evalToString("(events-in-order)");
        out.println("  a finaliser whose closure captures its own object, after two collections: " + trapped);
        check(trapped.equals("()"),
                "the ephemeron-closure pitfall: the function is a root, so an object it refers to never dies");
        out.println();
    }

    // ================================================================== act 3

    private void weakAct(Scheme scheme) {
        out.println("== 3. A weak pointer and an ephemeron being cleared ==");
        scheme.eval(String.join("\n",
                "(define box #f)",
                "(define eph #f)",
                "(define kept (list 'kept))",
                "(define kept-eph (make-ephemeron kept 'kept-datum))",
                "(define (make-weak-things!)",
                "  (let ((obj (list 'payload)))",
                "    (set! box (make-weak-box obj))",
                "    (set! eph (make-ephemeron obj (list 'a-datum-that-refers-to obj)))))",
                "(make-weak-things!)"), "demo-weak");
        String before = scheme.evalToString("(list (weak-box-value box 'cleared) (ephemeron-broken? eph))");
        out.println("  before (gc): weak box -> " + before.substring(1, before.indexOf(')') + 1)
                + ", ephemeron broken? " + (before.endsWith("#t)") ? "#t" : "#f"));
        check(before.equals("((payload) #f)"), "before a collection the weak box and the ephemeron still hold the object");
        scheme.eval("(gc)", "demo-weak");
        String after = scheme.evalToString("(list (weak-box-value box 'cleared) (ephemeron-broken? eph) (ephemeron-datum eph))");
        out.println("  after (gc):  (weak-box-value box 'cleared) (ephemeron-broken? eph) (ephemeron-datum eph) => " + after);
        check(after.equals("(cleared #t #f)"),
                "the weak pointer is cleared and the ephemeron broken, although its datum referred to its key");
        String kept = scheme.evalToString("(list (ephemeron-broken? kept-eph) (ephemeron-datum kept-eph))");
        out.println("  an ephemeron whose key is still referenced: " + kept);
        check(kept.equals("(#f kept-datum)"), "an ephemeron whose key is alive keeps its datum");
    }
}
