package dev.ephemera.tables.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedTypes;
import dev.ephemera.tables.K1Table;
import org.junit.jupiter.api.Test;

/**
 * Structural equality's walk: its pending work grows with nesting only (as OCaml's
 * {@code compare}'s), and two distinct cycles that would pile work up without end are stopped
 * by name instead of filling the JVM's memory.
 */
class StructuralEqualityTest {

    @Test
    void wideBlocksLongListsAndDeepNestingCompareWithoutLimit() {
        try (Heap heap = Heap.create(HeapConfig.defaults());
             GlobalRoot a = heap.newGlobalRoot(Value.UNIT);
             GlobalRoot b = heap.newGlobalRoot(Value.UNIT)) {
            // a block of 2^21 fields, more than MAX_PENDING: one pending entry, not one per field
            int wide = 2 * StructuralEquality.MAX_PENDING;
            a.set(heap.allocArray(wide, Value.ofInt(1)));
            b.set(heap.allocArray(wide, Value.ofInt(1)));
            assertThat(StructuralEquality.equal(heap, a.get(), b.get())).isTrue();
            heap.setField(b.get(), wide - 1, Value.ofInt(2));
            assertThat(StructuralEquality.equal(heap, a.get(), b.get())).as("the last field differs").isFalse();

            // a list: its spine takes no pending entry
            a.set(Value.UNIT);
            b.set(Value.UNIT);
            for (int i = 0; i < 100_000; i++) {
                a.set(heap.alloc(0, heap.alloc(0, Value.ofInt(i), Value.ofInt(-i)), a.get()));
                b.set(heap.alloc(0, heap.alloc(0, Value.ofInt(i), Value.ofInt(-i)), b.get()));
            }
            assertThat(StructuralEquality.equal(heap, a.get(), b.get())).isTrue();

            // nesting 50,000 deep in the first field: a pending entry per level, within the bound
            a.set(Value.UNIT);
            b.set(Value.UNIT);
            for (int i = 0; i < 50_000; i++) {
                a.set(heap.alloc(0, a.get(), Value.ofInt(i)));
                b.set(heap.alloc(0, b.get(), Value.ofInt(i)));
            }
            assertThat(StructuralEquality.equal(heap, a.get(), b.get())).isTrue();
            heap.setField(b.get(), 1, Value.ofInt(-1));
            assertThat(StructuralEquality.equal(heap, a.get(), b.get())).isFalse();
        }
    }

    @Test
    void twoDistinctCyclesAreStoppedByNameAndTheTableStaysUsable() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true));
             GlobalRoot x = heap.newGlobalRoot(heap.alloc(0, Value.UNIT, Value.UNIT));
             GlobalRoot y = heap.newGlobalRoot(heap.alloc(0, Value.UNIT, Value.UNIT))) {
            heap.setField(x.get(), 0, x.get());                  // x = (x, x)
            heap.setField(x.get(), 1, x.get());
            heap.setField(y.get(), 0, y.get());                  // y = (y, y)
            heap.setField(y.get(), 1, y.get());
            assertThat(StructuralEquality.equal(heap, x.get(), x.get())).as("physically equal").isTrue();
            assertThatThrownBy(() -> StructuralEquality.equal(heap, x.get(), y.get()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("HashedTypes.equal: more than " + StructuralEquality.MAX_PENDING);

            K1Table tb = K1Table.make(heap, HashedTypes.equal());
            try (GlobalRoot t = heap.newGlobalRoot(tb.create(8))) {
                tb.add(t.get(), x.get(), Value.ofInt(1));
                tb.add(t.get(), Value.ofInt(7), Value.ofInt(2));
                assertThatThrownBy(() -> tb.find(t.get(), y.get())).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("HashedTypes.equal:");
                assertThat(tb.find(t.get(), x.get())).isEqualTo(Value.ofInt(1));
                assertThat(tb.find(t.get(), Value.ofInt(7))).isEqualTo(Value.ofInt(2));
                heap.gc().fullMajor();
                heap.verify();
                assertThat(tb.length(t.get())).isEqualTo(2);
            }
        }
    }
}
