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
