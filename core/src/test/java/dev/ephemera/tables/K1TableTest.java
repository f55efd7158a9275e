package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.NotABlockException;
import dev.ephemera.Scope;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code Ephemeron.K1.Make}: the S signature, OCaml's semantics, and what we add to it. */
@ExtendWith(TableValidation.class)
class K1TableTest {
    /** Keys are one-field blocks {@code {id}}: equal by id, hashed as OCaml hashes the id. */
    static final HashedType BY_ID = HashedType.of(
            (heap, k) -> OcamlHash.hash(heap, heap.field(k, 0)),
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    static long key(Heap heap, int id) {
        return heap.alloc(0, Value.ofInt(id));
    }

    static long i(long n) {
        return Value.ofInt(n);
    }

    static int id(Heap heap, long k) {
        return (int) Value.intOf(heap.field(k, 0));
    }

    @Test
    void mostRecentBindingWinsAndRemoveUncoversTheOlderOne() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            var k = s.handle(key(heap, 1));
            k1.add(t.get(), k.get(), i(10));
            long p1 = key(heap, 1);
            k1.add(t.get(), p1, i(11)); // a different block, equal by id
            assertThat(k1.find(t.get(), k.get())).isEqualTo(i(11));
            assertThat(k1.findAll(t.get(), k.get())).containsExactly(i(11), i(10));
            assertThat(k1.length(t.get())).isEqualTo(2);
            k1.replace(t.get(), k.get(), i(12));
            assertThat(k1.findAll(t.get(), k.get())).containsExactly(i(12), i(10));
            k1.remove(t.get(), k.get());
            assertThat(k1.find(t.get(), k.get())).isEqualTo(i(10));
            k1.remove(t.get(), k.get());
            assertThat(k1.findOpt(t.get(), k.get())).isEqualTo(Value.NONE);
            assertThat(k1.mem(t.get(), k.get())).isFalse();
            assertThatThrownBy(() -> k1.find(t.get(), k.get())).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("Ephemeron.K1.find").hasMessageContaining("Not_found");
            k1.remove(t.get(), k.get()); // nothing to remove: no effect
            assertThat(k1.length(t.get())).isZero();
        }
    }

    @Test
    void replaceMutatesTheContainerSharedWithACopy() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            var k = s.handle(key(heap, 1));
            k1.replace(t.get(), k.get(), i(1));
            var c = s.handle(k1.copy(t.get()));
            k1.replace(c.get(), k.get(), i(2)); // OCaml: the copy shares the ephemeron
            assertThat(k1.find(t.get(), k.get())).isEqualTo(i(2));
            long two = key(heap, 2);
            k1.add(c.get(), two, i(3)); // adding to one does not add to the other
            long p2 = key(heap, 2);
            assertThat(k1.mem(t.get(), p2)).isFalse();
            k1.remove(c.get(), k.get());
            assertThat(k1.mem(t.get(), k.get())).isTrue();
            assertThat(k1.length(c.get())).isEqualTo(1);
        }
    }

    @Test
    void bindingsWhoseKeysDieAreNeitherFoundNorIteratedNorCounted() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            List<GlobalRoot> kept = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                long k = key(heap, n);
                if (n % 4 == 0) {
                    kept.add(heap.newGlobalRoot(k));
                }
                // the data refers to its key: an ephemeron's data never keeps its own key alive
                long d = heap.alloc(0, k, i(n));
                k1.replace(t.get(), heap.field(d, 0), d);
            }
            heap.gc().fullMajor();
            assertThat(k1.liveLength(t.get())).isEqualTo(50);
            assertThat(k1.length(t.get())).isEqualTo(50); // purged by liveLength
            assertThat(k1.statsAlive(t.get()).numBindings()).isEqualTo(50);
            List<Integer> seen = new ArrayList<>();
            k1.iter(t.get(), (k, d) -> {
                assertThat(heap.field(d, 0)).isEqualTo(k);
                seen.add(id(heap, k));
            });
            assertThat(seen).hasSize(50).allMatch(n -> n % 4 == 0);
            for (int n = 0; n < 200; n++) {
                long p3 = key(heap, n);
                assertThat(k1.mem(t.get(), p3)).as("mem %d", n).isEqualTo(n % 4 == 0);
            }
            kept.forEach(GlobalRoot::close);
            heap.gc().fullMajor();
            assertThat(k1.fold(t.get(), (k, d, acc) -> acc + 1, 0)).isZero();
            assertThat(k1.liveLength(t.get())).isZero();
            heap.verify();
        }
    }

    @Test
    void aMinorCollectionClearsBindingsOfYoungDeadKeys() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            heap.gc().minor();
            var live = s.handle(key(heap, 1));
            k1.replace(t.get(), live.get(), i(1));
            long p4 = key(heap, 2);
            k1.replace(t.get(), p4, i(2));
            assertThat(heap.isYoung(live.get())).isTrue();
            long before = heap.gc().stat().majorCollections;
            heap.gc().minor();
            assertThat(heap.gc().stat().majorCollections).isEqualTo(before);
            assertThat(k1.liveLength(t.get())).isEqualTo(1);
            assertThat(k1.find(t.get(), live.get())).isEqualTo(i(1));
        }
    }

    @Test
    void findAndMemNeverModifyTheTableButInsertionReusesDeadBindings() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            for (int n = 0; n < 20; n++) {
                long p5 = key(heap, n);
                k1.replace(t.get(), p5, i(n));
            }
            heap.gc().fullMajor();
            for (int n = 0; n < 20; n++) {
                long p6 = key(heap, n);
                assertThat(k1.mem(t.get(), p6)).isFalse();
            }
            assertThat(k1.length(t.get())).as("find/mem leave dead bindings in place").isEqualTo(20);
            assertThat(k1.stats(t.get()).numBindings()).isEqualTo(20);
            assertThat(k1.statsAlive(t.get()).numBindings()).isZero();
            var k = s.handle(key(heap, 5));
            k1.replace(t.get(), k.get(), i(5));
            assertThat(k1.length(t.get())).as("an insertion unlinks or reuses the dead cells of its bucket")
                    .isLessThan(20);
            assertThat(k1.find(t.get(), k.get())).isEqualTo(i(5));
            k1.clean(t.get());
            assertThat(k1.length(t.get())).isEqualTo(1);
        }
    }

    @Test
    void identityHashedKeysAreFoundAfterTheyMove() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, HashedTypes.eq());
            var t = s.handle(k1.create(16));
            var keys = new ArrayList<dev.ephemera.Handle>();
            for (int n = 0; n < 100; n++) {
                keys.add(s.handle(heap.alloc(0, i(n)))); // young
                k1.replace(t.get(), keys.get(n).get(), i(n));
            }
            int hash0 = heap.identityHash(keys.get(0).get());
            assertThat(heap.isYoung(keys.get(99).get())).isTrue();
            heap.gc().minor(); // every key is copied to the major heap
            assertThat(heap.isYoung(keys.get(99).get())).isFalse();
            assertThat(heap.identityHash(keys.get(0).get())).isEqualTo(hash0);
            for (int n = 0; n < 100; n++) {
                assertThat(k1.find(t.get(), keys.get(n).get())).isEqualTo(i(n));
            }
            heap.gc().fullMajor();
            for (int n = 0; n < 100; n++) {
                assertThat(k1.find(t.get(), keys.get(n).get())).isEqualTo(i(n));
                long distinct = heap.alloc(0, i(n));
                assertThat(k1.mem(t.get(), distinct)).as("an equal but distinct block").isFalse();
            }
            Statistics st = k1.stats(t.get());
            assertThat(st.numBindings()).isEqualTo(100);
        }
    }

    @Test
    void modifyingDuringIterationRaisesAndLeavesTheTableIntact() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            var k = s.handle(key(heap, 1));
            k1.replace(t.get(), k.get(), i(1));
            long p7 = key(heap, 2);
            k1.replace(t.get(), p7, i(2));
            assertThatThrownBy(() -> k1.iter(t.get(), (kk, d) -> {
                long p3 = key(heap, 3);
                k1.replace(t.get(), p3, i(3));
            }))
                    .isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("Ephemeron.K1.replace").hasMessageContaining("Ephemeron.K1.iter");
            assertThatThrownBy(() -> k1.fold(t.get(), (kk, d, a) -> {
                k1.remove(t.get(), kk);
                return a;
            }, 0)).isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("Ephemeron.K1.remove");
            assertThatThrownBy(() -> k1.filterMapInplace(t.get(), (kk, d) -> {
                k1.clear(t.get());
                return d;
            })).isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("filter_map_inplace");
            // nested read-only use is fine, and the table is unchanged and usable afterwards
            k1.iter(t.get(), (kk, d) -> assertThat(k1.find(t.get(), kk)).isEqualTo(d));
            assertThat(k1.liveLength(t.get())).isEqualTo(2);
            long p8 = key(heap, 3);
            k1.replace(t.get(), p8, i(3));
            assertThat(k1.liveLength(t.get())).isEqualTo(3);
            heap.verify();
        }
    }

    @Test
    void aSequenceRaisesAfterTheTableIsModifiedAndSurvivesAllocation() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            var t = s.handle(k1.create(16));
            List<GlobalRoot> keys = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                keys.add(heap.newGlobalRoot(key(heap, n)));
                long d = heap.alloc(0, i(n));
                k1.replace(t.get(), keys.get(n).get(), d);
            }
            int count = 0;
            try (TableCursor c = k1.toSeq(t.get())) {
                while (c.next()) {
                    assertThat(heap.field(c.data(), 0)).isEqualTo(heap.field(c.key(), 0));
                    for (int j = 0; j < 50; j++) {
                        heap.alloc(0, i(j), i(j)); // collections happen between steps
                    }
                    count++;
                }
                assertThat(c.isOpen()).isFalse();
            }
            assertThat(count).isEqualTo(50);
            TableCursor c = k1.toSeqKeys(t.get());
            assertThat(c.next()).isTrue();
            k1.remove(t.get(), keys.get(0).get());
            assertThatThrownBy(c::next).isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("Ephemeron.K1.to_seq_keys").hasMessageContaining("Ephemeron.K1.remove");
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(c::key).isInstanceOf(NoSuchElementException.class);
            keys.forEach(GlobalRoot::close);
        }
    }

    @Test
    void ofSeqAddSeqAndReplaceSeqCopyBindings() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, HashedTypes.eq());
            var t = s.handle(k1.create(16));
            for (int n = 0; n < 30; n++) {
                k1.replace(t.get(), i(n), i(n * n));
            }
            var u = s.handle(k1.ofSeq(k1.toSeq(t.get())));
            assertThat(k1.liveLength(u.get())).isEqualTo(30);
            assertThat(k1.find(u.get(), i(7))).isEqualTo(i(49));
            k1.addSeq(u.get(), k1.toSeq(t.get()));
            assertThat(k1.length(u.get())).isEqualTo(60);
            assertThat(k1.findAll(u.get(), i(7))).containsExactly(i(49), i(49));
            var w = s.handle(k1.create(16));
            k1.replaceSeq(w.get(), k1.toSeq(t.get()));
            k1.replaceSeq(w.get(), k1.toSeq(t.get()));
            assertThat(k1.length(w.get())).isEqualTo(30);
            assertThat(k1.foldValue(t.get(), (k, d, acc) -> heap.alloc(0, d, acc), Value.UNIT)).isNotEqualTo(Value.UNIT);
        }
    }

    @Test
    void filterMapInplaceReplacesOrDropsAndKeepsTheSizeRight() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, HashedTypes.eq());
            var t = s.handle(k1.create(16));
            for (int n = 0; n < 40; n++) {
                k1.replace(t.get(), i(n), i(n));
            }
            k1.filterMapInplace(t.get(), (k, d) -> Value.intOf(k) % 2 == 0 ? heap.alloc(0, d) : Value.NONE);
            assertThat(k1.length(t.get())).as("unlike OCaml 4.14, dropped bindings are not counted").isEqualTo(20);
            assertThat(heap.field(k1.find(t.get(), i(10)), 0)).isEqualTo(i(10));
            assertThat(k1.mem(t.get(), i(11))).isFalse();
        }
    }

    @Test
    void resetClearAndRandomizedCreation() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table seeded = K1Table.makeSeeded(heap, HashedTypes.equal());
            var t = s.handle(seeded.create(true, 100));
            for (int n = 0; n < 1000; n++) {
                seeded.replace(t.get(), i(n), i(n)); // immediates: keys that never die
            }
            assertThat(seeded.stats(t.get()).numBuckets()).isEqualTo(512);
            assertThat(seeded.find(t.get(), i(77))).isEqualTo(i(77));
            var str = s.handle(heap.allocString("k77"));
            seeded.replace(t.get(), str.get(), i(-77));
            long probe = heap.allocString("k77");
            assertThat(seeded.find(t.get(), probe)).as("structural equality").isEqualTo(i(-77));
            seeded.clear(t.get());
            assertThat(seeded.stats(t.get()).numBuckets()).isEqualTo(512);
            assertThat(seeded.length(t.get())).isZero();
            seeded.replace(t.get(), str.get(), i(1));
            seeded.reset(t.get());
            assertThat(seeded.stats(t.get()).numBuckets()).isEqualTo(128);
            assertThat(seeded.mem(t.get(), str.get())).isFalse();
            K1Table unseeded = K1Table.make(heap, HashedTypes.equal());
            assertThatThrownBy(() -> unseeded.create(true, 16)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Ephemeron.K1.create");
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheOperationAndTheHeapStaysConsistent() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, BY_ID);
            K2Table k2 = K2Table.make(heap, BY_ID, BY_ID);
            var t = s.handle(k1.create(16));
            var t2 = s.handle(k2.create(16));
            assertThatThrownBy(() -> k1.replace(i(3), i(1), i(1))).isInstanceOf(NotABlockException.class)
                    .hasMessageContaining("Ephemeron.K1.replace").hasMessageContaining("immediate 3");
            assertThatThrownBy(() -> k1.find(heap.allocString("no"), i(1))).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("Ephemeron.K1.find").hasMessageContaining("expected a hash table");
            assertThatThrownBy(() -> k1.find(heap.alloc(0, i(1), i(2)), i(1))).isInstanceOf(WrongTagException.class);
            assertThatThrownBy(() -> k1.add(t2.get(), i(1), i(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K1.add: expected an Ephemeron.K1 table, got an Ephemeron.K2 table");
            assertThatThrownBy(() -> k1.replace(t.get(), Value.NONE, i(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K1.replace: the key is none");
            assertThatThrownBy(() -> k1.add(t.get(), i(1), Value.NONE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the data is none");
            // the hashed type itself fails (an immediate where it reads a field): the table is unharmed
            assertThatThrownBy(() -> k1.replace(t.get(), i(5), i(1))).isInstanceOf(NotABlockException.class);
            assertThatThrownBy(() -> k1.iter(t.get(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K1.iter: the function is null");
            assertThat(k1.length(t.get())).isZero();
            long p9 = key(heap, 1);
            k1.replace(t.get(), p9, i(1));
            assertThat(k1.liveLength(t.get())).isEqualTo(1);
            heap.gc().minor(); // nothing else holds the key
            assertThat(k1.liveLength(t.get())).isZero();
            heap.verify();
        }
    }
}
