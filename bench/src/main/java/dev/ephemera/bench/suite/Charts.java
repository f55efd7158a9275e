package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG charts (XChart), always drawn from the data files written beside them, so that every
 * committed chart can be redrawn from committed data ({@link #redraw}):
 * <ul>
 *   <li>{@value #RETENTION}: memo-table entries retained after each round's collection,
 *       ephemera against the JVM's weak-key maps;</li>
 *   <li>{@value #CHAIN}: ephemeron-chain, nanoseconds of the full major per ephemeron against N,
 *       log-log, ephemera (solid) against OCaml (dashed), one colour per creation order; a peer
 *       run that timed out is drawn as a lower bound (the time limit), with a triangle marker
 *       of its own and "timed out: lower bound" in the legend;</li>
 *   <li>{@value #TREES}: binary-trees seconds and peak heap, ephemera against OCaml and plain
 *       JVM objects;</li>
 *   <li>the demo's chart ({@link #writeMemoRace}): entries a {@code WeakHashMap} and an ephemeron
 *       table retain, round by round, from the demo's {@code .jsonl} beside it;</li>
 *   <li>the pauses chart ({@link #pauses}): the longest batch of 10,000 allocations against the
 *       live cells, log-log, for ephemera incremental, ephemera stop-the-world and OCaml, from
 *       a {@code .jsonl} of pauses runs beside it ({@code docs/benchmarks/pauses.jsonl});</li>
 *   <li>the fragmentation chart ({@link #fragmentation}): heap and live words through the
 *       fragmentation phases, from a {@code .jsonl} of fragmentation runs beside it.</li>
 * </ul>
 * The first three come from {@link Results} ({@code results.jsonl} and the context line of
 * {@code results.txt}). Every axis has a title and tick labels whatever the data's range: a
 * logarithmic axis spans whole decades around the data, so no point sits on its edge. Runs
 * headless; a chart with no data to draw is not written.
 */
public final class Charts {
    /** File name of the retention chart. */
    public static final String RETENTION = "memo-table-retention.png";
    /** File name of the ephemeron-chain scaling chart. */
    public static final String CHAIN = "ephemeron-chain-scaling.png";
    /** File name of the binary-trees chart. */
    public static final String TREES = "binary-trees.png";
    /** The {@code "bench"} name of the demo's rounds, in the {@code .jsonl} beside its chart. */
    public static final String DEMO_ROUNDS = "demo-memo-rounds";

    private static final Map<String, Color> IMPL_COLOURS = Map.of(
            "ephemera", new Color(0xD62728),
            "ocaml", new Color(0xEE8A12),
            "chez", new Color(0x8C564B),
            "jvm", new Color(0x1F77B4),
            "weakhashmap", new Color(0x1F77B4),
            "guava", new Color(0x2CA02C),
            "caffeine", new Color(0x9467BD));
    private static final Map<String, String> RETENTION_LABELS = Map.of(
            "ephemera", "ephemera (ephemeron K1 table)",
            "weakhashmap", "java.util.WeakHashMap",
            "guava", "Guava new MapMaker().weakKeys()",
            "caffeine", "Caffeine.newBuilder().weakKeys()");
    private static final Map<String, Color> ORDER_COLOURS = Map.of(
            "fwd", new Color(0x1F77B4), "rev", new Color(0x2CA02C), "random", new Color(0xD62728));

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Draws every chart the data files in {@code dir} hold, without measuring anything: the
     * suite's charts from {@code results.jsonl} (and {@code results.txt}'s context line), and
     * for every other {@code NAME.jsonl}, {@code NAME.png}: the demo's chart when it holds the
     * demo's rounds, the pauses chart when it holds pauses runs, the fragmentation chart when it
     * holds fragmentation runs (a file of anything else is left alone).
     *
     * @return the files written, in order
     * @throws IOException when a file cannot be read or written
     */
    public static List<Path> redraw(Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        if (Files.exists(dir.resolve(Results.JSONL))) {
            written.addAll(writeAll(dir, Results.read(dir)));
        }
        List<Path> others;
        try (Stream<Path> files = Files.list(dir)) {
            others = files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .filter(f -> !f.getFileName().toString().equals(Results.JSONL)).sorted().toList();
        }
        for (Path data : others) {
            String name = data.getFileName().toString();
            Path png = dir.resolve(name.substring(0, name.length() - ".jsonl".length()) + ".png");
            if (writeMemoRace(data, png) || writeRuns(data, png)) {
                written.add(png);
            }
        }
        return written;
    }

    /** The {@code "bench"} names whose runs {@link #writeRuns} draws. */
    public static final List<String> RUN_CHARTS = List.of("pauses", "fragmentation");

    /**
     * Draws the chart of a file of runs — every line a pauses run, or every line a
     * fragmentation run, skipped runs included — into {@code png}; false (nothing written) when
     * the file holds anything else, or no run to draw.
     */
    public static boolean writeRuns(Path data, Path png) throws IOException {
        List<BenchResult> runs = new ArrayList<>();
        for (String line : Files.readAllLines(data, java.nio.charset.StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                runs.add(BenchResult.parse(line));
            }
        }
        if (runs.isEmpty()) {
            return false;
        }
        String bench = runs.get(0).bench();
        if (!RUN_CHARTS.contains(bench) || runs.stream().anyMatch(r -> !r.bench().equals(bench))) {
            return false;
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (bench.equals("pauses")) {
            XYChart c = pauses(runs);
            if (c.getSeriesMap().isEmpty()) {
                return false;
            }
            save(c, png);
        } else {
            CategoryChart c = fragmentation(runs);
            if (c.getSeriesMap().isEmpty()) {
                return false;
            }
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
            }
        }
        return true;
    }

    // ================================================================== pauses

    private static final Map<String, String> PAUSE_LABELS = Map.of(
            "ephemera", "ephemera, incremental",
            "stw", "ephemera, stop-the-world",
            "ocaml", "OCaml 4.13");
    private static final Map<String, Color> PAUSE_COLOURS = Map.of(
            "ephemera", new Color(0xD62728), "stw", new Color(0x1F77B4), "ocaml", new Color(0xEE8A12));

    /**
     * The pauses chart: for each implementation (ephemera, stw, ocaml; and, when the runs come
     * from more than one JVM collector, each collector apart) and each number of live cells,
     * the median over its runs of the longest batch ({@code max_ms}, solid, with markers; the second
     * collector in a darker shade) and
     * of the 99th percentile ({@code p99_ms}, dotted); log-log. Skipped runs are left out.
     */
    static XYChart pauses(List<BenchResult> runs) {
        Map<String, Map<Long, List<double[]>>> bySeries = new LinkedHashMap<>();
        java.util.Set<Object> collectors = new java.util.HashSet<>();
        java.util.Set<Long> allocs = new java.util.TreeSet<>();
        String jdk = null;
        for (BenchResult r : runs) {
            if (r.skipped() == null && r.get("jvm_gc") != null) {
                collectors.add(r.get("jvm_gc"));
            }
        }
        for (String impl : List.of("ephemera", "stw", "ocaml")) {
            for (BenchResult r : runs) {
                if (!r.impl().equals(impl) || r.skipped() != null || !Double.isFinite(r.number("max_ms"))) {
                    continue;
                }
                String key = impl + (collectors.size() > 1 && r.get("jvm_gc") != null ? "\t" + jvmCollector(r.get("jvm_gc")) : "");
                bySeries.computeIfAbsent(key, k -> new java.util.TreeMap<>())
                        .computeIfAbsent((long) r.number("live_cells"), k -> new ArrayList<>())
                        .add(new double[] {r.number("max_ms"), r.number("p99_ms")});
                allocs.add((long) r.number("allocs"));
                if (jdk == null && r.get("jdk") != null) {
                    jdk = String.valueOf(r.get("jdk")).replaceAll("^(\\d+).*", "$1");
                }
            }
        }
        String sizes = allocs.size() == 1 ? String.format(Locale.ROOT, "%,d allocations", allocs.iterator().next())
                : "allocations: " + allocs.stream().map(a -> String.format(Locale.ROOT, "%,d", a))
                        .collect(java.util.stream.Collectors.joining(", "));
        XYChart chart = new XYChartBuilder().width(1000).height(680)
                .title("pauses: batches of 10,000 allocations against the live heap (" + sizes
                        + (jdk != null ? ", JDK " + jdk : "") + (collectors.size() > 1 ? ", JVM collectors "
                        + collectors.stream().map(Charts::jvmCollector).sorted().distinct()
                                .collect(java.util.stream.Collectors.joining(" and ")) : "") + ")")
                .xAxisTitle("live cells (a list of two-field cells kept live; log)")
                .yAxisTitle("ms per batch: max (solid), p99 (dotted); log").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // the plot, and so the title, full width
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###.###");
        List<double[]> all = new ArrayList<>();
        List<String> shades = new ArrayList<>(new java.util.TreeSet<>(
                collectors.stream().map(Charts::jvmCollector).collect(java.util.stream.Collectors.toList())));
        if (shades.remove("Parallel")) {
            shades.add(0, "Parallel"); // the launcher's: the plain shade
        }
        for (Map.Entry<String, Map<Long, List<double[]>>> e : bySeries.entrySet()) {
            String[] key = e.getKey().split("\t");
            String label = PAUSE_LABELS.getOrDefault(key[0], key[0]) + (key.length > 1 ? ", JVM " + key[1] : "");
            List<double[]> max = new ArrayList<>();
            List<double[]> p99 = new ArrayList<>();
            int runsPerPoint = 0;
            for (Map.Entry<Long, List<double[]>> point : e.getValue().entrySet()) {
                List<double[]> rs = point.getValue();
                runsPerPoint = Math.max(runsPerPoint, rs.size());
                max.add(new double[] {point.getKey(), median(rs, 0)});
                double q = median(rs, 1);
                if (q > 0) {
                    p99.add(new double[] {point.getKey(), q});
                }
            }
            max.removeIf(p -> !(p[0] > 0 && p[1] > 0));
            p99.removeIf(p -> !(p[0] > 0));
            if (max.isEmpty()) {
                continue;
            }
            Color c = PAUSE_COLOURS.getOrDefault(key[0], Color.GRAY);
            if (key.length > 1 && shades.indexOf(key[1]) % 2 == 1) {
                c = c.darker().darker(); // the second collector in a darker shade of the same colour
            }
            String runsNote = runsPerPoint > 1 ? ", median of " + runsPerPoint + " runs" : "";
            XYSeries s = addSeries(chart, label + ": max" + runsNote, max);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(key[0].equals("ocaml") ? SeriesMarkers.DIAMOND : key[0].equals("stw") ? SeriesMarkers.SQUARE
                    : SeriesMarkers.CIRCLE);
            s.setLineWidth(2.5f);
            all.addAll(max);
            if (!p99.isEmpty()) {
                XYSeries d = addSeries(chart, label + ": p99", p99);
                d.setLineColor(c);
                d.setMarker(SeriesMarkers.NONE);
                d.setLineStyle(DOTTED);
                all.addAll(p99);
            }
        }
        if (!all.isEmpty()) {
            double[] x = logRange(all, 0);
            double[] y = logRange(all, 1);
            chart.getStyler().setXAxisMin(x[0]).setXAxisMax(x[1]).setYAxisMin(y[0]).setYAxisMax(y[1]);
        }
        return chart;
    }

    /** The JVM collector's usual name from its beans' names ("PS MarkSweep/PS Scavenge": Parallel). */
    static String jvmCollector(Object beans) {
        String b = String.valueOf(beans);
        if (b.contains("PS ")) {
            return "Parallel";
        }
        for (String name : List.of("G1", "ZGC", "Shenandoah", "Epsilon")) {
            if (b.contains(name)) {
                return name;
            }
        }
        return b.contains("Copy") || b.contains("MarkSweepCompact") ? "Serial" : b;
    }

    private static double median(List<double[]> rows, int k) {
        double[] v = rows.stream().mapToDouble(r -> r[k]).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ================================================================== fragmentation

    private static final List<String[]> FRAGMENTATION_SERIES = List.of(
            new String[] {"ephemera", "explicit", "ephemera, Gc.compact"},
            new String[] {"ephemera", "auto", "ephemera, full_major, automatic compaction (max_overhead 500)"},
            new String[] {"ephemera", "off", "ephemera, full_major, max_overhead 1000000 (never compacts)"},
            new String[] {"ocaml", "explicit", "OCaml 4.13, Gc.compact"});
    private static final Map<String, Color> FRAGMENTATION_COLOURS = Map.of(
            "ephemera explicit", new Color(0xD62728), "ephemera auto", new Color(0x9467BD),
            "ephemera off", new Color(0x1F77B4), "ocaml explicit", new Color(0xEE8A12));
    private static final List<String> PHASE_LABELS = List.of(
            "N pairs allocated", "63 in 64 dropped, collected", "N/4 13-field blocks added", "collected again");

    /**
     * The fragmentation chart: heap words (solid) and live words (dashed), in millions, after
     * each phase, for ephemera with {@code Gc.compact}, with automatic compaction only, with
     * compaction off, and OCaml with {@code Gc.compact}; per series the run with the median
     * seconds (the words hardly vary between runs). Skipped runs are left out.
     */
    static CategoryChart fragmentation(List<BenchResult> runs) {
        java.util.Set<Long> ns = new java.util.TreeSet<>();
        String jdk = null;
        for (BenchResult r : runs) {
            if (r.skipped() == null) {
                ns.add((long) r.number("n"));
                if (jdk == null && r.get("jdk") != null) {
                    jdk = String.valueOf(r.get("jdk")).replaceAll("^(\\d+).*", "$1");
                }
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(580)
                .title("fragmentation: major heap and live words after each phase (N = "
                        + ns.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).collect(java.util.stream.Collectors.joining(", "))
                        + (jdk != null ? ", JDK " + jdk : "") + ")")
                .xAxisTitle("phase").yAxisTitle("millions of words: heap (solid), live (dashed)").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true); // every series at the same x for a phase
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        for (String[] series : FRAGMENTATION_SERIES) {
            List<BenchResult> rs = new ArrayList<>();
            for (BenchResult r : runs) {
                if (r.impl().equals(series[0]) && series[1].equals(r.get("compaction")) && r.skipped() == null
                        && r.get("heap_words") instanceof List && r.get("live_words") instanceof List) {
                    rs.add(r);
                }
            }
            if (rs.isEmpty()) {
                continue;
            }
            rs.sort(java.util.Comparator.comparingDouble(BenchResult::seconds));
            BenchResult r = rs.get((rs.size() - 1) / 2);
            List<Number> heap = millions(r.get("heap_words"));
            List<Number> live = millions(r.get("live_words"));
            List<String> phases = PHASE_LABELS.subList(0, Math.min(PHASE_LABELS.size(), Math.min(heap.size(), live.size())));
            Color c = FRAGMENTATION_COLOURS.getOrDefault(series[0] + " " + series[1], Color.GRAY);
            String final_ = heap.isEmpty() || live.isEmpty() ? ""
                    : String.format(Locale.ROOT, " (end: heap/live %.2f)",
                        heap.get(phases.size() - 1).doubleValue() / live.get(phases.size() - 1).doubleValue());
            CategorySeries h = chart.addSeries(series[2] + ": heap" + final_, phases, heap.subList(0, phases.size()));
            h.setLineColor(c);
            h.setMarkerColor(c);
            h.setMarker(series[0].equals("ocaml") ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            // automatic compaction, drawn before "off", wider: where the two coincide both stay visible
            h.setLineWidth(series[1].equals("auto") && series[0].equals("ephemera") ? 7f : 2.5f);
            CategorySeries l = chart.addSeries(series[2] + ": live", phases, live.subList(0, phases.size()));
            l.setLineColor(c);
            l.setMarkerColor(c);
            l.setMarker(SeriesMarkers.NONE);
            l.setLineStyle(DASHED);
        }
        return chart;
    }

    private static List<Number> millions(Object list) {
        List<Number> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(((Number) o).doubleValue() / 1e6);
        }
        return out;
    }

    /** Writes every chart {@code results} has data for into {@code dir} (created if needed); returns the files written. */
    public static List<Path> writeAll(Path dir, Results results) throws IOException {
        return writeAll(dir, results.measurements(), results.retention(), results.retentionBatch(), results.subtitle());
    }

    /**
     * Writes every chart there is data for into {@code dir} (created if needed); returns the
     * files written.
     *
     * @param retention entries retained per round, by implementation (may be empty)
     */
    public static List<Path> writeAll(Path dir, List<Measurement> ms, Map<String, List<Long>> retention,
                                      int batch, String subtitle) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (!retention.isEmpty()) {
            written.add(save(retention(retention, batch, subtitle), dir.resolve(RETENTION)));
        }
        XYChart chain = chainScaling(ms, subtitle);
        if (!chain.getSeriesMap().isEmpty()) {
            written.add(save(chain, dir.resolve(CHAIN)));
        }
        List<CategoryChart> trees = binaryTrees(ms, subtitle);
        if (!trees.isEmpty()) {
            Path f = dir.resolve(TREES);
            try (OutputStream out = Files.newOutputStream(f)) {
                BitmapEncoder.saveBitmap(trees, 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
            }
            written.add(f);
        }
        return written;
    }

    // ================================================================== the demo's chart

    /**
     * The JSON lines of the demo's rounds: entries each table retained after every round's
     * collection ({@code impl} {@code weakhashmap} and {@code ephemera}), with the keys live in
     * each round.
     */
    public static List<String> memoRaceLines(int keys, List<Integer> weakHashMap, List<Integer> ephemera) {
        return List.of(
                new BenchResult(DEMO_ROUNDS, "weakhashmap").put("keys", keys).put("retained", List.copyOf(weakHashMap)).toJson(),
                new BenchResult(DEMO_ROUNDS, "ephemera").put("keys", keys).put("retained", List.copyOf(ephemera)).toJson());
    }

    /**
     * Draws the demo's chart from its JSON lines ({@link #memoRaceLines}) into {@code png};
     * false (and nothing written) when {@code data} holds no demo rounds.
     */
    public static boolean writeMemoRace(Path data, Path png) throws IOException {
        Map<String, List<Long>> rounds = new LinkedHashMap<>();
        long keys = 0;
        for (String line : Files.readAllLines(data, java.nio.charset.StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            BenchResult r = BenchResult.parse(line);
            if (!r.bench().equals(DEMO_ROUNDS)) {
                return false;
            }
            List<Long> ys = new ArrayList<>();
            for (Object o : (List<?>) r.get("retained")) {
                ys.add(((Number) o).longValue());
            }
            rounds.put(r.impl(), ys);
            keys = ((Number) r.get("keys")).longValue();
        }
        if (rounds.isEmpty()) {
            return false;
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        save(memoRace(rounds, keys), png);
        return true;
    }

    static XYChart memoRace(Map<String, List<Long>> rounds, long keys) {
        XYChart c = new XYChartBuilder().width(900).height(540)
                .title("Memo table, values refer to keys: entries retained after a full collection")
                .xAxisTitle("round (" + keys + " new entries per round; only the latest round's keys are live)")
                .yAxisTitle("entries retained")
                .build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisDecimalPattern("#,###");
        c.getStyler().setXAxisDecimalPattern("#");
        int n = rounds.values().stream().mapToInt(List::size).max().orElse(0);
        double[] x = new double[n];
        double[] live = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            live[i] = keys;
        }
        List<String[]> series = List.of(new String[] {"weakhashmap", "java.util.WeakHashMap"},
                new String[] {"ephemera", "ephemera ephemeron table (ephemeral-key)"});
        for (String[] s : series) {
            List<Long> ys = rounds.get(s[0]);
            if (ys == null) {
                continue;
            }
            double[] y = ys.stream().mapToDouble(Long::doubleValue).toArray();
            XYSeries xy = c.addSeries(s[1], java.util.Arrays.copyOf(x, y.length), y);
            xy.setMarker(s[0].equals("ephemera") ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            Color colour = IMPL_COLOURS.get(s[0]);
            xy.setLineColor(colour);
            xy.setMarkerColor(colour);
        }
        XYSeries l = c.addSeries("live keys", x, live);
        l.setMarker(SeriesMarkers.NONE);
        l.setLineColor(Color.GRAY);
        l.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        return c;
    }

    /** (a) entries retained over rounds. */
    static XYChart retention(Map<String, List<Long>> retention, int batch, String subtitle) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("memo-table: entries alive after each round's collection (" + subtitle + ")")
                .xAxisTitle("round (each inserts " + batch + " entries whose value refers to its key, then collects)")
                .yAxisTitle("entries alive").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisDecimalPattern("#");
        float width = 10f;
        for (Map.Entry<String, List<Long>> e : retention.entrySet()) {
            List<Long> ys = e.getValue();
            double[] x = new double[ys.size()];
            double[] y = new double[ys.size()];
            for (int i = 0; i < ys.size(); i++) {
                x[i] = i + 1;
                y[i] = ys.get(i);
            }
            XYSeries s = chart.addSeries(RETENTION_LABELS.getOrDefault(e.getKey(), e.getKey()), x, y);
            Color c = IMPL_COLOURS.getOrDefault(e.getKey(), Color.GRAY);
            s.setLineColor(c);
            s.setMarkerColor(c);
            if (e.getKey().equals("ephemera")) {
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setLineWidth(3f);
            } else {
                // the JVM maps retain exactly the same entries: draw each thinner than the one
                // before, so lines lying on top of each other all stay visible
                s.setMarker(SeriesMarkers.NONE);
                s.setLineWidth(width);
                width = Math.max(2f, width - 4f);
            }
        }
        return chart;
    }

    /**
     * (b) ephemeron-chain time per ephemeron against N, log-log. A peer run that timed out is a
     * point at its time limit, drawn apart as a lower bound: the true time is above it.
     */
    static XYChart chainScaling(List<Measurement> ms, String subtitle) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("ephemeron-chain: one full major, time per ephemeron (" + subtitle + ")")
                .xAxisTitle("N (ephemerons in the chain, log)").yAxisTitle("ns per ephemeron (log)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###.##");
        List<double[]> all = new ArrayList<>();
        for (String impl : List.of("ephemera", "ocaml")) {
            for (String order : List.of("fwd", "rev", "random")) {
                List<double[]> points = new ArrayList<>();
                List<double[]> bounds = new ArrayList<>();
                for (Measurement m : ms) {
                    Case c = m.benchCase();
                    if (!c.bench().equals("ephemeron-chain") || !m.impl().equals(impl)
                            || !order.equals(c.params().get("order")) || Boolean.TRUE.equals(c.params().get("drop_root"))) {
                        continue;
                    }
                    double n = c.intParam("n");
                    Object limit = m.result().get("timeout_seconds");
                    if (!m.isSkipped() && m.seconds() > 0) {
                        points.add(new double[] {n, m.seconds() * 1e9 / n});
                    } else if (m.isSkipped() && limit instanceof Number) {
                        bounds.add(new double[] {n, ((Number) limit).doubleValue() * 1e9 / n});
                    }
                }
                Color c = ORDER_COLOURS.get(order);
                if (!points.isEmpty()) {
                    XYSeries s = addSeries(chart, impl + " " + order, points);
                    s.setLineColor(c);
                    s.setMarkerColor(c);
                    if (impl.equals("ephemera")) {
                        s.setMarker(SeriesMarkers.CIRCLE);
                        s.setLineWidth(2.5f);
                    } else {
                        s.setMarker(SeriesMarkers.DIAMOND);
                        s.setLineStyle(DASHED);
                    }
                }
                if (!bounds.isEmpty()) {
                    double limit = bounds.get(0)[1] * bounds.get(0)[0] / 1e9;
                    XYSeries s = addSeries(chart, String.format(Locale.ROOT, "%s %s: timed out at %s s, lower bound",
                            impl, order, ResultTable.seconds(limit).replaceAll("\\.0+$", "")), bounds);
                    s.setMarker(SeriesMarkers.TRIANGLE_UP);
                    s.setMarkerColor(c);
                    s.setLineColor(c);
                    s.setLineStyle(SeriesLines.NONE);
                    if (!points.isEmpty()) {
                        // a dotted line from the last measured point up to the bounds: the climb
                        List<double[]> climb = new ArrayList<>(bounds);
                        climb.add(points.get(points.size() - 1));
                        XYSeries d = addSeries(chart, impl + " " + order + " (to the lower bounds)", climb);
                        d.setMarker(SeriesMarkers.NONE);
                        d.setLineColor(c);
                        d.setLineStyle(DOTTED);
                        d.setShowInLegend(false);
                    }
                }
                all.addAll(points);
                all.addAll(bounds);
            }
        }
        if (!all.isEmpty()) {
            double[] x = logRange(all, 0);
            double[] y = logRange(all, 1);
            chart.getStyler().setXAxisMin(x[0]).setXAxisMax(x[1]).setYAxisMin(y[0]).setYAxisMax(y[1]);
        }
        return chart;
    }

    private static final BasicStroke DOTTED =
            new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f);
    private static final BasicStroke DASHED =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private static XYSeries addSeries(XYChart chart, String name, List<double[]> points) {
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return chart.addSeries(name, x, y);
    }

    /**
     * The range of a log axis over coordinate {@code k} of the points: the data with a margin
     * (a factor of 1.6 each side), so no point sits on the plot's edge, widened to whole
     * decades when fewer than two powers of ten would fall inside it — a log axis labels only
     * powers of ten, so this keeps at least two labels on it.
     */
    static double[] logRange(List<double[]> points, int k) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            lo = Math.min(lo, p[k]);
            hi = Math.max(hi, p[k]);
        }
        lo /= MARGIN;
        hi *= MARGIN;
        if (Math.floor(Math.log10(hi)) - Math.ceil(Math.log10(lo)) < 1) {
            lo = Math.pow(10, Math.floor(Math.log10(lo)));
            hi = Math.pow(10, Math.ceil(Math.log10(hi)));
            if (Math.log10(hi) - Math.log10(lo) < 1) {
                hi *= 10;
            }
        }
        return new double[] {lo, hi};
    }

    private static final double MARGIN = 1.6;

    /** (c) binary-trees seconds and peak heap, side by side; empty when there is nothing to draw. */
    static List<CategoryChart> binaryTrees(List<Measurement> ms, String subtitle) {
        Map<String, Measurement> byImpl = new LinkedHashMap<>();
        String label = "";
        for (Measurement m : ms) {
            if (m.benchCase().bench().equals("binary-trees") && !m.isSkipped()) {
                byImpl.put(m.impl(), m);
                label = m.benchCase().label();
            }
        }
        if (byImpl.isEmpty()) {
            return List.of();
        }
        CategoryChart time = new CategoryChartBuilder().width(560).height(480)
                .title("binary-trees " + label + ": seconds (" + subtitle + ")").yAxisTitle("seconds").build();
        CategoryChart heap = new CategoryChartBuilder().width(560).height(480)
                .title("binary-trees " + label + ": peak heap").yAxisTitle("MiB (major / old generation)").build();
        for (CategoryChart ch : List.of(time, heap)) {
            style(ch.getStyler());
            ch.getStyler().setOverlapped(true);
            ch.getStyler().setLegendVisible(false);
            ch.getStyler().setLabelsVisible(true);
            ch.getStyler().setLabelsFontColorAutomaticEnabled(false);
            ch.getStyler().setLabelsFontColor(Color.BLACK);
        }
        List<String> names = new ArrayList<>(byImpl.keySet());
        for (String impl : names) {
            Measurement m = byImpl.get(impl);
            List<Number> t = new ArrayList<>();
            List<Number> h = new ArrayList<>();
            double words = m.peakHeapWords();
            for (String other : names) {
                // one series per implementation (its own colour), with a value in its own category only
                t.add(other.equals(impl) ? m.seconds() : null);
                h.add(other.equals(impl) && Double.isFinite(words) ? words * 8 / (1 << 20) : null);
            }
            Color c = IMPL_COLOURS.getOrDefault(impl, Color.GRAY);
            time.addSeries(impl, names, t).setFillColor(c);
            heap.addSeries(impl, names, h).setFillColor(c);
        }
        time.getStyler().setDecimalPattern("0.###");
        heap.getStyler().setDecimalPattern("0.#");
        return List.of(time, heap);
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setLegendBorderColor(new Color(0xBBBBBB));
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }

    private static Path save(XYChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return file;
    }
}
