package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GcListener;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.gc.GcEvent;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A table about to double may first have the young generation collected, so that keys which
 * died young since the last collection stop counting (see {@code ChainedTable.resize}).
 */
class GrowthTest {
    /** Keys {@code {id}}, equal by id: every replace below inserts a new binding. */
    private static final HashedType BY_ID = HashedType.of(
            (heap, k) -> OcamlHash.hashImmediate(heap.field(k, 0)),
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    private static Heap heap() {
        return Heap.create(HeapConfig.defaults().minorHeapWords(16_384).verifyEveryCollection(true));
    }

    private static void replaceFresh(Heap heap, K1Table h, GlobalRoot t, int n, long[] keep) {
        for (int i = 0; i < n; i++) {
            long k = heap.alloc(0, Value.ofInt(i));
            if (keep != null) {
                keep[i] = k;
            }
            long d = heap.alloc(0, k, Value.ofInt(i)); // the value refers to its key
            h.replace(t.get(), heap.field(d, 0), d);
        }
    }

    @Test
    void aMemoTableWhoseKeysDieYoungStaysSmall() {
        try (Heap heap = heap()) {
            K1Table h = K1Table.make(heap, BY_ID);
            try (GlobalRoot t = heap.newGlobalRoot(h.create(16))) {
                replaceFresh(heap, h, t, 200_000, null);
                // 16K-word nursery, 5 words per replace: ~3,300 replaces between two collections
                // at most; without collecting before growing the table reached 4,096 buckets.
                assertThat(h.stats(t.get()).numBuckets()).isLessThanOrEqualTo(1024);
                heap.gc().fullMajor();
                assertThat(h.statsAlive(t.get()).numBindings()).isZero();
            }
        }
    }

    @Test
    void aTableWhoseKeysLiveGrowsAsInOcaml() {
        try (Heap heap = heap(); GlobalRoot keys = heap.newGlobalRoot(heap.allocArray(50_000, Value.UNIT))) {
            K1Table h = K1Table.make(heap, BY_ID);
            try (GlobalRoot t = heap.newGlobalRoot(h.create(16))) {
                for (int i = 0; i < 50_000; i++) {
                    long k = heap.alloc(0, Value.ofInt(i));
                    heap.setField(keys.get(), i, k);
                    long d = heap.alloc(0, k, Value.ofInt(i));
                    h.replace(t.get(), heap.field(d, 0), d);
                }
                Statistics st = h.stats(t.get());
                assertThat(st.numBindings()).isEqualTo(50_000);
                assertThat(st.numBuckets()).isEqualTo(32_768); // OCaml: doubles past 2 x buckets
                for (int i = 0; i < 50_000; i += 997) {
                    long k = heap.field(keys.get(), i);
                    assertThat(heap.field(h.find(t.get(), k), 1)).isEqualTo(Value.ofInt(i));
                }
            }
        }
    }

    @Test
    void theCollectionBeforeGrowingRunsNoFinaliser() {
        try (Heap heap = heap()) {
            K1Table h = K1Table.make(heap, BY_ID);
            int[] ran = {0};
            heap.gc().finaliseLast(() -> ran[0]++, heap.alloc(0, Value.ofInt(7))); // young, dead at once
            List<String> reasons = new ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void starting(GcEvent.Kind kind, String reason) {
                    reasons.add(reason);
                }

                @Override
                public void collected(GcEvent event) {}
            });
            try (GlobalRoot t = heap.newGlobalRoot(h.create(16))) {
                replaceFresh(heap, h, t, 2_000, null);
                assertThat(reasons).as("the table collected").contains(ChainedTable.GROWTH_COLLECTION);
                assertThat(ran[0]).as("not inside replace").isZero();
                assertThat(heap.gc().pendingFinalisers()).isEqualTo(1);
                heap.poll();
                assertThat(ran[0]).isEqualTo(1);
            }
        }
    }
}
