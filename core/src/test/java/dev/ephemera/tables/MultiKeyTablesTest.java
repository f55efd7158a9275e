package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code Ephemeron.K2}, {@code Kn}, their {@code Bucket}s, and {@code GenHashTable}. */
@ExtendWith(TableValidation.class)
class MultiKeyTablesTest {
    private static long i(long n) {
        return Value.ofInt(n);
    }

    @Test
    void aK2BindingLivesWhileBothKeysLive() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K2Table k2 = K2Table.make(heap, HashedTypes.eq(), HashedTypes.equal());
            Handle t = s.handle(k2.create(16));
            Handle a = s.handle(heap.alloc(0, i(1)));
            Handle b = s.handle(heap.allocString("b"));
            Handle c = s.handle(heap.allocString("c"));
            k2.replace(t.get(), a.get(), b.get(), i(1));
            k2.replace(t.get(), a.get(), c.get(), i(2));
            long bCopy = heap.allocString("b");
            assertThat(k2.find(t.get(), a.get(), bCopy)).as("second key compared structurally").isEqualTo(i(1));
            long a2 = heap.alloc(0, i(1));
            assertThat(k2.mem(t.get(), a2, b.get())).as("first key compared physically").isFalse();
            k2.add(t.get(), a.get(), b.get(), i(3));
            assertThat(k2.findAll(t.get(), a.get(), b.get())).containsExactly(i(3), i(1));
            List<Long> data = new ArrayList<>();
            k2.iter(t.get(), (k1, k, d) -> data.add(Value.intOf(d)));
            assertThat(data).containsExactlyInAnyOrder(1L, 2L, 3L);
            c.set(Value.UNIT); // one key of binding 2 dies: the binding goes
            heap.gc().fullMajor();
            assertThat(k2.liveLength(t.get())).isEqualTo(2);
            assertThat(k2.fold(t.get(), (k1, k, d, acc) -> acc + Value.intOf(d), 0L)).isEqualTo(4);
            k2.filterMapInplace(t.get(), (k1, k, d) -> d == i(3) ? Value.NONE : i(9));
            assertThat(k2.find(t.get(), a.get(), b.get())).isEqualTo(i(9));
            k2.remove(t.get(), a.get(), b.get());
            assertThatThrownBy(() -> k2.find(t.get(), a.get(), b.get())).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("Ephemeron.K2.find");
            assertThat(k2.findOpt(t.get(), a.get(), b.get())).isEqualTo(Value.NONE);
        }
    }

    @Test
    void knKeysOfDifferentLengthsAreDifferentAndAnyDeadKeyKillsTheBinding() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            KnTable kn = KnTable.make(heap, HashedTypes.equal());
            Handle t = s.handle(kn.create(16));
            Handle x = s.handle(heap.allocString("x"));
            Handle y = s.handle(heap.allocString("y"));
            kn.replace(t.get(), new long[] {x.get(), y.get()}, i(2));
            kn.replace(t.get(), new long[] {x.get()}, i(1));
            kn.replace(t.get(), new long[] {}, i(0));
            assertThat(kn.find(t.get(), new long[] {x.get(), y.get()})).isEqualTo(i(2));
            assertThat(kn.find(t.get(), new long[] {x.get()})).isEqualTo(i(1));
            assertThat(kn.find(t.get(), new long[] {})).as("no keys: never dies").isEqualTo(i(0));
            assertThat(kn.mem(t.get(), new long[] {y.get(), x.get()})).isFalse();
            List<Integer> arities = new ArrayList<>();
            kn.iter(t.get(), (keys, d) -> {
                assertThat((long) keys.length).isEqualTo(Value.intOf(d));
                arities.add(keys.length);
            });
            assertThat(arities).containsExactlyInAnyOrder(0, 1, 2);
            y.set(Value.UNIT);
            heap.gc().fullMajor();
            assertThat(kn.liveLength(t.get())).isEqualTo(2);
            try (TableCursor c = kn.toSeq(t.get())) {
                int n = 0;
                while (c.next()) {
                    assertThat(c.keys()).hasSize((int) Value.intOf(c.data()));
                    n++;
                }
                assertThat(n).isEqualTo(2);
            }
            assertThat(kn.fold(t.get(), (keys, d, acc) -> acc + keys.length, 0)).isEqualTo(1);
            kn.filterMapInplace(t.get(), (keys, d) -> keys.length == 0 ? Value.NONE : d);
            assertThat(kn.findAll(t.get(), new long[] {x.get()})).containsExactly(i(1));
            kn.remove(t.get(), new long[] {x.get()});
            assertThat(kn.length(t.get())).isZero();
            assertThatThrownBy(() -> kn.add(t.get(), null, i(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.Kn.add: the key array is null");
        }
    }

    @Test
    void bucketsMatchKeysPhysicallyMostRecentFirst() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Bucket k1 = Bucket.k1(heap);
            Handle b = s.handle(k1.make());
            Handle key = s.handle(heap.alloc(0, i(1)));
            k1.add(b.get(), key.get(), i(1));
            k1.add(b.get(), key.get(), i(2));
            long other = heap.alloc(0, i(1));
            k1.add(b.get(), other, i(3)); // dies at the next collection
            assertThat(k1.find(b.get(), key.get())).isEqualTo(i(2));
            assertThat(k1.length(b.get())).isEqualTo(3);
            heap.gc().fullMajor();
            assertThat(k1.length(b.get())).as("an upper bound: dead ephemerons stay").isEqualTo(3);
            k1.remove(b.get(), key.get());
            assertThat(k1.find(b.get(), key.get())).isEqualTo(i(1));
            assertThat(k1.length(b.get())).isEqualTo(2);
            k1.clear(b.get());
            assertThat(k1.find(b.get(), key.get())).isEqualTo(Value.NONE);

            Bucket k2 = Bucket.k2(heap);
            Handle b2 = s.handle(k2.make());
            k2.add(b2.get(), key.get(), i(5), i(6));
            assertThat(k2.find(b2.get(), key.get(), i(5))).isEqualTo(i(6));
            assertThat(k2.find(b2.get(), key.get(), i(4))).isEqualTo(Value.NONE);
            assertThatThrownBy(() -> k2.add(b2.get(), key.get(), i(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K2.Bucket.add: expected 2 keys, got 1");
            Bucket kn = Bucket.kn(heap);
            Handle bn = s.handle(kn.make());
            kn.add(bn.get(), new long[] {i(1), i(2), i(3)}, i(7));
            assertThat(kn.find(bn.get(), new long[] {i(1), i(2), i(3)})).isEqualTo(i(7));
            assertThat(kn.find(bn.get(), new long[] {i(1), i(2)})).isEqualTo(Value.NONE);
            assertThatThrownBy(() -> kn.find(i(3), new long[] {})).isInstanceOf(dev.ephemera.NotABlockException.class)
                    .hasMessageContaining("Ephemeron.Kn.Bucket.find: expected a bucket");
        }
    }

    /**
     * A client container: a pair {@code [weak array [key], data]} — weak key, strong data, i.e.
     * the leaky kind of table OCaml programs build by hand — with three-way equality.
     */
    private static class WeakKeyContainers implements GenHashedType {
        @Override
        public int seededHash(Heap heap, int seed, long key) {
            return OcamlHash.seededHash(heap, seed, key);
        }

        @Override
        public GenHashTable.Equal equal(Heap heap, long container, long key) {
            long k = heap.weak().get(heap.field(container, 0), 0);
            if (k == Value.NONE) {
                return GenHashTable.Equal.DEAD;
            }
            return HashedTypes.equal().equal(heap, k, key) ? GenHashTable.Equal.TRUE : GenHashTable.Equal.FALSE;
        }

        @Override
        public long create(Heap heap, long key, long data) {
            try (Scope s = heap.openScope()) {
                var k = s.handle(key);
                var d = s.handle(data);
                var w = s.handle(heap.weak().create(1));
                heap.weak().set(w.get(), 0, k.get());
                return heap.alloc(0, w.get(), d.get());
            }
        }

        @Override
        public long getKey(Heap heap, long container) {
            return heap.weak().get(heap.field(container, 0), 0);
        }

        @Override
        public long getData(Heap heap, long container) {
            return heap.field(container, 1);
        }

        @Override
        public void setKeyData(Heap heap, long container, long key, long data) {
            heap.weak().set(heap.field(container, 0), 0, key);
            heap.setField(container, 1, data);
        }

        @Override
        public boolean checkKey(Heap heap, long container) {
            return heap.weak().check(heap.field(container, 0), 0);
        }
    }

    @Test
    void genHashTableOverClientContainers() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            GenHashTable g = GenHashTable.makeSeeded(heap, new WeakKeyContainers());
            Handle t = s.handle(g.create(true, 16));
            List<Handle> keys = new ArrayList<>();
            for (int n = 0; n < 100; n++) {
                keys.add(s.handle(heap.allocString("key" + n)));
                g.replace(t.get(), keys.get(n).get(), i(n));
            }
            for (int n = 0; n < 100; n++) {
                long probe = heap.allocString("key" + n);
                assertThat(g.find(t.get(), probe)).isEqualTo(i(n));
            }
            g.replace(t.get(), keys.get(3).get(), i(-3));
            assertThat(g.findAll(t.get(), keys.get(3).get())).containsExactly(i(-3));
            for (int n = 0; n < 100; n += 2) {
                keys.get(n).set(Value.UNIT);
            }
            heap.gc().fullMajor();
            assertThat(g.length(t.get())).as("dead containers are counted until purged").isEqualTo(100);
            assertThat(g.statsAlive(t.get()).numBindings()).isEqualTo(50);
            assertThat(g.liveLength(t.get())).isEqualTo(50);
            assertThat(g.length(t.get())).isEqualTo(50);
            long sum = g.fold(t.get(), (k, d, acc) -> acc + Value.intOf(d), 0L);
            assertThat(sum).isEqualTo(2500 - 6); // odd numbers below 100, with 3 replaced by -3
            long probe = heap.allocString("key4");
            assertThat(g.mem(t.get(), probe)).isFalse();
            Handle copy = s.handle(g.copy(t.get()));
            g.replace(copy.get(), keys.get(5).get(), i(55));
            assertThat(g.find(t.get(), keys.get(5).get())).as("copy shares containers").isEqualTo(i(55));
            g.clean(t.get());
            assertThat(g.stats(t.get()).numBindings()).isEqualTo(50);
            heap.verify();
        }
    }

    /**
     * A {@code check_key} that modifies its own table while a purge walks it: the walk would go
     * on from cells the modification unlinked, so the operation that purges raises, naming
     * itself and the modifier, and the table is left as the modification made it, usable.
     */
    @Test
    void aCheckKeyThatModifiesItsTableDuringAPurgeIsRefusedAndTheTableStaysUsable() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Handle t = s.handle(Value.NONE);
            Handle victim = s.handle(heap.allocString("victim"));
            boolean[] meddle = {false};
            GenHashTable[] g = new GenHashTable[1];
            g[0] = GenHashTable.makeSeeded(heap, new WeakKeyContainers() {
                @Override
                public boolean checkKey(Heap h, long container) {
                    if (meddle[0]) {
                        meddle[0] = false;
                        g[0].remove(t.get(), victim.get());
                    }
                    return super.checkKey(h, container);
                }
            });
            t.set(g[0].create(false, 16));
            List<Handle> keys = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                keys.add(s.handle(heap.allocString("key" + n)));
                g[0].replace(t.get(), keys.get(n).get(), i(n));
            }
            g[0].replace(t.get(), victim.get(), i(-1));
            for (int n = 0; n < 40; n += 2) {
                keys.get(n).set(Value.UNIT);
            }
            heap.gc().fullMajor(); // 20 containers dead: the next observation purges
            meddle[0] = true;
            assertThatThrownBy(() -> g[0].liveLength(t.get()))
                    .isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("live_length").hasMessageContaining("remove")
                    .hasMessageContaining("check_key");
            assertThat(g[0].mem(t.get(), victim.get())).as("the modification was made").isFalse();
            assertThat(g[0].liveLength(t.get())).as("the next observation purges the rest").isEqualTo(20);
            for (int n = 1; n < 40; n += 2) {
                assertThat(g[0].find(t.get(), keys.get(n).get())).isEqualTo(i(n));
            }
            heap.verify();
        }
    }

    /**
     * Finding, replacing and removing a binding of a one- or two-key table makes no Java garbage
     * (the keys are not gathered into an array: the engine is not inlined into its caller, so
     * the JIT could not remove one). The keys are kept in a heap array between rounds.
     */
    @Test
    void oneAndTwoKeyOperationsMakeNoJavaGarbage() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Heap heap = TableHeaps.small();
        int n = 500;
        try (Scope s = heap.openScope()) {
            K1Table k1 = K1Table.make(heap, HashedTypes.eq());
            K2Table k2 = K2Table.make(heap, HashedTypes.eq(), HashedTypes.eq());
            Handle t1 = s.handle(k1.create(16));
            Handle t2 = s.handle(k2.create(16));
            Handle keys = s.handle(heap.allocArray(n, Value.UNIT));
            for (int k = 0; k < n; k++) {
                long key = heap.alloc(0, i(k));
                heap.setField(keys.get(), k, key);
            }
            for (int k = 0; k < n; k++) {
                long key = heap.field(keys.get(), k);
                k1.replace(t1.get(), key, i(k));
                key = heap.field(keys.get(), k);
                k2.replace(t2.get(), key, key, i(k));
            }
            long perOp = 0;
            int wrong = 0;
            for (int round = 0; round < 3; round++) { // the last round: the code is compiled
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int r = 0; r < 40; r++) { // (no assertion inside: AssertJ allocates)
                    for (int k = 0; k < n; k++) { // replacing bound keys: no heap allocation, no collection
                        long key = heap.field(keys.get(), k);
                        k1.replace(t1.get(), key, i(k + r));
                        k2.replace(t2.get(), key, key, i(k + r));
                        if (k1.find(t1.get(), key) != i(k + r) || k2.find(t2.get(), key, key) != i(k + r)
                                || !k2.mem(t2.get(), key, key) || k2.findOpt(t2.get(), key, key) != i(k + r)) {
                            wrong++;
                        }
                        k2.remove(t2.get(), key, i(-1)); // bound to nothing: removes nothing
                        k1.remove(t1.get(), i(-1));
                    }
                }
                perOp = (threads.getCurrentThreadAllocatedBytes() - before) / (40L * n * 8);
            }
            for (int k = 0; k < n; k++) {
                long key = heap.field(keys.get(), k);
                k2.remove(t2.get(), key, key);
                k1.remove(t1.get(), key);
            }
            assertThat(wrong).as("finds that did not find the data just bound").isZero();
            assertThat(k1.liveLength(t1.get()) + k2.liveLength(t2.get())).as("bindings left after removing all").isZero();
            assertThat(perOp).as("Java bytes allocated per replace, find, mem or remove").isLessThan(8);
        }
    }

    @Test
    void aNullFunctionIsRefusedByNameAndTheTableStaysUsable() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            K2Table k2 = K2Table.make(heap, HashedTypes.eq(), HashedTypes.eq());
            KnTable kn = KnTable.make(heap, HashedTypes.eq());
            Handle t2 = s.handle(k2.create(16));
            Handle tn = s.handle(kn.create(16));
            Handle a = s.handle(heap.alloc(0, i(1)));
            k2.replace(t2.get(), a.get(), a.get(), i(1)); // not empty: the function would be called
            kn.replace(tn.get(), new long[] {a.get()}, i(1));
            assertThatThrownBy(() -> k2.iter(t2.get(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K2.iter").hasMessageContaining("the function is null");
            assertThatThrownBy(() -> k2.fold(t2.get(), null, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K2.fold");
            assertThatThrownBy(() -> k2.filterMapInplace(t2.get(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.K2.filter_map_inplace");
            assertThatThrownBy(() -> kn.iter(tn.get(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.Kn.iter").hasMessageContaining("the function is null");
            assertThatThrownBy(() -> kn.fold(tn.get(), null, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.Kn.fold");
            assertThatThrownBy(() -> kn.filterMapInplace(tn.get(), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ephemeron.Kn.filter_map_inplace");
            assertThat(k2.find(t2.get(), a.get(), a.get())).isEqualTo(i(1));
            assertThat(kn.find(tn.get(), new long[] {a.get()})).isEqualTo(i(1));
            k2.replace(t2.get(), a.get(), a.get(), i(2));
            assertThat(k2.find(t2.get(), a.get(), a.get())).isEqualTo(i(2));
        }
    }
}
