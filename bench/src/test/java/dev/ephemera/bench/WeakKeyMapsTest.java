package dev.ephemera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM's weak-key maps keep every entry whose value refers to its key: the leak the suite measures. */
class WeakKeyMapsTest {
    @Test
    void everyMapKeepsEveryMemoEntry() {
        for (WeakKeyMaps.Kind k : WeakKeyMaps.Kind.values()) {
            BenchResult r = WeakKeyMaps.memoTable(k, 2_000, false);
            assertThat(r.bench()).isEqualTo("memo-table");
            assertThat(r.impl()).isEqualTo(k.impl);
            assertThat(r.get("n")).isEqualTo(2_000);
            assertThat(r.get("keys")).isEqualTo("dead");
            assertThat(r.get("alive")).as(k.impl).isEqualTo(2_000L);
            assertThat(r.seconds()).isPositive();
            assertThat(r.number("peak_heap_words")).isNotNegative();
        }
    }

    @Test
    void retentionGrowsByABatchEveryRound() {
        for (WeakKeyMaps.Kind k : WeakKeyMaps.Kind.values()) {
            assertThat(WeakKeyMaps.retention(k, 3, 500)).as(k.impl).containsExactly(500L, 1_000L, 1_500L);
        }
    }

    @Test
    void kindsAreFoundByTheirImplName() {
        assertThat(WeakKeyMaps.Kind.of("guava")).isEqualTo(WeakKeyMaps.Kind.GUAVA);
        assertThat(List.of(WeakKeyMaps.Kind.values())).extracting(k -> k.impl).containsExactly("weakhashmap", "guava", "caffeine");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WeakKeyMaps.Kind.of("jvm"))
                .hasMessageContaining("unknown impl jvm");
    }
}
