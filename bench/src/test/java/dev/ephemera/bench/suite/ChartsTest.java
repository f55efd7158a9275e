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
}
