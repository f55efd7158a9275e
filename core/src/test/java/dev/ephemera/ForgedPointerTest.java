package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Checked mode refuses pointers that are not the start of a live block
 * before anything is read or written through them. The audit's cases: a pointer into the middle
 * of a block, or to a fake header written inside a string, passed every check, and
 * {@code identityHash} or {@code setField} through it overwrote other live blocks; a pointer one
 * word past a chunk's end passed the stale check (off by one) and the access threw a raw
 * {@code ArrayIndexOutOfBoundsException}; {@code shallowCopy} of a fake header did too, and once
 * such a value was stored, every later collection failed verification.
 */
class ForgedPointerTest {
    /** A pointer whose field 0 is at {@code address}. */
    private static long at(long address) {
        return Value.ofAddress(address);
    }

    /** Every accessor, given {@code p}, must refuse it with a ForgedPointerException naming itself. */
    private static void refusedEverywhere(Heap heap, long p) {
        assertRefused("Heap.identityHash", () -> heap.identityHash(p));
        assertRefused("Heap.setField", () -> heap.setField(p, 0, Value.ofInt(99)));
        assertRefused("Heap.field", () -> heap.field(p, 0));
        assertRefused("Heap.tag", () -> heap.tag(p));
        assertRefused("Heap.size", () -> heap.size(p));
        assertRefused("Heap.shallowCopy", () -> heap.shallowCopy(p));
        assertRefused("Heap.setRawField", () -> heap.setRawField(p, 0, 5));
        assertRefused("Heap.alloc", () -> heap.alloc(0, p));
        assertRefused("Heap.newGlobalRoot", () -> heap.newGlobalRoot(p));
        assertRefused("Gc.finalise", () -> heap.gc().finalise(v -> { }, p));
        assertRefused("Ephemeron.K1.make", () -> heap.ephemerons().k1().make(p, Value.NONE));
        assertRefused("Obj.Ephemeron.get_data", () -> heap.ephemerons().getData(p));
        try (Scope s = heap.openScope()) {
            assertRefused("Scope.handle", () -> s.handle(p));
        }
    }

    private static void assertRefused(String op, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ForgedPointerException.class).hasMessageStartingWith(op + ": invalid pointer");
    }

    /** A string of {@code words} words whose word {@code k} looks like the header of a 3-field block. */
    private static long stringWithFakeHeader(Heap heap, int words, int k, long fakeHeader) {
        long s = heap.allocBytes(words * 8 - 1);
        heap.setRawField(s, k, fakeHeader);
        return s;
    }

    @Test
    void interiorPointersIntoYoungOldAndLargeBlocksAreRefused() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle young = s.handle(heap.alloc(0, Value.ofInt(1), Value.ofInt(2), Value.ofInt(3)));
            Handle old = s.handle(heap.alloc(0, Value.ofInt(4), Value.ofInt(5), Value.ofInt(6)));
            Handle large = s.handle(heap.allocArray(3000, Value.ofInt(7)));
            heap.gc().minor();
            young.set(heap.alloc(0, Value.ofInt(1), Value.ofInt(2), Value.ofInt(3)));
            for (Handle h : new Handle[] {young, old, large}) {
                long v = h.get();
                int before = heap.identityHash(v);
                for (int i = 1; i <= 3; i++) {
                    refusedEverywhere(heap, at(Value.addressOf(v) + i)); // field i as if it were field 0
                }
                refusedEverywhere(heap, at(Value.addressOf(v) - 1)); // the header as if it were field 0
                assertThat(heap.identityHash(h.get())).isEqualTo(before);
            }
            assertThat(heap.field(young.get(), 0)).isEqualTo(Value.ofInt(1));
            assertThat(heap.field(old.get(), 2)).isEqualTo(Value.ofInt(6));
            assertThat(heap.field(large.get(), 2999)).isEqualTo(Value.ofInt(7));
            heap.verify();
        }
    }

    @Test
    void fakeHeadersWrittenInsideStringsAreRefused() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            long[] fakes = {Header.make(3, 0), Header.make(1, Tag.STRING), Header.make(Header.MAX_SIZE_WORDS, 0),
                Header.make(2, Tag.EPHEMERON), Header.make(0, 0)};
            for (long fake : fakes) {
                Handle young = s.handle(stringWithFakeHeader(heap, 8, 2, fake));
                Handle old = s.handle(stringWithFakeHeader(heap, 8, 2, fake));
                Handle large = s.handle(stringWithFakeHeader(heap, 2000, 1500, fake));
                heap.gc().minor();
                young.set(stringWithFakeHeader(heap, 8, 2, fake));
                long[] fields = {Value.addressOf(young.get()) + 3, Value.addressOf(old.get()) + 3,
                    Value.addressOf(large.get()) + 1501};
                for (long f : fields) {
                    refusedEverywhere(heap, at(f));
                }
                assertThat(heap.rawField(young.get(), 2)).isEqualTo(fake);
                assertThat(heap.rawField(large.get(), 1500)).isEqualTo(fake);
            }
            heap.verify();
        }
    }

    @Test
    void aPointerOneWordPastAChunksEndIsRefusedNotAnArrayIndexError() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            int size = 1500;                        // a large block: a chunk of its own, size + 1 words
            Handle large = s.handle(heap.allocArray(size, Value.ofInt(3)));
            long fieldZero = Value.addressOf(large.get());   // offset 1 of its chunk
            long end = fieldZero + size;                     // offset size + 1 = the chunk's length
            for (long a : new long[] {end, end + 1, end - 1, fieldZero - 1, fieldZero - 2}) {
                refusedEverywhere(heap, at(a));
            }
            // and the nursery's chunk: its last word, and one past it
            long young = heap.alloc(0, Value.ofInt(1));
            long nurseryEnd = (Value.addressOf(young) & ~0xFFFF_FFFFL) + heap.gc().minorHeapWords();
            refusedOrStale(heap, at(nurseryEnd));
            refusedOrStale(heap, at(nurseryEnd - 1));
            assertThat(heap.field(large.get(), size - 1)).isEqualTo(Value.ofInt(3));
            heap.verify();
        }
    }

    private static void refusedOrStale(Heap heap, long p) {
        for (LongConsumer op : new LongConsumer[] {heap::identityHash, v -> heap.setField(v, 0, 1), heap::shallowCopy}) {
            assertThatThrownBy(() -> op.accept(p)).isInstanceOf(StalePointerException.class);
        }
    }

    @Test
    void aForgedPointerCannotBeStoredSoCollectionsNeverMeetIt() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle holder = s.handle(heap.allocBlock(0, 4));
            Handle str = s.handle(stringWithFakeHeader(heap, 8, 2, Header.make(Header.MAX_SIZE_WORDS, 0)));
            long fake = at(Value.addressOf(str.get()) + 3);
            assertRefused("Heap.setField", () -> heap.setField(holder.get(), 0, fake));
            assertRefused("Heap.allocArray", () -> heap.allocArray(3, fake));
            assertRefused("Weak.set", () -> heap.weak().set(heap.weak().create(1), 0, fake));
            try (RootArea area = heap.newRootArea(2, Rank.STRONG)) {
                assertRefused("RootArea.push", () -> area.push(fake));
            }
            assertRefused("Handle.set", () -> holder.set(fake));
            heap.gc().minor();                       // the old code threw ArrayIndexOutOfBoundsException here
            heap.gc().fullMajor();
            assertThat(heap.size(holder.get())).isEqualTo(4);
            assertThat(heap.field(holder.get(), 0)).isEqualTo(Value.NONE);
        }
    }

    @Test
    void aBlockMarkingFoundDeadIsRefusedBeforeTheLazySweepFreesIt() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).incremental(true)
                .verifyEveryCollection(true));
             Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < 3000; i++) {
                list.set(heap.alloc(0, Value.ofInt(i), list.get()));
            }
            heap.gc().minor();
            long small = list.get();                       // old now, and never moved again
            Handle large = s.handle(heap.allocArray(2000, Value.ofInt(1)));
            long big = large.get();
            heap.gc().major(); // no cycle in progress: the next starts with both unreachable (one
                               // running already would keep them, as floating garbage)
            assertThat(heap.gc().majorPhase()).isNull();
            list.set(Value.NONE);
            large.set(Value.NONE);
            int refused = 0;
            for (int slice = 0; slice < 10_000 && refused < 2; slice++) {
                heap.gc().majorSlice(1);
                dev.ephemera.event.Phase phase = heap.gc().majorPhase();
                if (phase == dev.ephemera.event.Phase.CLEAN || phase == dev.ephemera.event.Phase.SWEEP) {
                    // marking is over: both are dead, whether or not the sweep has reached them yet
                    for (long dead : new long[] {small, big}) {
                        assertThatThrownBy(() -> heap.setField(dead, 0, Value.ofInt(5)))
                                .isInstanceOf(StalePointerException.class);
                        assertThatThrownBy(() -> heap.alloc(0, dead)).isInstanceOf(StalePointerException.class);
                    }
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).isZero();
        }
    }

    @Test
    void aCellOfTheMajorHeapThatWasNeverAllocatedIsRefused() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            // old 5-field blocks: promoted into a fresh page of their size class, one after the other
            Handle first = s.handle(heap.allocBlock(0, 5));
            heap.gc().minor();
            long cell = Value.addressOf(first.get()) - 1;
            long next = at(cell + 6 + 1);            // the next cell of the page: never allocated
            assertThatThrownBy(() -> heap.setField(next, 0, Value.ofInt(1)))
                    .isInstanceOf(StalePointerException.class).hasMessageStartingWith("Heap.setField: stale pointer");
            long misaligned = at(cell + 3 + 1);      // inside the page, between cells
            refusedEverywhere(heap, misaligned);
            heap.verify();
        }
    }
}
