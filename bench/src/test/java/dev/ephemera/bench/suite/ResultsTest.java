package dev.ephemera.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed benchmark data, read back: what the charts are redrawn from. */
class ResultsTest {
    /** docs/benchmarks, from the bench module's directory (where surefire runs). */
    static final Path COMMITTED = Path.of("..", "docs", "benchmarks");

    @Test
    void theCommittedTableIsRebuiltExactlyFromTheCommittedJsonLines() throws IOException {
        Results r = Results.read(COMMITTED);
        ResultTable table = new ResultTable();
        List<Measurement> group = new ArrayList<>();
        for (Measurement m : r.measurements()) {
            if (!group.isEmpty() && !group.get(0).benchCase().equals(m.benchCase())) {
                table.add(group);
                group = new ArrayList<>();
            }
            group.add(m);
        }
        table.add(group);
        List<String> committed = Files.readAllLines(COMMITTED.resolve(Results.TEXT), StandardCharsets.UTF_8);
        int end = committed.indexOf("");
        assertThat(table.render().lines().toList()).isEqualTo(committed.subList(1, end));
    }

    @Test
    void theRoundsAndTheRunsContextAreReadToo() throws IOException {
        Results r = Results.read(COMMITTED);
        assertThat(r.retention()).containsKeys("ephemera", "weakhashmap", "guava", "caffeine");
        assertThat(r.retention().get("ephemera")).hasSize(20).containsOnly(0L);
        assertThat(r.retentionBatch()).isEqualTo(50_000);
        assertThat(r.subtitle()).isEqualTo("JDK 25, 2026-11-22");
        Measurement timedOut = r.measurements().stream()
                .filter(m -> m.impl().equals("ocaml") && m.benchCase().equals(Case.of("ephemeron-chain", "n", 300000L,
                        "order", "fwd", "drop_root", false)))
                .findFirst().orElseThrow();
        assertThat(timedOut.isSkipped()).isTrue();
        assertThat(timedOut.result().number("timeout_seconds")).isEqualTo(200.0);
    }

    @Test
    void theSubtitleSaysSizesJdkAndDate() {
        assertThat(Results.subtitle("# ephemera bench --quick --peers: 2026-12-02 01:20Z, JDK 17.0.15+6 (Debian, G1)"))
                .isEqualTo("quick sizes, JDK 17, 2026-12-02");
        assertThat(Results.subtitle("")).isEqualTo("ephemera bench");
    }
}
