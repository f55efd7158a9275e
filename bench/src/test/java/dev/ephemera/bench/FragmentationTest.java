package dev.ephemera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.suite.Suite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fragmentation workload: what a run reports and that its words add up (no timing is asserted). */
class FragmentationTest {
    private static final int N = 64 * 200;

    @Test
    void everyModeKeepsTheSameBlocksAndReportsEveryPhase() {
        for (String mode : Fragmentation.MODES) {
            BenchResult r = Fragmentation.once(N, mode);
            assertThat(r.fields().keySet()).startsWith("bench", "impl", "n", "compaction", "seconds", "compact_seconds", "phases",
                    "live_words", "heap_words");
            assertThat(r.bench()).isEqualTo("fragmentation");
            assertThat(r.impl()).isEqualTo("ephemera");
            assertThat(r.get("compaction")).isEqualTo(mode);
            assertThat(r.get("phases")).isEqualTo(Fragmentation.PHASES);
            assertThat((List<?>) r.get("live_words")).hasSize(4);
            assertThat((List<?>) r.get("heap_words")).hasSize(4);
            assertThat((List<?>) r.get("compact_seconds")).hasSize(2);
            assertThat(r.get("pairs")).isEqualTo(200L);
            assertThat(r.get("blocks")).isEqualTo((long) N / 4);
            assertThat(r.get("check")).isEqualTo(Fragmentation.expectedCheck(N));
            assertThat(Suite.unexpected(r)).isNull();
            List<?> c = (List<?>) r.get("compact_seconds");
            assertThat(r.seconds()).isEqualTo(((Double) c.get(0)) + ((Double) c.get(1)));
        }
    }

    @Test
    void afterEachCollectionTheLiveWordsAreExactlyTheDataHeld() {
        for (String mode : Fragmentation.MODES) {
            BenchResult r = Fragmentation.once(N, mode);
            List<?> live = (List<?>) r.get("live_words");
            List<?> heap = (List<?>) r.get("heap_words");
            long array = N + 1; // the array's fields and header
            long pairs = 3 * Fragmentation.expectedPairs(N);
            long blocks = (Fragmentation.BIG_FIELDS + 1) * Fragmentation.expectedBlocks(N);
            assertThat(live.get(1)).as(mode + ": after the first collection").isEqualTo(array + pairs);
            assertThat(live.get(3)).as(mode + ": after the second").isEqualTo(array + pairs + blocks);
            for (int i = 0; i < 4; i++) {
                assertThat(((Number) heap.get(i)).longValue()).isGreaterThanOrEqualTo(((Number) live.get(i)).longValue());
            }
            assertThat(r.number("heap_live_ratio")).isEqualTo(((Number) heap.get(3)).doubleValue() / ((Number) live.get(3)).doubleValue());
        }
    }

    @Test
    void onlyTheExplicitModeIsSureToCompactAndOffNeverDoes() {
        assertThat(Fragmentation.once(N, "explicit").number("compactions")).isGreaterThanOrEqualTo(2);
        assertThat(Fragmentation.once(N, "off").number("compactions")).isZero();
    }

    @Test
    void theDroppedSlotsAreFilledInOrder() {
        assertThat(Fragmentation.slot(0)).isEqualTo(1);
        assertThat(Fragmentation.slot(62)).isEqualTo(63);
        assertThat(Fragmentation.slot(63)).isEqualTo(65);
        assertThat(Fragmentation.slot(126)).isEqualTo(129);
        for (int j = 0; j < 10_000; j++) {
            assertThat(Fragmentation.slot(j) % 64).isNotZero();
            if (j > 0) {
                assertThat(Fragmentation.slot(j)).isGreaterThan(Fragmentation.slot(j - 1));
            }
        }
        assertThat(Fragmentation.expectedCheck(10_000_000)).isEqualTo(3_906_243_750_000L); // as OCaml computed it
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertThat(Fragmentation.invalid(64, "auto")).isNull();
        assertThat(Fragmentation.invalid(63, "auto")).isEqualTo("--n must be in [64, 100000000], got 63");
        assertThat(Fragmentation.invalid(64, "sometimes")).isEqualTo("--compaction must be explicit, auto or off, got sometimes");
    }
}
