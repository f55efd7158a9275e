package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.TableValidator;
import dev.ephemera.tables.layout.GuardLayout;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The table validator must find every table left in a heap, and notice each kind of broken
 * invariant (as {@code gc/VerifierTest} does for the heap verifier). The corruptions are written
 * straight into the heap; the heaps here are the test's own, not {@link TableHeaps}'.
 */
class TableValidatorTest {
    /** Everything hashes to 3: one long chain to corrupt. */
    private static final HashedType ONE_BUCKET = HashedType.of((heap, v) -> 3, (heap, a, b) -> a == b);

    private static Heap heap() {
        return Heap.create(HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(4096));
    }

    private static long i(long n) {
        return Value.ofInt(n);
    }

    @Test
    void everyKindOfTableLeftInTheHeapIsFoundAndPassesYoungOrOld() {
        try (Heap heap = heap(); Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, ONE_BUCKET);
            Hashtables ht = Hashtables.of(heap);
            WeakHashSet set = WeakHashSet.make(heap, HashedTypes.eq());
            Bucket bucket = Bucket.k1(heap);
            Handle old = s.handle(k1.create(16));
            Handle keys = s.handle(heap.allocArray(40, Value.UNIT));
            for (int n = 0; n < 40; n++) {
                heap.setField(keys.get(), n, heap.alloc(0, i(n)));
                k1.replace(old.get(), heap.field(keys.get(), n), i(n));
            }
            heap.gc().fullMajor(); // old now
            Handle young = s.handle(k1.create(16));
            k1.add(young.get(), heap.field(keys.get(), 1), i(1));
            for (Weakness w : Weakness.values()) {
                Handle t = s.handle(ht.make(HashedTypes.eq(), w, 16));
                ht.set(t.get(), heap.field(keys.get(), 2), heap.field(keys.get(), 3));
            }
            Handle st = s.handle(set.create(7));
            set.add(st.get(), heap.field(keys.get(), 4));
            Handle b = s.handle(bucket.make());
            bucket.add(b.get(), heap.field(keys.get(), 5), i(5));
            assertThat(TableValidation.validateAll(heap)).isEqualTo(2 + Weakness.values().length + 2);
        }
    }

    /**
     * A K1 table with {@code n} bindings in bucket 3, keys 0 .. n-1 from the head (kept alive),
     * old and past a collection; it passes, and must not once {@code corrupt} has run.
     */
    private static void withChain(int n, BiConsumer<Heap, Long> corrupt, String invariant) {
        try (Heap heap = heap(); Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, ONE_BUCKET);
            Handle t = s.handle(k1.create(16));
            Handle keys = s.handle(heap.allocArray(n, Value.UNIT));
            for (int k = n - 1; k >= 0; k--) {
                heap.setField(keys.get(), k, heap.alloc(0, i(k)));
                k1.add(t.get(), heap.field(keys.get(), k), i(k));
            }
            heap.gc().minor();
            assertThat(TableValidation.validateAll(heap)).isEqualTo(1);
            corrupt.accept(heap, t.get());
            assertThatThrownBy(() -> TableValidation.validateAll(heap)).isInstanceOf(TableValidator.BrokenInvariant.class)
                    .satisfies(e -> assertThat(((TableValidator.BrokenInvariant) e).invariant).isEqualTo(invariant))
                    .hasMessageContaining("invariant \"" + invariant + "\"");
        }
    }

    private static long cell(Heap heap, long t, int k) {
        long cell = heap.field(heap.field(t, TableLayout.BUCKETS_FIELD), 3);
        for (int j = 0; j < k; j++) {
            cell = heap.field(cell, TableLayout.NEXT_FIELD);
        }
        return cell;
    }

    @Test
    void aSizeThatDoesNotCountTheCellsIsCaught() {
        withChain(3, (heap, t) -> heap.setField(t, TableLayout.SIZE_FIELD, i(4)), "size");
    }

    @Test
    void aChainThatLoopsIsCaught() {
        withChain(3, (heap, t) -> heap.setField(cell(heap, t, 2), TableLayout.NEXT_FIELD, cell(heap, t, 0)), "chains");
    }

    @Test
    void aCellInAnotherBucketThanItsHashSelectsIsCaught() {
        withChain(2, (heap, t) -> heap.setField(cell(heap, t, 1), TableLayout.HASH_FIELD, TableLayout.hashWord(4, 0)),
                "chains");
    }

    @Test
    void anIterationLeftRunningIsCaught() {
        withChain(1, (heap, t) -> heap.setField(t, TableLayout.STATE_FIELD, i(GuardLayout.ITERATION)), "at rest");
    }

    @Test
    void aPurgeRecordedInTheFutureIsCaught() {
        withChain(1, (heap, t) -> heap.setField(t, TableLayout.PURGED_AT_FIELD, i(1_000_000)), "purge");
    }

    @Test
    void aDeadCellInATablePurgedSinceTheLastCollectionIsCaught() {
        withChain(2, (heap, t) -> {
            heap.ephemerons().unsetKey(heap.field(cell(heap, t, 1), TableLayout.PART0_FIELD), 0);
            long st = heap.gc().stat().minorCollections + heap.gc().stat().majorSlices;
            heap.setField(t, TableLayout.PURGED_AT_FIELD, i(st));
        }, "purge");
    }

    @Test
    void aFreeListLongerThanItsCountIsCaught() {
        withChain(3, (heap, t) -> {
            // the last cell moves to the free list, which still counts none
            long last = cell(heap, t, 2);
            heap.ephemerons().unsetKey(heap.field(last, TableLayout.PART0_FIELD), 0);
            heap.setField(cell(heap, t, 1), TableLayout.NEXT_FIELD, Value.NONE);
            heap.setField(t, TableLayout.SIZE_FIELD, i(2));
            heap.setField(t, TableLayout.FREE_FIELD, last);
        }, "free list");
    }

    @Test
    void aFreeCellStillInABucketIsCaught() {
        withChain(2, (heap, t) -> {
            long dead = cell(heap, t, 1);
            heap.ephemerons().unsetKey(heap.field(dead, TableLayout.PART0_FIELD), 0);
            heap.setField(t, TableLayout.FREE_FIELD, dead);
            heap.setField(t, TableLayout.FREE_COUNT_FIELD, i(1));
        }, "free list");
    }

    @Test
    void aWeakSetWhoseOversizeCountIsWrongIsCaught() {
        try (Heap heap = heap(); Scope s = heap.openScope()) {
            WeakHashSet set = WeakHashSet.make(heap, HashedTypes.eq());
            Handle st = s.handle(set.create(7));
            set.add(st.get(), i(1));
            assertThat(TableValidation.validateAll(heap)).isEqualTo(1);
            heap.setField(st.get(), WeakSetLayout.OVERSIZE_FIELD, i(1));
            assertThatThrownBy(() -> TableValidation.validateAll(heap))
                    .isInstanceOf(TableValidator.BrokenInvariant.class).hasMessageContaining("invariant \"limits\"");
        }
    }
}
