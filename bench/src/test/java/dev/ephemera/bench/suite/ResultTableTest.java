package dev.ephemera.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.BenchResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    static Measurement measured(Case c, String impl, Impl.Kind kind, double seconds, long heapWords, Object... extra) {
        Measurement m = new Measurement(c, impl, kind);
        BenchResult r = new BenchResult(c.bench(), impl);
        c.params().forEach(r::put);
        r.put("seconds", seconds).put("peak_heap_words", heapWords);
        for (int i = 0; i < extra.length; i += 2) {
            r.put((String) extra[i], extra[i + 1]);
        }
        m.add(r);
        return m;
    }

    @Test
    void oneGroupPerCaseWithRatiosAndNotes() {
        Case c = Case.of("memo-table", "n", 100, "keys", "dead");
        Measurement eph = measured(c, "ephemera", Impl.Kind.EPHEMERA, 0.5, 131072, "alive", 0L);
        Measurement ocaml = measured(c, "ocaml", Impl.Kind.PROCESS, 1.0, 262144, "alive", 0L);
        Measurement chez = new Measurement(c, "chez", Impl.Kind.PROCESS);
        chez.add(PeerRunner.skipped("chez", c, "scheme not found"));
        Measurement slow = new Measurement(c, "guava", Impl.Kind.JVM);
        slow.add(PeerRunner.skipped("guava", c, "timed out after 10 s").put("timeout_seconds", 10.0));
        for (Measurement m : List.of(ocaml, chez, slow)) {
            m.compareWith(eph);
        }
        ResultTable t = new ResultTable();
        t.add(List.of(eph, ocaml, chez, slow));
        List<String> lines = t.render().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("benchmark").contains("parameters", "ephemera s", "peer", "ratio", "heap ratio", "notes");
        assertThat(lines.get(2)).startsWith("memo-table").contains("n=100 keys=dead", "0.5000", "1.0", "ocaml", "1.000", "0.50",
                "2.0", "ephemera: alive=0; ocaml: alive=0");
        assertThat(lines.get(3)).contains("chez", "skipped", "skipped: scheme not found").doesNotStartWith("memo-table");
        assertThat(lines.get(4)).contains("guava", "> 10.000", "< 0.05", "timed out after 10 s");
    }

    @Test
    void withoutPeersOneRowPerCase() {
        Case c = Case.of("finalise", "n", 10);
        ResultTable t = new ResultTable();
        t.add(List.of(measured(c, "ephemera", Impl.Kind.EPHEMERA, 0.001234, 1L << 20, "first_called", 10, "last_called", 9)));
        String row = t.render().lines().skip(2).findFirst().orElseThrow();
        assertThat(row).startsWith("finalise").contains("0.001234", "8.0", "UNEXPECTED first_called=10 last_called=9, expected 10");
    }

    @Test
    void pausesAndFragmentationRowsSayThePausesAndTheOverhead() {
        Case p = Case.of("pauses", "live_cells", 1000, "allocs", 20000);
        Object[] right = {"list_length", 1000L, "batches", 2L, "ring_sum", dev.ephemera.bench.Pauses.expectedRingSum(20000)};
        Measurement eph = measured(p, "ephemera", Impl.Kind.EPHEMERA, 0.5, 1L << 20, concat(right, "max_ms", 0.4213, "p99_ms", 0.1234));
        Measurement stw = measured(p, "stw", Impl.Kind.JVM, 0.4, 1L << 20, concat(right, "max_ms", 612.3, "p99_ms", 1.5));
        stw.compareWith(eph);
        Case f = Case.of("fragmentation", "n", 640, "compaction", "explicit");
        Measurement frag = measured(f, "ephemera", Impl.Kind.EPHEMERA, 0.3, 1L << 20, "heap_live_ratio", 1.0312,
                "compact_seconds", List.of(0.1, 0.2), "pairs", 10L, "blocks", 160L,
                "check", dev.ephemera.bench.Fragmentation.expectedCheck(640));
        ResultTable t = new ResultTable();
        t.add(List.of(eph, stw));
        t.add(List.of(frag));
        List<String> lines = t.render().lines().toList();
        assertThat(lines.get(2)).startsWith("pauses").contains("live_cells=1000 allocs=20000", "stw",
                "ephemera: max 0.421 ms, p99 0.123 ms; stw: max 612 ms, p99 1.50 ms");
        assertThat(lines.get(3)).startsWith("fragmentation").contains("n=640 compaction=explicit",
                "heap/live 1.03 at the end, collections 0.1000 + 0.2000 s");
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void numbersKeepAboutFourSignificantDigits() {
        assertThat(ResultTable.seconds(352.36)).isEqualTo("352.4");
        assertThat(ResultTable.seconds(3.7114)).isEqualTo("3.711");
        assertThat(ResultTable.seconds(0.30177)).isEqualTo("0.3018");
        assertThat(ResultTable.seconds(0.000757)).isEqualTo("0.000757");
        assertThat(ResultTable.ratio(0.8412)).isEqualTo("0.84");
        assertThat(ResultTable.ratio(0.00712)).isEqualTo("0.0071");
        assertThat(ResultTable.ratio(Double.NaN)).isEmpty();
    }
}
