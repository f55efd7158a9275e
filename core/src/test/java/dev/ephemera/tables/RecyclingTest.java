package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reuse of dead bindings (see {@link ChainedTable}): an insertion refills the container of a
 * binding whose key died instead of allocating. These tests put every key in one bucket (a
 * constant hash) so that insertions meet the dead bindings.
 */
@ExtendWith(TableValidation.class)
class RecyclingTest {
    private static final HashedType ONE_BUCKET = HashedType.of((heap, v) -> 0, (heap, a, b) -> a == b);
    private static final HashedType ONE_BUCKET_BY_ID = HashedType.of((heap, v) -> 0,
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    private static long i(long n) {
        return Value.ofInt(n);
    }

    @Test
    void aMemoTableWhoseKeysDieYoungStopsAllocatingBindings() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, ONE_BUCKET_BY_ID);
            Handle t = s.handle(k1.create(16));
            // 30 bindings: no resize (at most 2 x 16), which could collect and drop dead cells
            for (int n = 0; n < 30; n++) {
                long k = heap.alloc(0, i(n));
                long d = heap.alloc(0, k, i(n));
                k1.replace(t.get(), heap.field(d, 0), d);
            }
            heap.gc().minor();
            long before = heap.gc().stat().majorWords;
            for (int n = 0; n < 20; n++) { // fewer than died: all can be reused (no minor collection here)
                long k = heap.alloc(0, i(n));
                long d = heap.alloc(0, k, i(n));
                k1.replace(t.get(), heap.field(d, 0), d);
            }
            heap.gc().minor();
            assertThat(heap.gc().stat().majorWords - before)
                    .as("no new ephemeron or cell reached the major heap").isZero();
            assertThat(k1.liveLength(t.get())).isZero();
        }
    }

    @Test
    void dozensOfDeadBindingsInOneBucketAreAllReused() {
        // a large nursery: the table's resizes never find it an eighth full, so never collect
        Heap heap = TableHeaps.create(HeapConfig.defaults().minorHeapWords(1 << 20).verifyEveryCollection(true));
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, ONE_BUCKET_BY_ID);
            Handle t = s.handle(k1.create(16));
            for (int n = 0; n < 200; n++) {
                long k = heap.alloc(0, i(n));
                long d = heap.alloc(0, k, i(n));
                k1.replace(t.get(), heap.field(d, 0), d);
            }
            long minors = heap.gc().minorCollections();
            heap.gc().minor();
            long before = heap.gc().stat().majorWords;
            for (int n = 0; n < 100; n++) { // fewer than died: all can be reused
                long k = heap.alloc(0, i(n));
                long d = heap.alloc(0, k, i(n));
                k1.replace(t.get(), heap.field(d, 0), d);
            }
            heap.gc().minor();
            assertThat(heap.gc().minorCollections()).as("only the two explicit collections").isEqualTo(minors + 2);
            assertThat(heap.gc().stat().majorWords - before)
                    .as("no new ephemeron or cell reached the major heap").isZero();
            assertThat(k1.liveLength(t.get())).isZero();
        }
    }

    @Test
    void aKnBindingIsRefilledOnlyByKeysOfTheSameLength() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            KnTable kn = KnTable.make(heap, ONE_BUCKET);
            Handle t = s.handle(kn.create(16));
            heap.gc().minor();
            for (int n = 0; n < 5; n++) { // young keys, dead at the next minor collection
                kn.replace(t.get(), new long[] {heap.alloc(0, i(n))}, i(n));
                long a = heap.alloc(0, i(n));
                long b = heap.alloc(0, i(n));
                kn.replace(t.get(), new long[] {a, b}, i(n));
            }
            heap.gc().minor();
            Handle x = s.handle(heap.alloc(0, i(1)));
            Handle y = s.handle(heap.alloc(0, i(2)));
            Handle z = s.handle(heap.alloc(0, i(3)));
            kn.replace(t.get(), new long[] {x.get(), y.get(), z.get()}, i(3));
            kn.replace(t.get(), new long[] {x.get()}, i(1));
            kn.replace(t.get(), new long[] {x.get(), y.get()}, i(2));
            assertThat(kn.find(t.get(), new long[] {x.get()})).isEqualTo(i(1));
            assertThat(kn.find(t.get(), new long[] {x.get(), y.get()})).isEqualTo(i(2));
            assertThat(kn.find(t.get(), new long[] {x.get(), y.get(), z.get()})).isEqualTo(i(3));
            assertThat(kn.liveLength(t.get())).isEqualTo(3);
            int[] arities = new int[4];
            kn.iter(t.get(), (keys, d) -> arities[keys.length]++);
            assertThat(arities).containsExactly(0, 1, 1, 1);
        }
    }

    @Test
    void aDeadWeakKeyBindingKeptForReuseNoLongerHoldsItsValue() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(ht.make(ONE_BUCKET, Weakness.WEAK_KEY, 16));
            Handle key = s.handle(heap.alloc(0, i(1)));
            GlobalRoot value = heap.newWeakRoot(heap.alloc(0, i(2))); // watches the value
            ht.set(t.get(), key.get(), value.get());
            heap.gc().fullMajor();
            assertThat(value.get()).as("a weak-key table holds its values strongly").isNotEqualTo(Value.NONE);
            key.set(Value.UNIT);
            heap.gc().fullMajor();
            assertThat(ht.size(t.get())).isZero(); // unlinks the dead binding, keeping it for reuse
            heap.gc().fullMajor();
            assertThat(value.get()).as("the reusable dead binding dropped the value").isEqualTo(Value.NONE);
            Handle k2 = s.handle(heap.alloc(0, i(3)));
            ht.set(t.get(), k2.get(), i(4));
            assertThat(ht.ref(t.get(), k2.get(), Value.FALSE)).isEqualTo(i(4));
            assertThat(ht.stats(t.get()).numBindings()).isEqualTo(1);
            value.close();
        }
    }

    @Test
    void copiedTablesShareContainersSoNeverReuseThem() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, ONE_BUCKET);
            Handle t = s.handle(k1.create(16));
            heap.gc().minor();
            k1.replace(t.get(), heap.alloc(0, i(1)), i(1)); // dies at the next minor collection
            Handle c = s.handle(k1.copy(t.get()));
            heap.gc().minor();
            Handle k = s.handle(heap.alloc(0, i(2)));
            k1.replace(c.get(), k.get(), i(2)); // must not refill the dead container shared with t
            assertThat(k1.liveLength(t.get())).isZero();
            assertThat(k1.mem(t.get(), k.get())).isFalse();
            assertThat(k1.find(c.get(), k.get())).isEqualTo(i(2));
        }
    }
}
