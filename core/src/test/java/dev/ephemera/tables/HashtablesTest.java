package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SRFI 126-shaped API a language runtime uses: what the Scheme front end needs. */
@ExtendWith(TableValidation.class)
class HashtablesTest {
    private static long i(long n) {
        return Value.ofInt(n);
    }

    @Test
    void refSetDeleteContainsUpdateIntern() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(ht.makeEqv(Weakness.NONE, 0));
            ht.set(t.get(), i(1), i(10));
            assertThat(ht.ref(t.get(), i(1), Value.FALSE)).isEqualTo(i(10));
            assertThat(ht.ref(t.get(), i(2), Value.FALSE)).isEqualTo(Value.FALSE);
            assertThatThrownBy(() -> ht.ref(t.get(), i(2))).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("Hashtables.ref");
            ht.set(t.get(), i(1), i(11));
            assertThat(ht.size(t.get())).isEqualTo(1);
            long updated = ht.update(t.get(), i(1), v -> heap.alloc(0, v), i(0));
            assertThat(heap.field(updated, 0)).isEqualTo(i(11));
            assertThat(ht.ref(t.get(), i(1), Value.FALSE)).isEqualTo(updated);
            assertThat(ht.update(t.get(), i(5), v -> i(Value.intOf(v) + 1), i(41))).isEqualTo(i(42));
            int[] calls = {0};
            assertThat(ht.intern(t.get(), i(5), () -> {
                calls[0]++;
                return i(0);
            })).isEqualTo(i(42));
            assertThat(ht.intern(t.get(), i(6), () -> {
                calls[0]++;
                return heap.allocString("six");
            })).satisfies(v -> assertThat(heap.stringValue(v)).isEqualTo("six"));
            assertThat(calls[0]).isEqualTo(1);
            assertThat(ht.contains(t.get(), i(6))).isTrue();
            ht.delete(t.get(), i(6));
            ht.delete(t.get(), i(6));
            assertThat(ht.contains(t.get(), i(6))).isFalse();
            assertThat(ht.size(t.get())).isEqualTo(2);
        }
    }

    @Test
    void eqvComparesNumbersByValueAndEqByIdentity() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle eqv = s.handle(ht.makeEqv(Weakness.NONE, 16));
            Handle eq = s.handle(ht.makeEq(Weakness.NONE, 16));
            Handle d = s.handle(heap.allocDouble(1.5));
            ht.set(eqv.get(), d.get(), i(1));
            ht.set(eq.get(), d.get(), i(1));
            long d1 = heap.allocDouble(1.5);
            assertThat(ht.contains(eqv.get(), d1)).isTrue();
            long d2 = heap.allocDouble(-1.5);
            assertThat(ht.contains(eqv.get(), d2)).isFalse();
            long d3 = heap.allocDouble(1.5);
            assertThat(ht.contains(eq.get(), d3)).isFalse();
            assertThat(ht.contains(eq.get(), d.get())).isTrue();
            long big = heap.allocCustom(7, 2);
            heap.setRawField(big, 1, 123);
            ht.set(eqv.get(), big, i(2));
            long same = heap.allocCustom(7, 2);
            heap.setRawField(same, 1, 123);
            assertThat(ht.ref(eqv.get(), same, Value.FALSE)).as("custom blocks by content").isEqualTo(i(2));
            Handle str = s.handle(heap.allocString("a"));
            ht.set(eqv.get(), str.get(), i(3));
            long a = heap.allocString("a");
            assertThat(ht.contains(eqv.get(), a)).as("strings by identity").isFalse();
        }
    }

    @Test
    void equalAndStringTablesCompareContents() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle equal = s.handle(ht.makeEqual(Weakness.NONE, 16));
            Handle strings = s.handle(ht.makeString(Weakness.NONE, 16));
            Handle list = s.handle(heap.alloc(1, heap.allocString("x"), heap.alloc(1, heap.allocDouble(-0.0), i(0))));
            ht.set(equal.get(), list.get(), i(1));
            long other = heap.alloc(1, heap.allocString("x"), heap.alloc(1, heap.allocDouble(0.0), i(0)));
            assertThat(ht.ref(equal.get(), other, Value.FALSE)).as("structural; -0.0 = 0.0 as compare").isEqualTo(i(1));
            long different = heap.alloc(1, heap.allocString("y"), heap.alloc(1, heap.allocDouble(0.0), i(0)));
            assertThat(ht.contains(equal.get(), different)).isFalse();
            long h1 = heap.allocString("héllo");
            ht.set(strings.get(), h1, i(2));
            long h2 = heap.allocString("héllo");
            assertThat(ht.ref(strings.get(), h2, Value.FALSE)).isEqualTo(i(2));
            assertThatThrownBy(() -> ht.set(strings.get(), i(3), i(3))).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("HashedTypes.string: expected a string");
            assertThat(ht.size(strings.get())).isEqualTo(1);
        }
    }

    @Test
    void aClientHashedTypeCanAllocateAndCallBack() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            // a hash and an equivalence that allocate on every call, as interpreted procedures
            // would (after reading their arguments, which are raw values)
            HashedType noisy = HashedType.of((h, v) -> {
                int hash = (int) (Value.intOf(h.field(v, 0)) % 7);
                for (int n = 0; n < 20; n++) {
                    h.alloc(0, i(n), i(n));
                }
                return hash;
            }, (h, a, b) -> {
                boolean equal = h.field(a, 0) == h.field(b, 0);
                h.allocString("garbage");
                return equal;
            });
            Handle t = s.handle(ht.make(noisy, Weakness.EPHEMERAL_KEY, 16));
            List<Handle> keys = new ArrayList<>();
            for (int n = 0; n < 300; n++) {
                keys.add(s.handle(heap.alloc(0, i(n))));
                long v = heap.alloc(0, keys.get(n).get()); // allocate first: t.get() is read after
                ht.set(t.get(), keys.get(n).get(), v);
            }
            for (int n = 0; n < 300; n++) {
                long probe = heap.alloc(0, i(n));
                assertThat(heap.field(ht.ref(t.get(), probe, Value.FALSE), 0)).isEqualTo(keys.get(n).get());
            }
            assertThat(ht.size(t.get())).isEqualTo(300);
            assertThat(ht.hashedType(t.get())).isSameAs(noisy);
            assertThat(heap.gc().stat().minorCollections).isGreaterThan(10);
        }
    }

    @Test
    void aHashedTypeThatModifiesItsTableIsCaught() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(Value.NONE);
            boolean[] meddle = {false};
            HashedType meddling = HashedType.of((h, v) -> 0, (h, a, b) -> {
                if (meddle[0]) {
                    meddle[0] = false;
                    ht.set(t.get(), i(99), i(99));
                }
                return a == b;
            });
            t.set(ht.make(meddling, Weakness.NONE, 16));
            ht.set(t.get(), i(1), i(1));
            meddle[0] = true;
            assertThatThrownBy(() -> ht.set(t.get(), i(2), i(2))).isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("Hashtables.set").hasMessageContaining("while the hashed type's equality ran");
            assertThat(ht.size(t.get())).isEqualTo(2); // 1 and 99: the interrupted set did nothing
            heap.verify();
        }
    }

    @Test
    void keysValuesEntriesAndAlistUseTheClientsShapes() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(ht.makeEqv(Weakness.NONE, 16));
            Handle nil = s.handle(heap.alloc(11, i(0))); // a Scheme '() is a block of its own
            for (int n = 0; n < 100; n++) {
                ht.set(t.get(), i(n), i(n * 2));
            }
            long keys = ht.keys(t.get(), 2);
            assertThat(heap.tag(keys)).isEqualTo(2);
            assertThat(heap.size(keys)).isEqualTo(100);
            long values = ht.values(t.get(), 2);
            assertThat(heap.size(values)).isEqualTo(100);
            long alist = ht.toAlist(t.get(), 1, nil.get());
            int n = 0;
            long sum = 0;
            for (long l = alist; l != nil.get(); l = heap.field(l, 1)) {
                assertThat(heap.tag(l)).isEqualTo(1);
                long pair = heap.field(l, 0);
                assertThat(heap.field(pair, 1)).isEqualTo(i(2 * Value.intOf(heap.field(pair, 0))));
                sum += Value.intOf(heap.field(pair, 0));
                n++;
            }
            assertThat(n).isEqualTo(100);
            assertThat(sum).isEqualTo(99 * 100 / 2);
            assertThatThrownBy(() -> ht.keys(t.get(), 252)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Hashtables.keys");
        }
    }

    @Test
    void copiesAreIndependentAndMayBeImmutable() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(ht.makeEq(Weakness.EPHEMERAL_KEY, 16));
            Handle k = s.handle(heap.alloc(0, i(1)));
            ht.set(t.get(), k.get(), i(1));
            Handle c = s.handle(ht.copy(t.get(), true));
            Handle frozen = s.handle(ht.copy(t.get(), false));
            ht.set(c.get(), k.get(), i(2));
            assertThat(ht.ref(t.get(), k.get(), Value.FALSE)).as("unlike OCaml's copy").isEqualTo(i(1));
            assertThat(ht.ref(c.get(), k.get(), Value.FALSE)).isEqualTo(i(2));
            assertThat(ht.isMutable(frozen.get())).isFalse();
            assertThat(ht.isMutable(c.get())).isTrue();
            assertThat(ht.weakness(frozen.get())).isEqualTo(Weakness.EPHEMERAL_KEY);
            assertThatThrownBy(() -> ht.set(frozen.get(), k.get(), i(3))).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Hashtables.set: the table is immutable");
            assertThatThrownBy(() -> ht.clear(frozen.get())).isInstanceOf(UnsupportedOperationException.class);
            assertThat(ht.ref(frozen.get(), k.get(), Value.FALSE)).isEqualTo(i(1));
            k.set(Value.UNIT);
            heap.gc().fullMajor();
            assertThat(ht.size(frozen.get())).as("an immutable weak table still loses dead entries").isZero();
            assertThat(ht.size(t.get())).isZero();
        }
    }

    @Test
    void walkFoldPruneAndClear() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables ht = Hashtables.of(heap);
            Handle t = s.handle(ht.makeEqv(Weakness.NONE, 16));
            for (int n = 0; n < 50; n++) {
                ht.set(t.get(), i(n), i(n));
            }
            assertThat(ht.fold(t.get(), (k, v, acc) -> acc + Value.intOf(v), 0L)).isEqualTo(49 * 50 / 2);
            ht.prune(t.get(), (k, v) -> Value.intOf(k) >= 10);
            assertThat(ht.size(t.get())).isEqualTo(10);
            assertThatThrownBy(() -> ht.forEach(t.get(), (k, v) -> ht.delete(t.get(), k)))
                    .isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("Hashtables.delete")
                    .hasMessageContaining("Hashtables.walk");
            long list = ht.foldValue(t.get(), (k, v, acc) -> heap.alloc(0, v, acc), i(0));
            int n = 0;
            for (long l = list; l != i(0); l = heap.field(l, 1)) {
                n++;
            }
            assertThat(n).isEqualTo(10);
            ht.clear(t.get());
            assertThat(ht.size(t.get())).isZero();
            assertThat(ht.isHashtable(t.get())).isTrue();
            assertThat(ht.isHashtable(heap.alloc(0, i(1)))).isFalse();
            assertThat(ht.isHashtable(K1Table.make(heap, HashedTypes.eq()).create(16))).isFalse();
        }
    }
}
