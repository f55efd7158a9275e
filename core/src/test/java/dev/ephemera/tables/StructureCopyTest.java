package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.GuardianLayout;
import dev.ephemera.object.layout.StructureMarks;
import dev.ephemera.tables.layout.BucketLayout;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A table, a weak set and a bucket are handed out as they are by {@code Heap.shallowCopy} and
 * the {@code _copy} accessors, as guardians and custom blocks are: a copy of the block alone
 * would be a second table over the first one's buckets, cells and free list.
 */
@ExtendWith(TableValidation.class)
class StructureCopyTest {
    @Test
    void aTableIsNotCopiedSoBindingsAddedThroughEitherValueAreAllKept() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, HashedTypes.eqv());
            Handle t = s.handle(k1.create(8));
            Handle keys = s.handle(heap.allocArray(60, Value.NONE));
            for (int i = 0; i < 20; i++) {
                heap.setField(keys.get(), i, heap.alloc(0, Value.ofInt(i)));
                k1.add(t.get(), heap.field(keys.get(), i), Value.ofInt(i));
            }
            for (int i = 0; i < 20; i += 2) {
                heap.setField(keys.get(), i, Value.NONE); // half the keys die
            }
            heap.gc().fullMajor();
            k1.clean(t.get()); // their cells go to the free list, for insertions to refill

            Handle copy = s.handle(heap.shallowCopy(t.get()));
            assertThat(copy.get()).as("shallowCopy of a table").isEqualTo(t.get());
            for (int i = 20; i < 60; i++) { // insertions through both values, refilling freed cells
                heap.setField(keys.get(), i, heap.alloc(0, Value.ofInt(i)));
                k1.add((i % 2 == 0 ? copy : t).get(), heap.field(keys.get(), i), Value.ofInt(i));
            }

            int kept = 0;
            for (int i = 0; i < 60; i++) {
                long k = heap.field(keys.get(), i);
                if (k != Value.NONE) {
                    assertThat(k1.find(t.get(), k)).as("binding of key %d", i).isEqualTo(Value.ofInt(i));
                    kept++;
                }
            }
            int[] seen = {0};
            k1.iter(t.get(), (k, d) -> seen[0]++);
            assertThat(seen[0]).isEqualTo(kept).isEqualTo(50);
            assertThat(k1.length(t.get())).isEqualTo(50);
        }
    }

    @Test
    void theCopyAccessorsHandOutATableAWeakSetAndABucketAsTheyAre() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Handle table = s.handle(K1Table.make(heap, HashedTypes.eqv()).create(4));
            Handle set = s.handle(WeakHashSet.make(heap, HashedTypes.eqv()).create(4));
            Handle bucket = s.handle(Bucket.k1(heap).make());
            Handle w = s.handle(heap.weak().create(1));
            Handle e = s.handle(heap.ephemerons().k1().create());
            for (Handle h : new Handle[] {table, set, bucket}) {
                assertThat(heap.shallowCopy(h.get())).as("shallowCopy").isEqualTo(h.get());
                heap.weak().set(w.get(), 0, h.get());
                assertThat(heap.weak().getCopy(w.get(), 0)).as("Weak.get_copy").isEqualTo(h.get());
                heap.ephemerons().k1().setKey(e.get(), h.get());
                heap.ephemerons().k1().setData(e.get(), h.get());
                assertThat(heap.ephemerons().k1().getKeyCopy(e.get())).as("get_key_copy").isEqualTo(h.get());
                assertThat(heap.ephemerons().k1().getDataCopy(e.get())).as("get_data_copy").isEqualTo(h.get());
            }
            // an ordinary tag-0 block of the same size is still copied
            Handle plain = s.handle(heap.allocArray(12, Value.ofInt(7)));
            long copy = heap.shallowCopy(plain.get());
            assertThat(copy).isNotEqualTo(plain.get());
            assertThat(heap.field(copy, 11)).isEqualTo(Value.ofInt(7));
        }
    }

    @Test
    void aBlockIsTakenForAStructureOnlyWithBothItsSizeAndItsMark() {
        assertThat(StructureMarks.TABLE_WORDS).isEqualTo(TableLayout.SIZE_WORDS);
        assertThat(StructureMarks.WEAK_SET_WORDS).isEqualTo(WeakSetLayout.SIZE_WORDS);
        assertThat(StructureMarks.BUCKET_WORDS).isEqualTo(BucketLayout.SIZE_WORDS);
        assertThat(StructureMarks.GUARDIAN_WORDS).isEqualTo(GuardianLayout.SIZE_WORDS);
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            long[][] shapes = {
                {StructureMarks.GUARDIAN, 5}, {StructureMarks.TABLE, 3}, {StructureMarks.WEAK_SET, 12}, {StructureMarks.BUCKET, 9},
            };
            for (long[] shape : shapes) {
                Handle b = s.handle(heap.allocArray((int) shape[1], Value.ofInt(1)));
                heap.setField(b.get(), 0, shape[0]);
                long copy = heap.shallowCopy(b.get());
                assertThat(copy).as("a %d-field block with a mark of another size", shape[1]).isNotEqualTo(b.get());
                assertThat(heap.field(copy, 0)).isEqualTo(shape[0]);
            }
        }
    }
}
