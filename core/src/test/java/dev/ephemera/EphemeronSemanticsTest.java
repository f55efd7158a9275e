package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Value;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ephemeron promises (issue "Ephemerons and weak pointers"), each checked in checked mode
 * with the verifier after every collection, on a tiny nursery and on the default one.
 * "Observed dead" means a weak root to the value became NONE.
 */
class EphemeronSemanticsTest {

    static Stream<Arguments> heaps() {
        Supplier<Heap> tiny = TestHeaps::tiny;
        Supplier<Heap> defaults = TestHeaps::defaults;
        return Stream.of(Arguments.of("tiny nursery", tiny), Arguments.of("default nursery", defaults));
    }

    private static long block(Heap heap, long id) {
        return heap.alloc(0, Value.ofInt(id), Value.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void dataIsKeptWhileTheEphemeronAndItsKeyAreAlive(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            Handle e = s.handle(k1.make(key.get(), block(heap, 2)));
            GlobalRoot data = heap.newWeakRoot(k1.getData(e.get()));
            heap.gc().minor();
            heap.gc().fullMajor();
            assertThat(k1.getKey(e.get())).isEqualTo(key.get());
            assertThat(data.get()).isNotEqualTo(Value.NONE);
            assertThat(k1.getData(e.get())).isEqualTo(data.get());
            assertThat(Value.intOf(heap.field(k1.getData(e.get()), 0))).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void whenTheKeyDiesKeyAndDataAreEmptiedTogether(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            Handle e = s.handle(k1.make(key.get(), block(heap, 2)));
            GlobalRoot data = heap.newWeakRoot(k1.getData(e.get()));
            heap.gc().fullMajor(); // key and data are old now
            key.set(Value.NONE);
            heap.gc().major();
            assertThat(k1.checkKey(e.get())).isFalse();
            assertThat(k1.checkData(e.get())).isFalse();
            assertThat(k1.getKey(e.get())).isEqualTo(Value.NONE);
            assertThat(k1.getData(e.get())).isEqualTo(Value.NONE);
            assertThat(data.get()).as("the data died with its key").isEqualTo(Value.NONE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void dataAliveForAnotherReasonSurvivesButTheEphemeronNoLongerHoldsIt(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            Handle data = s.handle(block(heap, 2));
            Handle e = s.handle(k1.make(key.get(), data.get()));
            key.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(k1.getData(e.get())).isEqualTo(Value.NONE);
            assertThat(Value.intOf(heap.field(data.get(), 0))).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void anEphemeronWithAllKeysEmptyKeepsItsDataLikeARef(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronKn kn = heap.ephemerons().kn();
            Handle e = s.handle(kn.create(3));
            kn.setData(e.get(), block(heap, 7));
            GlobalRoot data = heap.newWeakRoot(kn.getData(e.get()));
            heap.gc().fullMajor();
            assertThat(data.get()).isNotEqualTo(Value.NONE);
            assertThat(Value.intOf(heap.field(kn.getData(e.get()), 0))).isEqualTo(7);
            // K1: unset_key turns it into a ref too.
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle e1 = s.handle(k1.make(block(heap, 1), block(heap, 2)));
            k1.unsetKey(e1.get());
            heap.gc().fullMajor();
            assertThat(k1.checkData(e1.get())).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void livenessIsTheLeastFixpointAlongAChainInEveryCreationOrder(String name, Supplier<Heap> make) {
        for (String order : new String[] {"fwd", "rev", "interleaved"}) {
            try (Heap heap = make.get(); Scope s = heap.openScope()) {
                int n = 300;
                EphemeronK1 k1 = heap.ephemerons().k1();
                RootArea keys = heap.newRootArea(n + 1, Rank.STRONG);
                for (int i = 0; i <= n; i++) {
                    keys.push(block(heap, i));
                }
                Handle ephs = s.handle(heap.allocArray(n, Value.NONE));
                for (int j = 0; j < n; j++) {
                    int i = order.equals("fwd") ? j : order.equals("rev") ? n - 1 - j : (j * 7) % n;
                    heap.setField(ephs.get(), i, k1.make(keys.get(i), keys.get(i + 1)));
                }
                GlobalRoot last = heap.newWeakRoot(keys.get(n));
                long k0 = keys.get(0);
                keys.setUsed(0);
                Handle root = s.handle(k0);
                heap.gc().fullMajor();
                for (int i = 0; i < n; i++) {
                    assertThat(k1.checkData(heap.field(ephs.get(), i))).as("%s: data of %d", order, i).isTrue();
                }
                assertThat(last.get()).isNotEqualTo(Value.NONE);
                root.set(Value.NONE);
                heap.gc().fullMajor();
                for (int i = 0; i < n; i++) {
                    long e = heap.field(ephs.get(), i);
                    assertThat(k1.checkKey(e) || k1.checkData(e)).as("%s: ephemeron %d cleared", order, i).isFalse();
                }
                assertThat(last.get()).isEqualTo(Value.NONE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void dataPointingBackToItsKeyOrItsEphemeronKeepsNeitherAlive(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            Handle e = s.handle(k1.make(key.get(), heap.alloc(0, key.get())));
            GlobalRoot weakKey = heap.newWeakRoot(key.get());
            key.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(weakKey.get()).as("the key, referenced only by its own data").isEqualTo(Value.NONE);
            assertThat(k1.checkData(e.get())).isFalse();

            // Data pointing to its own ephemeron: the ephemeron is not kept by it.
            Handle key2 = s.handle(block(heap, 2));
            long e2 = k1.make(key2.get(), Value.NONE);
            GlobalRoot weakEph = heap.newWeakRoot(e2);
            k1.setData(weakEph.get(), heap.alloc(0, weakEph.get()));
            heap.gc().fullMajor();
            assertThat(weakEph.get()).as("an ephemeron referenced only by its own data").isEqualTo(Value.NONE);
            assertThat(weakKey.get()).isEqualTo(Value.NONE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void aDeadEphemeronKeepsNothingAlive(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            long e = k1.make(key.get(), block(heap, 2));
            GlobalRoot data = heap.newWeakRoot(k1.getData(e));
            GlobalRoot eph = heap.newWeakRoot(e);
            heap.gc().fullMajor();
            assertThat(eph.get()).isEqualTo(Value.NONE);
            assertThat(data.get()).as("data of a dead ephemeron with a live key").isEqualTo(Value.NONE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void immediatesAreNeverCleared(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle e = s.handle(k1.make(Value.ofInt(5), Value.ofInt(6)));
            Handle e2 = s.handle(k1.make(Value.ofInt(5), block(heap, 9)));
            long w = heap.weak().create(2);
            Handle wa = s.handle(w);
            heap.weak().set(wa.get(), 0, Value.ofInt(42));
            heap.weak().set(wa.get(), 1, Value.TRUE);
            for (int i = 0; i < 3; i++) {
                heap.gc().minor();
                heap.gc().fullMajor();
            }
            assertThat(k1.getKey(e.get())).isEqualTo(Value.ofInt(5));
            assertThat(k1.getData(e.get())).isEqualTo(Value.ofInt(6));
            assertThat(Value.intOf(heap.field(k1.getData(e2.get()), 0))).as("data of an immediate key lives").isEqualTo(9);
            assertThat(heap.weak().get(wa.get(), 0)).isEqualTo(Value.ofInt(42));
            assertThat(heap.weak().get(wa.get(), 1)).isEqualTo(Value.TRUE);
        }
    }

    @Test
    void aMinorCollectionClearsWeakReferencesToYoungGarbage() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Weak weak = heap.weak();
            Handle w = s.handle(weak.create(2));
            Handle liveKey = s.handle(block(heap, 1));
            Handle e = s.handle(k1.make(liveKey.get(), block(heap, 2)));
            Handle e2 = s.handle(k1.make(block(heap, 3), block(heap, 4)));
            weak.set(w.get(), 0, block(heap, 5));
            weak.set(w.get(), 1, liveKey.get());
            GlobalRoot deadData = heap.newWeakRoot(k1.getData(e2.get()));
            long majorsBefore = heap.gc().stat().majorCollections;
            heap.gc().minor();
            assertThat(heap.gc().stat().majorCollections).as("no major collection ran").isEqualTo(majorsBefore);
            assertThat(weak.check(w.get(), 0)).as("weak pointer to young garbage").isFalse();
            assertThat(weak.get(w.get(), 1)).isEqualTo(liveKey.get());
            assertThat(k1.checkKey(e2.get())).isFalse();
            assertThat(k1.checkData(e2.get())).isFalse();
            assertThat(deadData.get()).as("young data of a young dead key is not promoted").isEqualTo(Value.NONE);
            assertThat(k1.checkData(e.get())).as("young data of a live young key").isTrue();
            assertThat(Value.intOf(heap.field(k1.getData(e.get()), 0))).isEqualTo(2);
        }
    }

    @Test
    void youngDataIsPromotedOnlyThroughAChainOfLiveYoungKeys() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            int n = 50;
            Handle ephs = s.handle(heap.allocArray(n, Value.NONE));
            Handle first = s.handle(block(heap, 0));
            Handle prev = s.handle(first.get());
            // Created in reverse so that discovery order is the worst case for a rescan.
            Handle[] keys = new Handle[n + 1];
            keys[0] = first;
            for (int i = 1; i <= n; i++) {
                keys[i] = s.handle(block(heap, i));
            }
            for (int i = n - 1; i >= 0; i--) {
                heap.setField(ephs.get(), i, k1.make(keys[i].get(), keys[i + 1].get()));
            }
            GlobalRoot end = heap.newWeakRoot(keys[n].get());
            for (int i = 1; i <= n; i++) {
                keys[i].set(Value.NONE);
            }
            prev.set(Value.NONE);
            heap.gc().minor();
            assertThat(end.get()).isNotEqualTo(Value.NONE);
            for (int i = 0; i < n; i++) {
                assertThat(k1.checkData(heap.field(ephs.get(), i))).isTrue();
            }
            first.set(Value.NONE);
            heap.gc().minor(); // keys are old now: a minor collection cannot tell they died
            assertThat(end.get()).isNotEqualTo(Value.NONE);
            heap.gc().major();
            assertThat(end.get()).isEqualTo(Value.NONE);
        }
    }

    /**
     * Each ephemeron's data is a chain of {@code links} young blocks whose last ends in the next
     * ephemeron's key, so a minor collection reaches each key (but the first) as the tail of a
     * chain of young blocks, after the ephemeron rule has made the key wait: the chain must copy
     * it as a waited key, with its own header, and wake its ephemeron. With more than one link
     * the key is met while the chain promotes into a bump region it has leased, in the key's own
     * size class: the key's copy must get a cell of its own, not one the chain hands out again.
     */
    @ParameterizedTest(name = "{0} link(s)")
    @ValueSource(ints = {1, 3})
    void aKeyReachedAsTheLastFieldOfAYoungBlockWakesItsEphemeron(int links) {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            int n = 20;
            Handle ephs = s.handle(heap.allocArray(n, Value.NONE));
            Handle[] keys = new Handle[n + 1];
            for (int i = 0; i <= n; i++) {
                keys[i] = s.handle(block(heap, i));
            }
            for (int i = n - 1; i >= 0; i--) { // the worst discovery order
                long data = keys[i + 1].get();
                for (int link = links - 1; link >= 0; link--) {
                    data = heap.alloc(0, Value.ofInt(1000 * link + i), data);
                }
                heap.setField(ephs.get(), i, k1.make(keys[i].get(), data));
            }
            GlobalRoot end = heap.newWeakRoot(keys[n].get());
            for (int i = 1; i <= n; i++) {
                keys[i].set(Value.NONE);
            }
            heap.gc().minor();
            assertThat(end.get()).as("the last key, reached through every ephemeron").isNotEqualTo(Value.NONE);
            for (int i = 0; i < n; i++) {
                long eph = heap.field(ephs.get(), i);
                assertThat(k1.checkData(eph)).as("data of ephemeron %d", i).isTrue();
                long v = k1.getData(eph);
                for (int link = 0; link < links; link++, v = heap.field(v, 1)) {
                    assertThat(heap.field(v, 0)).as("link %d of ephemeron %d", link, i).isEqualTo(Value.ofInt(1000 * link + i));
                }
                assertThat(heap.field(v, 0)).as("key %d", i + 1).isEqualTo(Value.ofInt(i + 1));
            }
            heap.verify();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void knDataNeedsEveryFullKeyWithKeysOfBothGenerations(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronKn kn = heap.ephemerons().kn();
            Handle oldKey = s.handle(block(heap, 1));
            heap.gc().fullMajor(); // oldKey is old
            Handle youngKey = s.handle(block(heap, 2));
            Handle e = s.handle(kn.make(new long[] {oldKey.get(), youngKey.get(), Value.ofInt(3)}, block(heap, 4)));
            heap.gc().minor();
            assertThat(kn.checkData(e.get())).isTrue();
            // The young key dies while young: a minor collection clears it and the data.
            Handle e2 = s.handle(kn.make(new long[] {oldKey.get(), block(heap, 5)}, block(heap, 6)));
            heap.gc().minor();
            assertThat(kn.checkKey(e2.get(), 0)).isTrue();
            assertThat(kn.checkKey(e2.get(), 1)).isFalse();
            assertThat(kn.checkData(e2.get())).isFalse();
            // The old key dies: the major collection clears it and the data; the other key stays.
            oldKey.set(Value.NONE);
            heap.gc().major();
            assertThat(kn.checkKey(e.get(), 0)).isFalse();
            assertThat(kn.checkKey(e.get(), 1)).isTrue();
            assertThat(kn.getKey(e.get(), 2)).isEqualTo(Value.ofInt(3));
            assertThat(kn.checkData(e.get())).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void everyAccessorOnEveryReferenceSeesOneAnswer(String name, Supplier<Heap> make) {
        try (Heap heap = make.get(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            EphemeronK2 k2 = heap.ephemerons().k2();
            Weak weak = heap.weak();
            Handle v = s.handle(block(heap, 1));
            Handle other = s.handle(block(heap, 2));
            Handle a = s.handle(k1.make(v.get(), block(heap, 3)));
            Handle b = s.handle(k2.make(other.get(), v.get(), block(heap, 4)));
            Handle w = s.handle(weak.create(3));
            weak.set(w.get(), 1, v.get());
            GlobalRoot wr = heap.newWeakRoot(v.get());
            heap.gc().fullMajor();
            v.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(k1.getKey(a.get())).isEqualTo(Value.NONE);
            assertThat(k1.getKeyCopy(a.get())).isEqualTo(Value.NONE);
            assertThat(k1.checkKey(a.get())).isFalse();
            assertThat(k1.getData(a.get())).isEqualTo(Value.NONE);
            assertThat(k2.checkKey2(b.get())).isFalse();
            assertThat(k2.checkKey1(b.get())).isTrue();
            assertThat(k2.checkData(b.get())).isFalse();
            assertThat(weak.get(w.get(), 1)).isEqualTo(Value.NONE);
            assertThat(weak.getCopy(w.get(), 1)).isEqualTo(Value.NONE);
            assertThat(weak.check(w.get(), 1)).isFalse();
            assertThat(wr.get()).isEqualTo(Value.NONE);
        }
    }

    @Test
    void dataOfALiveEphemeronIsAliveForEveryOtherReference() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(block(heap, 1));
            Handle holder = s.handle(heap.ephemerons().create(1));
            Handle v = s.handle(block(heap, 2));
            heap.ephemerons().setKey(holder.get(), 0, key.get());
            heap.ephemerons().setData(holder.get(), v.get());
            Handle a = s.handle(k1.make(v.get(), block(heap, 3)));
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, v.get());
            v.set(Value.NONE);
            heap.gc().fullMajor();
            long kept = heap.ephemerons().getData(holder.get());
            assertThat(kept).isNotEqualTo(Value.NONE);
            assertThat(heap.weak().get(w.get(), 0)).isEqualTo(kept);
            assertThat(k1.getKey(a.get())).isEqualTo(kept);
            assertThat(k1.checkData(a.get())).isTrue();
        }
    }

    @Test
    void weakRootsAreSplattedWhenTheReferentDiesAndFollowItWhileItLives() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle live = s.handle(block(heap, 1));
            GlobalRoot w1 = heap.newWeakRoot(live.get());
            GlobalRoot w2 = heap.newWeakRoot(block(heap, 2));
            RootArea area = heap.newRootArea(4, Rank.WEAK);
            area.push(live.get());
            area.push(block(heap, 3));
            heap.gc().minor();
            assertThat(w1.get()).isEqualTo(live.get()).isNotEqualTo(Value.NONE);
            assertThat(area.get(0)).isEqualTo(live.get());
            assertThat(w2.get()).isEqualTo(Value.NONE);
            assertThat(area.get(1)).isEqualTo(Value.NONE);
            assertThat(w1.rank()).isEqualTo(Rank.WEAK);
            live.set(Value.NONE);
            heap.gc().major();
            assertThat(w1.get()).isEqualTo(Value.NONE);
            assertThat(area.get(0)).isEqualTo(Value.NONE);
        }
    }

    @Test
    void ocaml5MakeAndQueryUsePhysicalEquality() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            EphemeronK2 k2 = heap.ephemerons().k2();
            EphemeronKn kn = heap.ephemerons().kn();
            Handle key = s.handle(block(heap, 1));
            Handle twin = s.handle(block(heap, 1));
            Handle e = s.handle(k1.make(key.get(), Value.ofInt(10)));
            assertThat(k1.query(e.get(), key.get())).isEqualTo(Value.ofInt(10));
            assertThat(k1.query(e.get(), twin.get())).as("structurally equal but not the same").isEqualTo(Value.NONE);
            Handle e2 = s.handle(k2.make(key.get(), twin.get(), Value.ofInt(20)));
            assertThat(k2.query(e2.get(), key.get(), twin.get())).isEqualTo(Value.ofInt(20));
            assertThat(k2.query(e2.get(), twin.get(), key.get())).isEqualTo(Value.NONE);
            Handle en = s.handle(kn.make(new long[] {key.get(), twin.get(), key.get()}, Value.ofInt(30)));
            heap.gc().minor();
            assertThat(kn.query(en.get(), new long[] {key.get(), twin.get(), key.get()})).isEqualTo(Value.ofInt(30));
            assertThat(kn.query(en.get(), new long[] {key.get(), twin.get()})).as("length differs").isEqualTo(Value.NONE);
            kn.unsetKey(en.get(), 1);
            assertThat(kn.query(en.get(), new long[] {key.get(), twin.get(), key.get()})).as("a key is empty").isEqualTo(Value.NONE);
        }
    }

    @Test
    void getCopyReturnsAShallowCopyAndBlitCopiesSlotsWithoutResurrecting() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Weak weak = heap.weak();
            Handle v = s.handle(heap.alloc(0, Value.ofInt(1), Value.ofInt(2)));
            Handle w = s.handle(weak.create(6));
            weak.set(w.get(), 0, v.get());
            long copy = weak.getCopy(w.get(), 0);
            assertThat(copy).isNotEqualTo(v.get());
            assertThat(heap.field(copy, 1)).isEqualTo(Value.ofInt(2));
            weak.set(w.get(), 1, heap.allocString("gone"));
            weak.set(w.get(), 2, Value.ofInt(3));
            // Overlapping blit, forwards and backwards.
            weak.blit(w.get(), 0, w.get(), 1, 3);
            assertThat(weak.get(w.get(), 1)).isEqualTo(v.get());
            assertThat(weak.get(w.get(), 3)).isEqualTo(Value.ofInt(3));
            weak.blit(w.get(), 1, w.get(), 0, 3);
            assertThat(weak.get(w.get(), 0)).isEqualTo(v.get());
            assertThat(weak.getCopy(w.get(), 2)).isEqualTo(Value.ofInt(3));
            // Blitting a slot does not make its value strong: the string stays collectable.
            Handle w2 = s.handle(weak.create(2));
            weak.set(w.get(), 4, heap.allocString("weak"));
            weak.blit(w.get(), 4, w2.get(), 0, 1);
            heap.gc().fullMajor();
            assertThat(weak.check(w2.get(), 0)).isFalse();
            assertThat(weak.check(w.get(), 4)).isFalse();
            // K1/K2 blits.
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle a = s.handle(k1.make(v.get(), Value.ofInt(7)));
            Handle b = s.handle(k1.create());
            k1.blitKey(a.get(), b.get());
            k1.blitData(a.get(), b.get());
            assertThat(k1.query(b.get(), v.get())).isEqualTo(Value.ofInt(7));
            EphemeronK2 k2 = heap.ephemerons().k2();
            Handle c = s.handle(k2.make(v.get(), Value.ofInt(8), Value.ofInt(9)));
            Handle d = s.handle(k2.create());
            k2.blitKey12(c.get(), d.get());
            assertThat(k2.getKey1(d.get())).isEqualTo(v.get());
            assertThat(k2.getKey2(d.get())).isEqualTo(Value.ofInt(8));
            assertThat(k2.getData(d.get())).isEqualTo(Value.NONE);
            assertThat(weak.length(w.get())).isEqualTo(6);
            weak.fill(w.get(), 1, 5, Value.ofInt(0));
            assertThat(weak.get(w.get(), 5)).isEqualTo(Value.ofInt(0));
            assertThat(weak.get(w.get(), 0)).isEqualTo(v.get());
        }
    }

    @Test
    void argumentsAreCheckedAsObjEphemeronAndWeakDo() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Ephemerons eph = heap.ephemerons();
            Weak weak = heap.weak();
            assertThatThrownBy(() -> eph.create(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Obj.Ephemeron.create");
            assertThatThrownBy(() -> weak.create(-1)).hasMessageContaining("Weak.create");
            Handle e = s.handle(eph.create(2));
            assertThatThrownBy(() -> eph.getKey(e.get(), 2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("Obj.Ephemeron.get_key");
            assertThatThrownBy(() -> eph.setKey(e.get(), -1, Value.ofInt(1))).hasMessageContaining("Obj.Ephemeron.set_key");
            assertThatThrownBy(() -> eph.blitKey(e.get(), 1, e.get(), 0, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("Obj.Ephemeron.blit_key");
            eph.blitKey(e.get(), 2, e.get(), 2, 0); // o1 = length - l is allowed
            assertThatThrownBy(() -> eph.blitKey(e.get(), 0, e.get(), 0, -1)).hasMessageContaining("blit_key");
            Handle w = s.handle(weak.create(3));
            assertThatThrownBy(() -> weak.set(w.get(), 3, Value.ofInt(1))).hasMessageContaining("Weak.set");
            assertThatThrownBy(() -> weak.get(w.get(), -1)).hasMessageContaining("Weak.get");
            assertThatThrownBy(() -> weak.getCopy(w.get(), 3)).hasMessageContaining("Weak.get_copy");
            assertThatThrownBy(() -> weak.check(w.get(), 3)).hasMessageContaining("Weak.check");
            assertThatThrownBy(() -> weak.fill(w.get(), 2, 2, Value.NONE)).hasMessageContaining("Weak.fill");
            assertThatThrownBy(() -> weak.blit(w.get(), 0, w.get(), 1, 3)).hasMessageContaining("Weak.blit");
            Handle notEph = s.handle(block(heap, 1));
            assertThatThrownBy(() -> weak.get(notEph.get(), 0)).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("Weak.get").hasMessageContaining("ephemeron");
            assertThatThrownBy(() -> heap.ephemerons().k1().getKey(Value.ofInt(3))).isInstanceOf(NotABlockException.class);
            assertThatThrownBy(() -> heap.ephemerons().k1().getKey(e.get())).hasMessageContaining("Ephemeron.K1.get_key")
                    .hasMessageContaining("1 key");
            heap.verify();
            heap.gc().fullMajor();
        }
    }
}
