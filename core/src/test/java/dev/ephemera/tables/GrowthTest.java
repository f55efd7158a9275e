package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GcListener;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A table about to double may first have the young generation collected, so that keys which
 * died young since the last collection stop counting (see {@code ChainedTable.resize}).
 */
@ExtendWith(TableValidation.class)
class GrowthTest {
    /** Keys {@code {id}}, equal by id: every replace below inserts a new binding. */
    private static final HashedType BY_ID = HashedType.of(
            (heap, k) -> OcamlHash.hashImmediate(heap.field(k, 0)),
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    private static Heap heap() {
        return TableHeaps.create(HeapConfig.defaults().minorHeapWords(16_384).verifyEveryCollection(true));
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
        Heap heap = heap();
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

    @Test
    void aTableWhoseKeysLiveGrowsAsInOcaml() {
        Heap heap = heap();
        try (GlobalRoot keys = heap.newGlobalRoot(heap.allocArray(50_000, Value.UNIT))) {
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
        Heap heap = heap();
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

    /**
     * With finalisers run at allocations, the collection before growing queues a finaliser that
     * modifies the table itself; it must not run in the middle of the resize (found by review: it
     * used to, and the resize then dropped the upper half of the buckets).
     */
    @Test
    void aFinaliserThatChangesTheTableWaitsUntilTheTableOperationIsOver() {
        Heap heap = TableHeaps.create(HeapConfig.defaults().minorHeapWords(16_384)
                .runFinalisersOnAllocation(true).verifyEveryCollection(true));
        try (GlobalRoot keys = heap.newGlobalRoot(heap.allocArray(100, Value.UNIT))) {
            K1Table h = K1Table.make(heap, BY_ID);
            try (GlobalRoot t = heap.newGlobalRoot(h.create(16))) {
                for (int i = 0; i < 32; i++) { // 2 x 16 bindings: the next one resizes
                    heap.setField(keys.get(), i, heap.alloc(0, Value.ofInt(i)));
                    h.replace(t.get(), heap.field(keys.get(), i), Value.ofInt(i));
                }
                for (int i = 0; i < 1500; i++) { // an eighth of the nursery: the resize collects
                    heap.alloc(0, Value.ofInt(i));
                }
                int[] ranDuringReplace = {0};
                boolean[] inReplace = {false};
                heap.gc().finaliseLast(() -> {
                    ranDuringReplace[0] += inReplace[0] ? 1 : 0;
                    heap.setField(keys.get(), 99, heap.alloc(0, Value.ofInt(99)));
                    h.replace(t.get(), heap.field(keys.get(), 99), Value.ofInt(99));
                }, heap.alloc(0, Value.ofInt(-1))); // young and dead: queued by the next collection
                heap.setField(keys.get(), 32, heap.alloc(0, Value.ofInt(32)));
                inReplace[0] = true;
                h.replace(t.get(), heap.field(keys.get(), 32), Value.ofInt(32));
                inReplace[0] = false;
                assertThat(ranDuringReplace[0]).as("finaliser run inside replace").isZero();
                heap.poll(); // the finaliser adds key 99 now, if it has not already
                for (int i : new int[] {0, 5, 16, 17, 31, 32, 99}) {
                    assertThat(h.find(t.get(), heap.field(keys.get(), i))).as("key " + i).isEqualTo(Value.ofInt(i));
                }
                assertThat(h.liveLength(t.get())).isEqualTo(34);
                int[] seen = {0};
                h.iter(t.get(), (k, d) -> seen[0]++);
                assertThat(seen[0]).isEqualTo(34);
            }
        }
    }

    @Test
    void theArrayAGrowthReplacesKeepsNoBindingAliveThroughAMinorCollection() {
        // a nursery large enough that nothing below collects but the minor collection asked for
        Heap heap = TableHeaps.create(HeapConfig.defaults().minorHeapWords(1 << 16).verifyEveryCollection(true));
        Hashtables ht = Hashtables.of(heap);
        try (GlobalRoot t = heap.newGlobalRoot(ht.makeEqv(Weakness.NONE, 16));
             GlobalRoot w = heap.newGlobalRoot(heap.weak().create(1))) {
            heap.gc().minor(); // the table and its bucket array are old
            for (int i = 0; i < 31; i++) {
                ht.set(t.get(), Value.ofInt(i), Value.UNIT);
            }
            long k = heap.alloc(0, Value.ofInt(-1)); // young, first in its bucket of the old array
            heap.weak().set(w.get(), 0, k);
            ht.set(t.get(), k, Value.UNIT);
            assertThat(ht.stats(t.get()).numBuckets()).isEqualTo(16);
            ht.set(t.get(), Value.ofInt(31), Value.UNIT); // 33 bindings in 16 buckets: the table doubles
            assertThat(ht.stats(t.get()).numBuckets()).isEqualTo(32);
            assertThat(heap.gc().minorCollections()).as("no collection but the one asked for").isEqualTo(1);

            ht.delete(t.get(), heap.weak().get(w.get(), 0));
            heap.gc().minor();
            // The replaced array, old, is alive to a minor collection: had it kept its buckets,
            // the deleted binding's cell, and the key it holds strongly, would have survived.
            assertThat(heap.weak().check(w.get(), 0)).as("the deleted key died young").isFalse();
        }
    }
}
