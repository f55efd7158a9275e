package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The liveness rules of each {@link Weakness} through collections: which part keeps which
 * alive, when an entry disappears, and the classic leak of weak keys (and weak values) that
 * the ephemeral modes do not have. Each scenario makes fresh blocks, keeps some of them in
 * roots, runs collections, and looks at the table.
 */
@ExtendWith(TableValidation.class)
class WeaknessTest {
    private static long i(long n) {
        return Value.ofInt(n);
    }

    /** Which parts are kept alive from outside the table. */
    private enum Outside { NOTHING, KEY, VALUE, BOTH }

    /** The modes whose entry survives when only {@code outside} is reachable from outside. */
    private static Set<Weakness> survivors(Outside outside) {
        switch (outside) {
            case NOTHING:
                return EnumSet.of(Weakness.NONE);
            case KEY:
                return EnumSet.of(Weakness.NONE, Weakness.WEAK_KEY, Weakness.EPHEMERAL_KEY, Weakness.EPHEMERAL_KEY_AND_VALUE);
            case VALUE:
                return EnumSet.of(Weakness.NONE, Weakness.WEAK_VALUE, Weakness.EPHEMERAL_VALUE, Weakness.EPHEMERAL_KEY_AND_VALUE);
            default:
                return EnumSet.allOf(Weakness.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Weakness.class)
    void anEntrySurvivesExactlyWhenItsModeSaysSo(Weakness w) {
        for (Outside outside : Outside.values()) {
            for (boolean minor : new boolean[] {true, false}) {
                Heap heap = TableHeaps.small();
                try (Scope s = heap.openScope()) {
                    Hashtables tables = Hashtables.of(heap);
                    var t = s.handle(tables.makeEq(w, 16));
                    if (!minor) {
                        heap.gc().minor(); // the table is old; the key and value below are young
                    }
                    var key = s.handle(heap.alloc(0, i(1)));
                    var value = s.handle(heap.alloc(0, i(2)));
                    tables.set(t.get(), key.get(), value.get());
                    tables.set(t.get(), i(3), i(4)); // immediates never die
                    if (!minor) {
                        heap.gc().minor(); // now both are old: a major collection must find them dead
                    }
                    if (outside == Outside.NOTHING || outside == Outside.VALUE) {
                        key.set(Value.UNIT);
                    }
                    if (outside == Outside.NOTHING || outside == Outside.KEY) {
                        value.set(Value.UNIT);
                    }
                    if (minor) {
                        heap.gc().minor();
                    } else {
                        heap.gc().fullMajor();
                    }
                    boolean survives = survivors(outside).contains(w);
                    String what = w + ", kept from outside: " + outside + (minor ? ", minor" : ", major");
                    assertThat(tables.size(t.get())).as(what).isEqualTo(survives ? 2 : 1);
                    long[] count = {0};
                    tables.forEach(t.get(), (k, v) -> {
                        if (Value.isBlock(k)) {
                            assertThat(heap.field(k, 0)).isEqualTo(i(1));
                            assertThat(heap.field(v, 0)).isEqualTo(i(2));
                            count[0]++;
                        }
                    });
                    assertThat(count[0]).as(what).isEqualTo(survives ? 1 : 0);
                    if (outside == Outside.KEY || outside == Outside.BOTH) {
                        assertThat(tables.contains(t.get(), key.get())).as(what).isEqualTo(survives);
                    }
                    assertThat(tables.ref(t.get(), i(3), Value.FALSE)).isEqualTo(i(4));
                    heap.verify();
                }
            }
        }
    }

    /**
     * The value refers to its key and nothing else refers to either: a weak-key table keeps the
     * entry for ever (the table holds the value, the value holds the key — WeakHashMap's leak);
     * an ephemeral-key table lets both go. Symmetrically for values.
     */
    @ParameterizedTest
    @EnumSource(Weakness.class)
    void aPartReferringToTheOtherLeaksOnlyUnderWeakness(Weakness w) {
        for (boolean valueRefersToKey : new boolean[] {true, false}) {
            Heap heap = TableHeaps.small();
            try (Scope s = heap.openScope()) {
                Hashtables tables = Hashtables.of(heap);
                var t = s.handle(tables.makeEq(w, 16));
                for (int n = 0; n < 10; n++) {
                    if (valueRefersToKey) {
                        var k = s.handle(heap.alloc(0, i(n)));
                        long value = heap.alloc(0, k.get(), i(n));
                        tables.set(t.get(), k.get(), value);
                        k.set(Value.UNIT);
                    } else {
                        var v = s.handle(heap.alloc(0, i(n)));
                        long key = heap.alloc(0, v.get(), i(n));
                        tables.set(t.get(), key, v.get());
                        v.set(Value.UNIT);
                    }
                }
                for (int round = 0; round < 3; round++) {
                    heap.gc().fullMajor();
                }
                boolean leaks = w == Weakness.NONE
                        || (valueRefersToKey ? w == Weakness.WEAK_KEY : w == Weakness.WEAK_VALUE);
                assertThat(tables.size(t.get())).as(w + (valueRefersToKey ? ", value -> key" : ", key -> value"))
                        .isEqualTo(leaks ? 10 : 0);
                heap.verify();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Weakness.class)
    void deadEntriesAreGoneFromEverySnapshot(Weakness w) {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            Hashtables tables = Hashtables.of(heap);
            var t = s.handle(tables.makeEq(w, 16));
            GlobalRoot[] keys = new GlobalRoot[40];
            GlobalRoot[] values = new GlobalRoot[40];
            for (int n = 0; n < 40; n++) {
                keys[n] = heap.newGlobalRoot(heap.alloc(0, i(n)));
                values[n] = heap.newGlobalRoot(heap.alloc(0, i(-n)));
                tables.set(t.get(), keys[n].get(), values[n].get());
            }
            for (int n = 0; n < 40; n += 2) { // drop both parts of every other entry
                keys[n].set(Value.UNIT);
                values[n].set(Value.UNIT);
            }
            heap.gc().fullMajor();
            long expected = w == Weakness.NONE ? 40 : 20;
            assertThat(tables.size(t.get())).isEqualTo(expected);
            long entries = tables.entries(t.get(), 2);
            assertThat(heap.size(heap.field(entries, 0))).isEqualTo((int) expected);
            assertThat(heap.tag(heap.field(entries, 1))).isEqualTo(2);
            for (int n = 0; n < expected; n++) {
                long k = heap.field(heap.field(entries, 0), n);
                long v = heap.field(heap.field(entries, 1), n);
                assertThat(heap.field(v, 0)).isEqualTo(i(-Value.intOf(heap.field(k, 0))));
            }
            for (GlobalRoot r : keys) {
                r.close();
            }
            for (GlobalRoot r : values) {
                r.close();
            }
        }
    }
}
