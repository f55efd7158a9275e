package dev.ephemera.bench.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The suite's PNG charts (XChart), drawn from its measurements:
 * <ul>
 *   <li>{@value #RETENTION}: memo-table entries retained after each round's collection,
 *       ephemera against the JVM's weak-key maps;</li>
 *   <li>{@value #CHAIN}: ephemeron-chain, nanoseconds of the full major per ephemeron against N,
 *       log-log, ephemera (solid) against OCaml (dashed), one colour per creation order;</li>
 *   <li>{@value #TREES}: binary-trees seconds and peak heap, ephemera against OCaml and plain
 *       JVM objects.</li>
 * </ul>
 * Runs headless; a chart with no data to draw is not written.
 */
public final class Charts {
    /** File name of the retention chart. */
    public static final String RETENTION = "memo-table-retention.png";
    /** File name of the ephemeron-chain scaling chart. */
    public static final String CHAIN = "ephemeron-chain-scaling.png";
    /** File name of the binary-trees chart. */
    public static final String TREES = "binary-trees.png";

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

    /** (b) ephemeron-chain time per ephemeron against N, log-log. */
    static XYChart chainScaling(List<Measurement> ms, String subtitle) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("ephemeron-chain: one full major, time per ephemeron (" + subtitle + ")")
                .xAxisTitle("N (ephemerons in the chain)").yAxisTitle("ns per ephemeron (log)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (String impl : List.of("ephemera", "ocaml")) {
            for (String order : List.of("fwd", "rev", "random")) {
                List<double[]> points = new ArrayList<>();
                for (Measurement m : ms) {
                    Case c = m.benchCase();
                    if (c.bench().equals("ephemeron-chain") && m.impl().equals(impl) && order.equals(c.params().get("order"))
                            && !Boolean.TRUE.equals(c.params().get("drop_root")) && !m.isSkipped() && m.seconds() > 0) {
                        double n = c.intParam("n");
                        points.add(new double[] {n, m.seconds() * 1e9 / n});
                    }
                }
                if (points.isEmpty()) {
                    continue;
                }
                points.sort((a, b) -> Double.compare(a[0], b[0]));
                double[] x = new double[points.size()];
                double[] y = new double[points.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = points.get(i)[0];
                    y[i] = points.get(i)[1];
                }
                XYSeries s = chart.addSeries(impl + " " + order, x, y);
                Color c = ORDER_COLOURS.get(order);
                s.setLineColor(c);
                s.setMarkerColor(c);
                if (impl.equals("ephemera")) {
                    s.setMarker(SeriesMarkers.CIRCLE);
                    s.setLineWidth(2.5f);
                } else {
                    s.setMarker(SeriesMarkers.DIAMOND);
                    s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                }
            }
        }
        return chart;
    }

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
