package dev.ephemera.bench.suite;

import static dev.ephemera.bench.suite.ResultTableTest.measured;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.ephemera.bench.BenchResult;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void writesTheThreeChartsAsPng() throws IOException {
        List<Measurement> ms = new ArrayList<>();
        for (int n : new int[] {1_000, 10_000}) {
            for (String order : new String[] {"fwd", "rev", "random"}) {
                Case c = Case.of("ephemeron-chain", "n", n, "order", order, "drop_root", false);
                ms.add(measured(c, "ephemera", Impl.Kind.EPHEMERA, n * 1e-8, 1L << 20));
                ms.add(measured(c, "ocaml", Impl.Kind.PROCESS, n * n * 1e-10, 1L << 18));
            }
        }
        Case trees = Case.of("binary-trees", "depth", 12);
        ms.add(measured(trees, "ephemera", Impl.Kind.EPHEMERA, 0.05, 1L << 20));
        ms.add(measured(trees, "ocaml", Impl.Kind.PROCESS, 0.02, 1L << 17));
        ms.add(measured(trees, "jvm", Impl.Kind.JVM, 0.01, 1L << 19));
        Map<String, List<Long>> retention = new LinkedHashMap<>();
        retention.put("ephemera", List.of(0L, 0L, 0L));
        retention.put("weakhashmap", List.of(10L, 20L, 30L));
        List<Path> files = Charts.writeAll(dir.resolve("charts"), ms, retention, 10, "test");
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly(Charts.RETENTION, Charts.CHAIN, Charts.TREES);
        for (Path f : files) {
            assertThat(Files.readAllBytes(f)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    void aTimedOutPeerRunIsDrawnAsALowerBoundOfItsOwn() {
        List<Measurement> ms = new ArrayList<>();
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            Case c = Case.of("ephemeron-chain", "n", n, "order", "fwd", "drop_root", false);
            ms.add(measured(c, "ephemera", Impl.Kind.EPHEMERA, n * 1e-8, 1L << 20));
            Measurement ocaml = new Measurement(c, "ocaml", Impl.Kind.PROCESS);
            if (n < 100_000) {
                ocaml = measured(c, "ocaml", Impl.Kind.PROCESS, n * n * 1e-10, 1L << 18);
            } else {
                ocaml.add(PeerRunner.skipped("ocaml", c, "timed out after 200 s").put("timeout_seconds", 200.0));
            }
            ms.add(ocaml);
        }
        XYChart chart = Charts.chainScaling(ms, "test");
        XYSeries bound = chart.getSeriesMap().get("ocaml fwd: timed out at 200 s, lower bound");
        assertThat(bound).isNotNull();
        assertThat(bound.getXData()).containsExactly(100_000.0);
        assertThat(bound.getYData()).containsExactly(200 * 1e9 / 100_000);
        assertThat(bound.getMarker()).isNotEqualTo(chart.getSeriesMap().get("ocaml fwd").getMarker());
        assertThat(chart.getSeriesMap().get("ocaml fwd").getXData()).containsExactly(1_000.0, 10_000.0);
        // every point inside the axes, with room to spare
        assertThat(chart.getStyler().getXAxisMin()).isLessThan(1_000.0);
        assertThat(chart.getStyler().getXAxisMax()).isGreaterThan(100_000.0);
        assertThat(chart.getStyler().getYAxisMax()).isGreaterThan(200 * 1e9 / 100_000);
    }

    @Test
    void aLogAxisAlwaysSpansTwoPowersOfTenAndLeavesAMargin() {
        // less than a decade of data, no power of ten inside it: widened to whole decades
        double[] narrow = Charts.logRange(List.of(new double[] {200}, new double[] {500}), 0);
        assertThat(narrow).containsExactly(100.0, 1000.0);
        // data at powers of ten: a margin beyond them, so no point sits on the edge
        double[] exact = Charts.logRange(List.of(new double[] {1_000}, new double[] {10_000}), 0);
        assertThat(exact[0]).isLessThan(1_000.0);
        assertThat(exact[1]).isGreaterThan(10_000.0);
        for (double[] r : List.of(narrow, exact)) {
            long decadesInside = java.util.stream.IntStream.range(-3, 9).filter(k -> Math.pow(10, k) >= r[0] && Math.pow(10, k) <= r[1]).count();
            assertThat(decadesInside).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void redrawDrawsEveryChartFromTheDataBesideIt() throws IOException {
        Path d = dir.resolve("docs");
        Files.createDirectories(d);
        Files.copy(ResultsTest.COMMITTED.resolve(Results.JSONL), d.resolve(Results.JSONL));
        Files.copy(ResultsTest.COMMITTED.resolve(Results.TEXT), d.resolve(Results.TEXT));
        Files.write(d.resolve("memo-retention.jsonl"), Charts.memoRaceLines(100, List.of(100, 200), List.of(100, 100)));
        List<Path> files = Charts.redraw(d);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly(Charts.RETENTION, Charts.CHAIN, Charts.TREES, "memo-retention.png");
        for (Path f : files) {
            assertThat(Files.readAllBytes(f)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    void theDemosChartHasItsTwoTablesAndTheLiveKeys() {
        Map<String, List<Long>> rounds = new LinkedHashMap<>();
        rounds.put("weakhashmap", List.of(10L, 20L, 30L));
        rounds.put("ephemera", List.of(10L, 10L, 10L));
        XYChart c = Charts.memoRace(rounds, 10);
        assertThat(c.getSeriesMap().keySet()).containsExactly("java.util.WeakHashMap",
                "ephemera ephemeron table (ephemeral-key)", "live keys");
        assertThat(c.getSeriesMap().get("live keys").getYData()).containsExactly(10.0, 10.0, 10.0);
    }

    @Test
    void nothingToDrawWritesNothing() throws IOException {
        Case c = Case.of("finalise", "n", 10);
        assertThat(Charts.writeAll(dir, List.of(measured(c, "ephemera", Impl.Kind.EPHEMERA, 1, 1)), Map.of(), 1, "t")).isEmpty();
    }

    private static BenchResult pause(String impl, long cells, double maxMs, double p99Ms, String jvm) {
        return new BenchResult("pauses", impl).put("live_cells", cells).put("allocs", 200_000_000L).put("seconds", 2.0)
                .put("p50_ms", p99Ms / 10).put("p99_ms", p99Ms).put("max_ms", maxMs).put("major_collections", 3)
                .put("jvm_gc", jvm).put("jdk", "25.0.3+9-LTS");
    }

    @Test
    void thePausesChartHasTheMedianMaxAndP99OfEachImplementationAgainstLiveCells() {
        List<BenchResult> runs = new ArrayList<>();
        for (long cells : new long[] {1_000_000, 10_000_000}) {
            for (double max : new double[] {5, 1, 3}) { // median 3
                runs.add(pause("ephemera", cells, max * cells / 1e6, 0.2, "PS MarkSweep/PS Scavenge"));
                runs.add(pause("stw", cells, 100 * max * cells / 1e6, 0.3, "PS MarkSweep/PS Scavenge"));
                runs.add(pause("ocaml", cells, 2, 0.7, null));
            }
        }
        runs.add(PeerRunner.skipped("ocaml", Case.of("pauses", "live_cells", 40_000_000L, "allocs", 200_000_000L), "ocamlopt not found"));
        XYChart c = Charts.pauses(runs);
        assertThat(c.getSeriesMap().keySet()).containsExactly(
                "ephemera, incremental: max, median of 3 runs", "ephemera, incremental: p99",
                "ephemera, stop-the-world: max, median of 3 runs", "ephemera, stop-the-world: p99",
                "OCaml 4.13: max, median of 3 runs", "OCaml 4.13: p99");
        XYSeries eph = c.getSeriesMap().get("ephemera, incremental: max, median of 3 runs");
        assertThat(eph.getXData()).containsExactly(1e6, 1e7);
        assertThat(eph.getYData()).containsExactly(3.0, 30.0);
        assertThat(c.getSeriesMap().get("OCaml 4.13: p99").getYData()).containsExactly(0.7, 0.7);
        assertThat(c.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(c.getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(c.getXAxisTitle()).contains("live cells");
        assertThat(c.getYAxisTitle()).contains("ms");
        assertThat(c.getTitle()).contains("200,000,000 allocations", "JDK 25");
        assertThat(c.getStyler().getYAxisMax()).isGreaterThan(3000.0); // stw at 10^7: 100 * 3 * 10
        assertThat(c.getStyler().getYAxisMin()).isLessThan(0.2);
    }

    @Test
    void pausesUnderTwoJvmCollectorsAreDrawnApart() {
        List<BenchResult> runs = List.of(pause("ephemera", 1_000_000, 1, 0.1, "PS MarkSweep/PS Scavenge"),
                pause("ephemera", 1_000_000, 2, 0.1, "G1 Young Generation/G1 Concurrent GC/G1 Old Generation"));
        XYChart c = Charts.pauses(runs);
        assertThat(c.getSeriesMap().keySet()).containsExactly(
                "ephemera, incremental, JVM Parallel: max", "ephemera, incremental, JVM Parallel: p99",
                "ephemera, incremental, JVM G1: max", "ephemera, incremental, JVM G1: p99");
        assertThat(c.getSeriesMap().get("ephemera, incremental, JVM Parallel: max").getLineColor())
                .isNotEqualTo(c.getSeriesMap().get("ephemera, incremental, JVM G1: max").getLineColor());
        assertThat(c.getTitle()).contains("JVM collectors G1 and Parallel");
        assertThat(Charts.jvmCollector("Copy/MarkSweepCompact")).isEqualTo("Serial");
        assertThat(Charts.jvmCollector("ZGC Cycles/ZGC Pauses")).isEqualTo("ZGC");
    }

    private static BenchResult fragmentation(String impl, String mode, double seconds, List<Long> heap) {
        return new BenchResult("fragmentation", impl).put("n", 10_000_000).put("compaction", mode).put("seconds", seconds)
                .put("compact_seconds", List.of(seconds / 2, seconds / 2)).put("phases", List.of("allocated", "dropped", "refilled", "final"))
                .put("live_words", List.of(40_000_000L, 10_000_000L, 45_000_000L, 45_000_000L)).put("heap_words", heap);
    }

    @Test
    void theFragmentationChartHasHeapAndLiveWordsThroughThePhases() {
        List<BenchResult> runs = new ArrayList<>();
        runs.add(fragmentation("ephemera", "explicit", 0.4, List.of(41_000_000L, 10_500_000L, 46_000_000L, 46_000_000L)));
        runs.add(fragmentation("ephemera", "explicit", 0.1, List.of(41_000_000L, 11_000_000L, 47_000_000L, 47_000_000L)));
        runs.add(fragmentation("ephemera", "explicit", 0.2, List.of(41_000_000L, 12_000_000L, 48_000_000L, 48_000_000L)));
        runs.add(fragmentation("ephemera", "off", 0.1, List.of(41_000_000L, 41_000_000L, 82_000_000L, 82_000_000L)));
        runs.add(fragmentation("ocaml", "explicit", 0.3, List.of(44_000_000L, 27_000_000L, 48_000_000L, 48_000_000L)));
        runs.add(fragmentation("ocaml", "off", 0.3, List.of(44_000_000L, 44_000_000L, 51_000_000L, 51_000_000L)));
        CategoryChart c = Charts.fragmentation(runs);
        assertThat(c.getSeriesMap().keySet()).containsExactly(
                "ephemera, Gc.compact: heap (end: heap/live 1.07)", "ephemera, Gc.compact: live",
                "ephemera, full_major, max_overhead 1000000 (never compacts): heap (end: heap/live 1.82)",
                "ephemera, full_major, max_overhead 1000000 (never compacts): live",
                "OCaml 4.13, Gc.compact: heap (end: heap/live 1.07)", "OCaml 4.13, Gc.compact: live");
        // the run with the median seconds (0.2 s), in millions of words
        assertThat(new ArrayList<Number>(c.getSeriesMap().get("ephemera, Gc.compact: heap (end: heap/live 1.07)").getYData()))
                .containsExactly(41.0, 12.0, 48.0, 48.0);
        assertThat(c.getSeriesMap().get("ephemera, Gc.compact: live").getXData()).hasSize(4);
        assertThat(c.getYAxisTitle()).contains("millions of words");
        assertThat(c.getTitle()).contains("N = 10,000,000");
    }

    @Test
    void redrawDrawsThePausesAndFragmentationChartsFromTheirRuns() throws IOException {
        Path d = Files.createDirectories(dir.resolve("runs"));
        Files.write(d.resolve("pauses.jsonl"), List.of(pause("ephemera", 1_000_000, 1, 0.1, "PS").toJson(),
                pause("ocaml", 1_000_000, 2, 0.5, null).toJson()));
        Files.write(d.resolve("fragmentation.jsonl"), List.of(
                fragmentation("ephemera", "explicit", 0.1, List.of(1L, 2L, 3L, 4L)).toJson()));
        Files.write(d.resolve("mixed.jsonl"), List.of(pause("ephemera", 1_000_000, 1, 0.1, "PS").toJson(),
                fragmentation("ephemera", "explicit", 0.1, List.of(1L, 2L, 3L, 4L)).toJson()));
        Files.write(d.resolve("other.jsonl"), List.of(new BenchResult("finalise", "ephemera").put("n", 1).toJson()));
        List<Path> files = Charts.redraw(d);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("fragmentation.png", "pauses.png");
        for (Path f : files) {
            assertThat(Files.readAllBytes(f)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(d.resolve("mixed.png")).doesNotExist();
        assertThat(d.resolve("other.png")).doesNotExist();
    }
}
