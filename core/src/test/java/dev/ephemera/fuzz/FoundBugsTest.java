package dev.ephemera.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.EphemeronK1;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.TestHeaps;
import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;

/**
 * Heap bugs the differential fuzzer (and the bad-input suite) found, each retold as the
 * smallest program that shows it; all fixed on main, these tests keep them fixed. While a bug
 * is open its test is {@code @Disabled("bug: ...")}, and a shim in the fuzzer works around it
 * so that the fuzzer can go on looking for others.
 */
class FoundBugsTest {

    /**
     * A major collection compacts the finaliser tables (selected rows leave) but leaves
     * {@code FinaliserTable.youngStart} where it was, past the new end of the table. The next
     * minor collection then selects finalise-last rows from beyond the end
     * ({@code Arrays.fill} throws), and rows registered after the major below the stale
     * {@code youngStart} are taken for old: their young values are neither promoted nor
     * updated, leaving a stale pointer in the table.
     * Fuzzer seed 6268071778159437579 (SMALL_MAJOR_HEAP). Fixed on main in the meantime
     * ({@code youngStart = Math.min(youngStart, kept)}); these tests keep it fixed.
     */
    @Test
    void finaliserTableYoungStartIsNotResetWhenAMajorCollectionCompactsTheTable_lastKind() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle x = s.handle(heap.allocBlock(0, 1));
            heap.gc().finaliseLast(() -> { }, x.get());
            heap.gc().minor();      // the row is old now
            x.set(Value.NONE);
            heap.gc().major();      // x is dead: its row is selected and the table is empty
            heap.gc().minor();      // the minor collection looks at rows from the stale youngStart
            heap.verify();
        }
    }

    @Test
    void finaliserTableYoungStartIsNotResetWhenAMajorCollectionCompactsTheTable_firstKind() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            int[] calls = {0};
            Handle x = s.handle(heap.allocBlock(0, 1));
            heap.gc().finalise(v -> calls[0]++, x.get());
            heap.gc().minor();
            x.set(Value.NONE);
            heap.gc().major();      // x's row selected; the table is empty, youngStart still 1
            assertThat(calls[0]).isEqualTo(1);
            Handle y = s.handle(heap.allocBlock(0, 1));
            heap.gc().finalise(v -> calls[0]++, y.get());   // row 0, young: below the stale youngStart
            heap.gc().minor();      // y is promoted through the handle, but its row is not updated
            y.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(calls[0]).isEqualTo(2);
        }
    }

    /**
     * A guardian is weak for its registrations (an unreachable guardian's registrations are
     * dropped), but the minor collection forwards the function of every young finaliser-table
     * row, guardian rows included ({@code FinaliserTable.minorRoots} ignores
     * {@code Kind.functionIsRoot}): a young guardian that is garbage survives the minor
     * collection, and a weak reference to it is not cleared, as long as it has a registration
     * made since the last minor collection. Fuzzer seed 6268071778159437579.
     */
    @Test
    void aYoungGuardianIsKeptAliveByItsOwnRegistrationsAtAMinorCollection() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle object = s.handle(heap.allocBlock(0, 1));
            long guardian = heap.guardians().make();
            heap.guardians().register(guardian, object.get());
            GlobalRoot weak = heap.newWeakRoot(guardian);
            heap.gc().minor();
            assertThat(weak.get()).as("a weak root to an unreachable young guardian").isEqualTo(Value.NONE);
        }
    }

    /**
     * {@code Heap.allocForeign} reserves its foreign-table slot before allocating the box; when
     * that allocation collects, the verifier (checked mode) walks the foreign table, meets the
     * reserved slot whose box is still 0, and reads the header at address -1
     * ({@code ArrayIndexOutOfBoundsException} in {@code Verifier.verify}). Without the verifier
     * nothing goes wrong, but every test runs with it. Fuzzer seed -607179508745592306 (TINY_NURSERY).
     */
    @Test
    void aCollectionTriggeredByAllocForeignCrashesTheVerifier() {
        try (Heap heap = TestHeaps.tiny()) {
            for (int i = 0; i < 1000; i++) {
                heap.allocForeign("box " + i);     // the nursery fills up within a hundred boxes
            }
            assertThat(heap.gc().stat().minorCollections).isPositive();
        }
    }

    /**
     * {@code Gc.addListener(null)} is accepted, and from then on every collection throws a
     * {@code NullPointerException} from {@code Gc}'s observer: one bad argument leaves the heap
     * unable to collect. (Found by the bad-input suite.)
     */
    @Test
    void aNullGcListenerIsAcceptedAndBreaksEveryLaterCollection() {
        try (Heap heap = TestHeaps.tiny()) {
            try {
                heap.gc().addListener(null);
            } catch (IllegalArgumentException refused) {
                // the fix: refuse it
            }
            heap.gc().minor();
            heap.verify();
        }
    }

    /**
     * With {@code runFinalisersOnAllocation}, {@code Guardians.deliver} takes a hand-back off the
     * collector's queue and then allocates the queue cell for it; that allocation is a safe
     * point, and if a finaliser run there throws, the hand-back is lost: the guardian never
     * returns the object, although it was registered once. (The cell allocation must happen
     * before the entry leaves the queue, or delivery must not be a safe point.)
     */
    @Test
    void aFinaliserThrowingWhileAGuardianIsDeliveredLosesTheHandBack() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .runFinalisersOnAllocation(true).verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Handle guardian = s.handle(heap.guardians().make());
            heap.guardians().register(guardian.get(), heap.alloc(0, Value.ofInt(1)));
            heap.gc().finalise(v -> {
                throw new IllegalStateException("boom");
            }, heap.alloc(0, Value.ofInt(2)));
            heap.gc().minor();                       // both values promoted
            queueByAllocation(heap);
            for (int i = 0; i < 85; i++) {
                heap.alloc(0, Value.NONE, Value.NONE);   // the nursery is full: the next allocation is slow
            }
            assertThatThrownBy(() -> heap.guardians().poll(guardian.get())).hasMessage("boom");
            assertThat(heap.guardians().poll(guardian.get())).as("the object registered once, handed back")
                    .isNotEqualTo(Value.NONE);
        }
    }

    /**
     * The same with {@code Heap.allocForeign}: it reserves a foreign-table slot, then allocates;
     * if a finaliser run by that allocation throws, the slot stays reserved with no box for ever:
     * in checked mode every later collection's verifier crashes (as in the bug above), otherwise
     * the Java object is never released.
     */
    @Test
    void aFinaliserThrowingInAllocForeignLeavesAnUnboundForeignSlot() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .runFinalisersOnAllocation(true).verifyEveryCollection(true))) {
            heap.gc().finalise(v -> {
                throw new IllegalStateException("boom");
            }, heap.alloc(0, Value.ofInt(2)));
            heap.gc().minor();
            queueByAllocation(heap);
            assertThatThrownBy(() -> heap.allocForeign("x")).hasMessage("boom");
            heap.gc().minor();
            heap.verify();
        }
    }

    /**
     * Found by the incremental fuzzer (seed -508536142249383909): {@code get_data_copy} of data
     * that is never copied (an ephemeron, like a custom block, is returned as it is) handed the
     * mutator the original while a cycle marked, without keeping it: the value, reachable only
     * through the weak slot, was never marked, and was freed under the strong root that now held
     * it. The original handed out must be kept, as {@code get} keeps what it returns.
     */
    @Test
    void getDataCopyOfAnUncopiedValueWhileMarkingKeepsTheOriginal() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .sliceWords(16).verifyEveryCollection(true)); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle inner = s.handle(k1.create());
            Handle outer = s.handle(heap.ephemerons().kn().make(new long[] {Value.NONE, inner.get()}, inner.get()));
            inner.set(Value.NONE);                     // the inner ephemeron: only in the outer's slots
            heap.gc().majorSlice(0);                   // a cycle starts; the outer is reached, its key unmarked
            Handle held = s.handle(heap.ephemerons().kn().getDataCopy(outer.get())); // not copied: the original
            outer.set(Value.NONE);
            heap.gc().major();                         // the verifier: no root points to a freed block
            assertThat(heap.ephemerons().isEphemeron(held.get())).isTrue();
            assertThat(heap.ephemerons().length(held.get())).isEqualTo(1);
        }
    }

    /**
     * Found by the incremental fuzzer (seed -9072163894359758518): {@code get_data_copy} held the
     * value it copies in a handle while it allocated the copy; for a value reachable only through
     * the weak slot, while a cycle marked, that handle was a root the snapshot did not cover, and
     * had the allocation's slice ended marking, the value would have been freed under it and the
     * copy made from a free cell. The copy is now allocated first and the slot read again
     * (OCaml's {@code ephe_get_field_copy}).
     */
    @Test
    void getDataCopyWhileMarkingDoesNotHoldTheWeakValueAcrossItsAllocation() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .sliceWords(16).verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Handle big = s.handle(heap.allocBlock(0, 300));         // large: born old, copied old
            heap.setField(big.get(), 0, Value.ofInt(42));
            Handle e = s.handle(Value.NONE);                       // a root before its key: marked first, waits
            Handle key = s.handle(heap.alloc(0, Value.ofInt(1)));
            e.set(heap.ephemerons().k2().make(key.get(), Value.NONE, big.get()));
            heap.gc().minor();
            big.set(Value.NONE);                                    // the block: only the ephemeron's data
            heap.gc().majorSlice(0);                                // a cycle marks
            Handle copy = s.handle(heap.ephemerons().k2().getDataCopy(e.get())); // a minor and a slice inside
            heap.gc().fullMajor();
            assertThat(heap.field(copy.get(), 0)).isEqualTo(Value.ofInt(42));
            assertThat(heap.size(copy.get())).isEqualTo(300);
            assertThat(heap.ephemerons().k2().checkData(e.get())).as("the key lives: so does the data").isTrue();
        }
    }

    /**
     * Allocates large blocks until a major cycle driven by the allocations has ended and queued
     * the finaliser: each allocation is a safe point only at its start, so the finaliser stays
     * queued for the test's next allocation. (Stop the world, one large block was enough; an
     * incremental cycle takes a few slices.)
     */
    private static void queueByAllocation(Heap heap) {
        for (int i = 0; i < 10_000 && heap.gc().pendingFinalisers() == 0; i++) {
            heap.allocBlock(0, 5000);
        }
        assertThat(heap.gc().pendingFinalisers()).as("a cycle driven by allocation queued the finaliser").isPositive();
    }
}
