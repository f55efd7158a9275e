package dev.ephemera.cli;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.WeakKeyMaps;
import dev.ephemera.bench.suite.Case;
import dev.ephemera.bench.suite.Charts;
import dev.ephemera.bench.suite.Impl;
import dev.ephemera.bench.suite.Measurement;
import dev.ephemera.bench.suite.PeerRunner;
import dev.ephemera.bench.suite.ResultTable;
import dev.ephemera.bench.suite.Results;
import dev.ephemera.bench.suite.Sizes;
import dev.ephemera.bench.suite.Suite;
import dev.ephemera.bench.suite.SuiteRunner;
import dev.ephemera.bench.suite.TablesWorkloads;
import dev.ephemera.bench.suite.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One run of the macro suite for {@code ephemera bench}: runs the workloads ({@link SuiteRunner}),
 * shows progress on stderr (a progress bar on a terminal, one line per finished case
 * otherwise), streams JSON lines or prints the table at the end, and with a chart directory runs
 * the memo-table rounds and writes the charts, {@code results.jsonl} and {@code results.txt}
 * there. Exit status 1 when an ephemera run failed or computed a wrong answer.
 */
final class SuiteRun implements Callable<Integer> {
    /** The JSON "bench" name of the memo-table rounds behind the retention chart. */
    static final String ROUNDS = Results.ROUNDS;

    private final Sizes sizes;
    private final PeerRunner peers;
    private final int repeat;
    private final double slowSeconds;
    private final boolean warmUp;
    private final boolean json;
    private final Path chartDir;
    private final boolean progress;
    private final PrintStream out;
    private final PrintStream err;

    SuiteRun(Sizes sizes, PeerRunner peers, int repeat, double slowSeconds, boolean warmUp, boolean json,
             Path chartDir, boolean progress, PrintStream out, PrintStream err) {
        this.sizes = sizes;
        this.peers = peers;
        this.repeat = repeat;
        this.slowSeconds = slowSeconds;
        this.warmUp = warmUp;
        this.json = json;
        this.chartDir = chartDir;
        this.progress = progress;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        double loadBefore = loadAverage();
        List<Workload> workloads = Suite.macro(sizes, peers);
        List<String> retentionImpls = new ArrayList<>();
        if (chartDir != null) {
            retentionImpls.add("ephemera");
            for (WeakKeyMaps.Kind k : WeakKeyMaps.Kind.values()) {
                retentionImpls.add(k.impl);
            }
        }
        ResultTable table = new ResultTable();
        List<String> jsonLines = new ArrayList<>();
        Display display = progress ? Display.open(err, retentionImpls.size()) : Display.NONE;
        List<Measurement> ms;
        Map<String, List<Long>> retention = new LinkedHashMap<>();
        try {
            SuiteRunner runner = new SuiteRunner(repeat, slowSeconds, warmUp, new SuiteRunner.Listener() {
                @Override
                public void started(long steps) {
                    display.started(steps);
                }

                @Override
                public void running(Case c, String impl, boolean warm) {
                    display.running(c + " · " + impl + (warm ? " (warm-up)" : ""));
                }

                @Override
                public void advanced(long steps) {
                    display.advanced(steps);
                }

                @Override
                public void finished(Workload w, List<Measurement> done) {
                    table.add(done);
                    for (Measurement m : done) {
                        String line = m.result().toJson();
                        jsonLines.add(line);
                        if (json) {
                            out.println(line);
                            out.flush();
                        }
                    }
                    display.finished(w.benchCase() + ": ephemera " + summary(done.get(0)));
                }
            });
            ms = runner.run(workloads);
            for (String impl : retentionImpls) {
                display.running(ROUNDS + " · " + impl);
                System.gc();
                List<Long> r = impl.equals("ephemera")
                        ? TablesWorkloads.retention(sizes.retentionRounds, sizes.retentionBatch)
                        : WeakKeyMaps.retention(WeakKeyMaps.Kind.of(impl), sizes.retentionRounds, sizes.retentionBatch);
                display.advanced(1);
                retention.put(impl, r);
                BenchResult line = new BenchResult(ROUNDS, impl)
                        .put("rounds", sizes.retentionRounds)
                        .put("batch", sizes.retentionBatch)
                        .put("retained", r);
                jsonLines.add(line.toJson());
                if (json) {
                    out.println(line.toJson());
                    out.flush();
                }
            }
        } finally {
            display.close();
        }
        String context = context(loadBefore, loadAverage());
        String text = "# " + context + "\n" + table.render() + retentionText(retention);
        if (json) {
            err.println("ephemera bench: " + context);
        } else {
            out.print(text);
            out.flush();
        }
        if (chartDir != null) {
            try {
                // The data first; the charts are then drawn from the files just written, exactly
                // as `ephemera bench --redraw` draws them from committed ones.
                Files.createDirectories(chartDir);
                Files.write(chartDir.resolve(Results.JSONL), jsonLines, StandardCharsets.UTF_8);
                Files.writeString(chartDir.resolve(Results.TEXT), text, StandardCharsets.UTF_8);
                err.println("ephemera bench: wrote " + chartDir.resolve(Results.JSONL) + " and " + Results.TEXT);
                for (Path p : Charts.writeAll(chartDir, Results.read(chartDir))) {
                    err.println("ephemera bench: wrote " + p);
                }
            } catch (IOException e) {
                err.println("ephemera bench: cannot write the charts into " + chartDir + ": " + e.getMessage());
                return 1;
            }
        }
        int status = 0;
        for (Measurement m : ms) {
            BenchResult r = m.result();
            if (m.kind() == Impl.Kind.EPHEMERA && (r.get("unexpected") != null || r.get("error") != null)) {
                err.println("ephemera bench: " + m.benchCase() + ": " + (r.get("error") != null ? r.get("error") : r.get("unexpected")));
                status = 1;
            }
        }
        return status;
    }

    private static String summary(Measurement m) {
        return m.isSkipped() ? "skipped" : String.format(Locale.ROOT, "%.4f s", m.seconds());
    }

    private String retentionText(Map<String, List<Long>> retention) {
        if (retention.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nmemo-table rounds (%d rounds of %d entries whose value refers to its key; collected after each): entries alive%n",
                sizes.retentionRounds, sizes.retentionBatch));
        for (Map.Entry<String, List<Long>> e : retention.entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-12s %s%n", e.getKey(), e.getValue()));
        }
        return b.toString();
    }

    /** The machine and run, for the record: date, JDK, OS, CPUs, load before and after. */
    private String context(double loadBefore, double loadAfter) {
        Runtime.Version v = Runtime.version();
        return String.format(Locale.ROOT,
                "ephemera bench%s%s: %s, JDK %s (%s, %s), %s %s, %d CPUs, load average %.2f at start, %.2f at end; "
                        + "median of %d runs; ratio = ephemera / peer",
                sizes == Sizes.QUICK ? " --quick" : "", peers != null ? " --peers" : "",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")),
                v, System.getProperty("java.vm.vendor"), jvmCollector(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter, repeat);
    }

    /** The JVM's own collector (the launcher picks Parallel): its bean names, e.g. "PS Scavenge/PS MarkSweep". */
    private static String jvmCollector() {
        StringBuilder b = new StringBuilder();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            b.append(b.length() == 0 ? "" : "/").append(gc.getName());
        }
        return b.length() == 0 ? "JVM collector unknown" : b.toString();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Progress on stderr: a bar on a terminal, a line per finished case otherwise. */
    interface Display extends AutoCloseable {
        Display NONE = new Display() {};

        default void started(long steps) {}

        default void running(String what) {}

        default void advanced(long steps) {}

        default void finished(String what) {}

        @Override
        default void close() {}

        static Display open(PrintStream err, long extraSteps) {
            return isTerminal() ? new Bar(err, extraSteps) : new Lines(err, extraSteps);
        }
    }

    /** me.tongfei's progress bar. */
    static final class Bar implements Display {
        private final PrintStream err;
        private final long extraSteps;
        private ProgressBar bar;

        Bar(PrintStream err, long extraSteps) {
            this.err = err;
            this.extraSteps = extraSteps;
        }

        @Override
        public void started(long steps) {
            bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(steps + extraSteps)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        @Override
        public void running(String what) {
            if (bar != null) {
                bar.setExtraMessage(what);
            }
        }

        @Override
        public void advanced(long steps) {
            if (bar != null) {
                bar.stepBy(steps);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** Without a terminal (CI logs): one line per finished case, with the count done. */
    static final class Lines implements Display {
        private final PrintStream err;
        private final long extraSteps;
        private long steps;
        private long done;

        Lines(PrintStream err, long extraSteps) {
            this.err = err;
            this.extraSteps = extraSteps;
        }

        @Override
        public void started(long steps) {
            this.steps = steps + extraSteps;
        }

        @Override
        public void advanced(long n) {
            done += n;
        }

        @Override
        public void finished(String what) {
            err.printf(Locale.ROOT, "bench [%d/%d] %s%n", done, steps, what);
        }
    }

    /** Whether stderr is an interactive terminal (JDK 22+ asks the console; before, a console means one). */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
