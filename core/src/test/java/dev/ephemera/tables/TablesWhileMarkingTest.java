package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Table operations run while a major cycle marks keep alive only what they hand back. OCaml's
 * {@code clean}, {@code stats_alive} and the dead-binding tests of {@code add}, {@code replace}
 * and {@code remove} use {@code check_key}, which keeps nothing alive; a liveness test that read
 * keys with {@code get_key} (which keeps what it returns until the cycle ends) kept every key of
 * a table alive through each cycle in which it ran — a table cleaned once a cycle never lost a
 * key (found by a differential probe against OCaml 4.13.1).
 */
@ExtendWith(TableValidation.class)
class TablesWhileMarkingTest {
    private static final int KEYS = 100;

    private static long i(long n) {
        return Value.ofInt(n);
    }

    private static Heap heap() {
        return TableHeaps.create(HeapConfig.defaults().minorHeapWords(4096).sliceWords(1).verifyEveryCollection(true));
    }

    /**
     * Binds {@link #KEYS} keys in table {@code t} with {@code bind}, makes them old, drops them
     * (a weak array remembers them), starts a cycle, runs {@code op} on the table while the
     * cycle marks, and finishes the cycle. Returns how many of the dropped keys are still alive:
     * they were unreachable when the cycle began, so none should be.
     */
    private static int keysAliveAfter(Heap heap, GlobalRoot t, KeyBinder bind, LongConsumer op) {
        try (GlobalRoot seen = heap.newGlobalRoot(heap.weak().create(KEYS));
             GlobalRoot kept = heap.newGlobalRoot(heap.allocArray(KEYS, Value.UNIT))) {
            for (int k = 0; k < KEYS; k++) {
                long key = heap.alloc(0, i(k));
                heap.setField(kept.get(), k, key);
                heap.weak().set(seen.get(), k, key);
                bind.bind(t.get(), heap.field(kept.get(), k), k);
            }
            heap.gc().fullMajor(); // keys, containers and table are old
            kept.set(Value.NONE); // and the keys reachable from nothing but the table
            heap.gc().majorSlice(0); // a cycle starts: every key is unreachable at its start
            assertThat(heap.gc().majorPhase()).isEqualTo(Phase.MARK);
            op.accept(t.get());
            assertThat(heap.gc().majorPhase()).as("the operation ran while the cycle marked").isEqualTo(Phase.MARK);
            heap.gc().major(); // finishes this cycle
            int alive = 0;
            for (int k = 0; k < KEYS; k++) {
                if (heap.weak().check(seen.get(), k)) {
                    alive++;
                }
            }
            return alive;
        }
    }

    private interface KeyBinder {
        void bind(long t, long key, int k);
    }

    private static int k1KeysAliveAfter(LongConsumerWithTable op) {
        Heap heap = heap();
        K1Table k1 = K1Table.make(heap, K1TableTest.BY_ID);
        try (GlobalRoot t = heap.newGlobalRoot(k1.create(16))) {
            return keysAliveAfter(heap, t, (table, key, k) -> k1.replace(table, key, i(k)), table -> op.run(heap, k1, table));
        }
    }

    private interface LongConsumerWithTable {
        void run(Heap heap, K1Table k1, long t);
    }

    @Test
    void cleanStatsAliveLiveLengthAndCopyKeepNoKeyAlive() {
        assertThat(k1KeysAliveAfter((heap, k1, t) -> k1.clean(t))).as("clean").isZero();
        assertThat(k1KeysAliveAfter((heap, k1, t) -> k1.statsAlive(t))).as("stats_alive").isZero();
        assertThat(k1KeysAliveAfter((heap, k1, t) -> k1.liveLength(t))).as("live_length").isZero();
        assertThat(k1KeysAliveAfter((heap, k1, t) -> k1.copy(t))).as("copy").isZero();
    }

    @Test
    void removeAndReplaceOfOtherKeysKeepNoKeyAlive() {
        assertThat(k1KeysAliveAfter((heap, k1, t) -> {
            for (int k = KEYS; k < 3 * KEYS; k++) {
                k1.remove(t, heap.alloc(0, i(k)));
            }
        })).as("remove of absent keys").isZero();
        assertThat(k1KeysAliveAfter((heap, k1, t) -> {
            try (GlobalRoot table = heap.newGlobalRoot(t)) {
                for (int k = KEYS; k < 3 * KEYS; k++) {
                    k1.replace(table.get(), heap.alloc(0, i(k)), i(k));
                }
            }
        })).as("replace of fresh keys").isZero();
    }

    @Test
    void multiKeyTablesCleanWithoutKeepingKeysAlive() {
        Heap heap = heap();
        K2Table k2 = K2Table.make(heap, K1TableTest.BY_ID, K1TableTest.BY_ID);
        try (GlobalRoot t = heap.newGlobalRoot(k2.create(16));
             GlobalRoot other = heap.newGlobalRoot(heap.alloc(0, i(-1)))) {
            assertThat(keysAliveAfter(heap, t, (table, key, k) -> k2.replace(table, key, other.get(), i(k)), k2::clean))
                    .as("K2 clean").isZero();
        }
        KnTable kn = KnTable.make(heap, K1TableTest.BY_ID);
        try (GlobalRoot t = heap.newGlobalRoot(kn.create(16));
             GlobalRoot other = heap.newGlobalRoot(heap.alloc(0, i(-1)))) {
            assertThat(keysAliveAfter(heap, t, (table, key, k) -> kn.replace(table, new long[] {other.get(), key}, i(k)),
                    kn::statsAlive)).as("Kn stats_alive").isZero();
        }
    }

    @Test
    void weakTablesOfEveryWeakKeyModeCountWithoutKeepingKeysAlive() {
        // (not EPHEMERAL_KEY_AND_VALUE: its value, an immediate here, would keep the key)
        for (Weakness weakness : new Weakness[] {Weakness.WEAK_KEY, Weakness.WEAK_KEY_AND_VALUE,
            Weakness.EPHEMERAL_KEY}) {
            Heap heap = heap();
            Hashtables h = Hashtables.of(heap);
            try (GlobalRoot t = heap.newGlobalRoot(h.make(K1TableTest.BY_ID, weakness, 16))) {
                // the value is an immediate, so a weak value never dies: only the keys decide
                assertThat(keysAliveAfter(heap, t, (table, key, k) -> h.set(table, key, i(k)), h::size))
                        .as("size of a " + weakness + " table").isZero();
            }
        }
    }
}
