package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The incremental major cycle, driven slice by slice through {@link Gc#majorSlice} with small
 * fixed slices so that the mutator runs in the middle of each phase: the snapshot's barriers,
 * the colours of new blocks, what ephemeron accessors answer while marking and while
 * cleaning, finalisers at the right phases, lazy sweeping. The verifier runs after every slice
 * and checks the tricolour invariant; each test also checks what the client sees.
 */
class IncrementalCycleTest {
    /** A heap whose every slice does {@code sliceWords} units of work. */
    private static Heap heap(long sliceWords) {
        return Heap.create(HeapConfig.defaults().minorHeapWords(4096).initialHeapWords(1 << 16)
                .sliceWords(sliceWords).verifyEveryCollection(true));
    }

    /** Runs slices until the cycle's next phase is {@code phase} (a cycle is started if none runs). */
    private static int advanceTo(Heap heap, Phase phase) {
        for (int i = 0; i < 100_000; i++) {
            if (heap.gc().majorPhase() == phase) {
                return i;
            }
            heap.gc().majorSlice(0);
        }
        throw new AssertionError("the cycle never reached " + phase + " (at " + heap.gc().majorPhase() + ")");
    }

    /**
     * Starts a cycle after a test's set-up and runs it to {@code phase}. A cycle the set-up's
     * allocations started is finished first: its snapshot predates what the test has dropped,
     * which would float in it.
     */
    private static int beginCycleAt(Heap heap, Phase phase) {
        if (heap.gc().majorPhase() != null) {
            finishBySlices(heap);
        }
        return advanceTo(heap, phase);
    }

    /** Runs slices until no cycle runs. */
    private static int finishBySlices(Heap heap) {
        for (int i = 0; i < 1_000_000; i++) {
            heap.gc().majorSlice(0);
            if (heap.gc().majorPhase() == null) {
                return i + 1;
            }
        }
        throw new AssertionError("the cycle never ended");
    }

    /** A list of {@code n} cells holding 0..n-1, head first. */
    private static long list(Heap heap, Scope s, int n) {
        Handle l = s.handle(Value.NONE);
        for (int i = n - 1; i >= 0; i--) {
            l.set(heap.alloc(0, Value.ofInt(i), l.get()));
        }
        return l.get();
    }

    private static int length(Heap heap, long l) {
        int n = 0;
        for (long c = l; c != Value.NONE; c = heap.field(c, 1)) {
            assertThat(Value.intOf(heap.field(c, 0))).isEqualTo(n);
            n++;
        }
        return n;
    }

    @Test
    void aCycleRunsInSlicesThroughEveryPhaseWhileTheMutatorRuns() {
        try (Heap heap = heap(64); Scope s = heap.openScope()) {
            Handle l = s.handle(list(heap, s, 5000));
            heap.gc().minor();
            Set<Phase> seen = EnumSet.noneOf(Phase.class);
            long slicesBefore = heap.gc().stat().majorSlices;
            long majorsBefore = heap.gc().stat().majorCollections;
            heap.gc().majorSlice(0);
            int mutations = 0;
            while (heap.gc().majorPhase() != null) {
                seen.add(heap.gc().majorPhase());
                // the mutator works between slices: allocates, and rebuilds a short list
                Handle junk = s.handle(list(heap, s, 10));
                assertThat(length(heap, junk.get())).isEqualTo(10);
                mutations++;
                heap.gc().majorSlice(0);
            }
            assertThat(seen).contains(Phase.MARK, Phase.SWEEP);
            assertThat(mutations).as("mutator steps inside one cycle").isGreaterThan(10);
            assertThat(heap.gc().stat().majorCollections).isEqualTo(majorsBefore + 1);
            assertThat(heap.gc().stat().majorSlices - slicesBefore).isGreaterThan(10);
            assertThat(length(heap, l.get())).isEqualTo(5000);
        }
    }

    /**
     * A weak root area's reads keep what they hand out, while marking, as {@code Weak.get}
     * does — {@code pop} as well as {@code get}: a block held only by a weak slot, popped during
     * the mark and stored in a strong root, must survive the cycle (the verifier would find the
     * strong root pointing to a free cell otherwise).
     */
    @Test
    void aValuePoppedFromAWeakAreaWhileMarkingSurvivesTheCycle() {
        try (Heap heap = heap(8); Scope s = heap.openScope();
                RootArea strong = heap.newRootArea(1, Rank.STRONG);
                RootArea weak = heap.newRootArea(2, Rank.WEAK)) {
            strong.setUsed(1);
            s.handle(list(heap, s, 4000)); // a cycle long enough to act in
            strong.set(0, heap.alloc(0, Value.ofInt(42), heap.alloc(0, Value.ofInt(43))));
            weak.push(heap.alloc(0, Value.ofInt(44))); // popped last: dies, and the slot goes with it
            heap.gc().fullMajor(); // old blocks
            weak.push(strong.get(0));
            strong.set(0, Value.NONE); // only the weak slot holds it now
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0);
            assertThat(heap.gc().majorPhase()).isEqualTo(Phase.MARK);
            strong.set(0, weak.pop()); // the mutator has it: the snapshot must keep it
            finishBySlices(heap);
            heap.gc().fullMajor();
            long v = strong.get(0);
            assertThat(Value.intOf(heap.field(v, 0))).isEqualTo(42);
            assertThat(Value.intOf(heap.field(heap.field(v, 1), 0))).isEqualTo(43);
            assertThat(weak.used()).isEqualTo(1);
            assertThat(weak.pop()).as("a weak slot whose value died").isEqualTo(Value.NONE);
        }
    }

    /**
     * The deletion barrier: a list's tail is moved, while marking, from a place the marker has
     * not scanned yet to one it has (a young block, promoted black); without darkening what the
     * cut overwrote, the tail would never be marked and would be freed under the new owner.
     */
    @Test
    void unlinkingWhileMarkingDoesNotLoseWhatTheSnapshotHeld() {
        try (Heap heap = heap(32); Scope s = heap.openScope()) {
            Handle l = s.handle(list(heap, s, 4000));
            heap.gc().minor();
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0); // the marker has started down the list, far from its end
            long cell = l.get();
            for (int i = 0; i < 3000; i++) {
                cell = heap.field(cell, 1);
            }
            Handle tail = s.handle(cell);
            long before = l.get();
            for (int i = 0; i < 2999; i++) {
                before = heap.field(before, 1);
            }
            heap.setField(before, 1, Value.NONE); // the cut: the barrier darkens the tail
            Handle holder = s.handle(heap.alloc(0, tail.get(), Value.NONE));
            tail.set(Value.NONE);
            finishBySlices(heap);
            heap.gc().fullMajor();
            assertThat(length(heap, l.get())).isEqualTo(3000);
            long moved = heap.field(holder.get(), 0);
            int n = 0;
            for (long c = moved; c != Value.NONE; c = heap.field(c, 1)) {
                assertThat(Value.intOf(heap.field(c, 0))).isEqualTo(3000 + n);
                n++;
            }
            assertThat(n).isEqualTo(1000);
        }
    }

    @Test
    void anEphemeronCutLooseWhileMarkingKeepsItsDataThroughTheCycle() {
        try (Heap heap = heap(32); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(heap.alloc(0, Value.ofInt(1)));
            Handle e = s.handle(k1.create());
            k1.setKey(e.get(), key.get());
            k1.setData(e.get(), heap.alloc(0, Value.ofInt(2)));
            Handle weak = s.handle(heap.weak().create(1));
            heap.weak().set(weak.get(), 0, k1.getData(e.get()));
            Handle l = s.handle(list(heap, s, 4000));
            long last = l.get();
            for (int i = 0; i < 3999; i++) {
                last = heap.field(last, 1);
            }
            heap.setField(last, 0, e.get()); // the list's last cell is the only way to the ephemeron
            e.set(Value.NONE);
            heap.gc().minor();
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0); // the marker has started down the list, far from its end
            // The cut: the deletion barrier darkens the ephemeron, whose key the roots marked, so
            // the marker must resolve it — mark its data — when it takes it from the barrier.
            last = l.get(); // found again: a collection may have moved the cell since
            for (int i = 0; i < 3999; i++) {
                last = heap.field(last, 1);
            }
            heap.setField(last, 0, Value.ofInt(3999));
            finishBySlices(heap);
            assertThat(heap.weak().check(weak.get(), 0))
                    .as("the data of an ephemeron of the snapshot whose key lives outlives the cycle")
                    .isTrue();
            heap.gc().fullMajor();
            assertThat(heap.weak().check(weak.get(), 0)).as("the next full collection frees it").isFalse();
            assertThat(length(heap, l.get())).isEqualTo(4000);
        }
    }

    @Test
    void blocksAllocatedOrPromotedWhileMarkingSurviveTheCycle() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            Handle holder = s.handle(heap.allocArray(64, Value.NONE));
            Handle l = s.handle(list(heap, s, 3000));
            heap.gc().minor();
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0); // the holder is scanned (it was marked first)
            for (int i = 0; i < 64; i++) {
                heap.setField(holder.get(), i, heap.alloc(0, Value.ofInt(i), heap.allocString("young " + i)));
            }
            heap.gc().minor(); // promoted while the cycle marks
            finishBySlices(heap);
            for (int i = 0; i < 64; i++) {
                long b = heap.field(holder.get(), i);
                assertThat(Value.intOf(heap.field(b, 0))).isEqualTo(i);
                assertThat(heap.stringValue(heap.field(b, 1))).isEqualTo("young " + i);
            }
            assertThat(length(heap, l.get())).isEqualTo(3000);
        }
    }

    @Test
    void getKeyWhileMarkingKeepsTheKeyForTheRestOfTheCycle() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(heap.alloc(0, Value.ofInt(1)));
            Handle e = s.handle(k1.make(key.get(), Value.ofInt(7)));
            Handle l = s.handle(list(heap, s, 2000));
            heap.gc().minor(); // the key is old now; only the ephemeron holds it from here on
            key.set(Value.NONE);
            beginCycleAt(heap, Phase.MARK);
            assertThat(k1.getKey(e.get())).isNotEqualTo(Value.NONE); // read, not kept anywhere
            heap.gc().major(); // finishes the cycle: the key was darkened, so it floats
            assertThat(k1.checkKey(e.get())).isTrue();
            heap.gc().fullMajor();
            assertThat(k1.checkKey(e.get())).isFalse();
            assertThat(k1.getData(e.get())).isEqualTo(Value.NONE);
            assertThat(length(heap, l.get())).isEqualTo(2000);
        }
    }

    @Test
    void getKeyCopyAndCheckWhileMarkingDoNotKeepTheKey() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle key = s.handle(heap.alloc(0, heap.allocString("inner"), Value.ofInt(2)));
            Handle e = s.handle(k1.make(key.get(), Value.ofInt(7)));
            Handle l = s.handle(list(heap, s, 2000));
            heap.gc().minor();
            key.set(Value.NONE);
            beginCycleAt(heap, Phase.MARK);
            assertThat(k1.checkKey(e.get())).isTrue();
            Handle copy = s.handle(k1.getKeyCopy(e.get()));
            heap.gc().major();
            assertThat(k1.checkKey(e.get())).as("the key died in this cycle").isFalse();
            assertThat(heap.stringValue(heap.field(copy.get(), 0))).as("the copy's fields were kept").isEqualTo("inner");
            assertThat(length(heap, l.get())).isEqualTo(2000);
        }
    }

    /**
     * A guardian that nothing strong reaches, and the block registered with it: both unreached
     * when the cycle's guardian selection ends. A weak root still holds the guardian, and reading
     * it before marking ends revives it (a weak read darkens what it returns while marking). A
     * live guardian gets its unreachable blocks: the block is handed over at the end of marking,
     * in this cycle — where the row used to be kept, with a block neither handed over nor
     * marked, which the sweep freed under it (found by the incremental fuzzer, seed
     * 4210360116426145704; the verifier after the cycle reported it).
     */
    @Test
    void aGuardianRevivedAfterItsSelectionEndedGetsItsBlockInThatCycle() {
        try (Heap heap = heap(1); Scope s = heap.openScope();
             RootArea weak = heap.newRootArea(1, Rank.WEAK)) {
            Guardians guardians = heap.guardians();
            weak.setUsed(1);
            List<Long> finalised = new ArrayList<>();
            try (Scope inner = heap.openScope()) {
                Handle g = inner.handle(guardians.make());
                guardians.register(g.get(), heap.alloc(0, heap.allocString("guarded")));
                weak.set(0, g.get());
                // a dead list with a finalise-first function: marking what its resurrection
                // reaches is work in the selection's phase, so a slice can end right after it
                heap.gc().finalise(v -> finalised.add(v.get()), list(heap, inner, 200));
                heap.gc().minor(); // all old, the guardian promoted while held
            }
            if (heap.gc().majorPhase() != null) {
                finishBySlices(heap);
            }
            int slices = 0;
            while (heap.gc().majorPhase() != Phase.FINALISE_LAST) {
                assertThat(slices++).as("the cycle stops before marking ends (at %s)", heap.gc().majorPhase())
                        .isLessThan(100_000);
                heap.gc().majorSlice(0);
            }
            Handle revived = s.handle(weak.get(0));
            assertThat(revived.get()).as("the weak root still holds the guardian while marking").isNotEqualTo(Value.NONE);
            heap.gc().major();      // the verifier runs after every slice
            assertThat(finalised).hasSize(1);
            long back = guardians.poll(revived.get());
            assertThat(back).as("handed over in the cycle that revived the guardian").isNotEqualTo(Value.NONE);
            assertThat(heap.stringValue(heap.field(back, 0))).isEqualTo("guarded");
            assertThat(guardians.poll(revived.get())).as("once per registration").isEqualTo(Value.NONE);
            heap.gc().fullMajor();
            assertThat(guardians.poll(revived.get())).isEqualTo(Value.NONE);
        }
    }

    /**
     * Roots, in this order: {@code e} (an ephemeron whose key dies), {@code e2} (an ephemeron
     * whose key {@code live} is marked after it, and whose data is a long list), {@code live}.
     * The marker queues both ephemerons, marks {@code live}, then checks them: {@code e} waits
     * for its dead key, {@code e2}'s data — the list — is marked over the following slices.
     * Returns after the first marking slice, with {@code e} waiting and marking far from done.
     */
    private static void ephemeronWaitingWhileMarkingGoesOn(Heap heap, Scope s, Handle e, Handle e2, Handle live) {
        EphemeronK1 k1 = heap.ephemerons().k1();
        try (Scope inner = heap.openScope()) {
            Handle dead = inner.handle(heap.alloc(0, Value.ofInt(1)));
            Handle l = inner.handle(list(heap, inner, 3000));
            e.set(k1.make(dead.get(), heap.allocString("data")));
            e2.set(k1.make(live.get(), l.get()));
            heap.gc().minor();
        }
        beginCycleAt(heap, Phase.MARK); // (a cycle begun while the inner handles were roots is finished first)
        heap.gc().majorSlice(0);
        assertThat(heap.gc().majorPhase()).isEqualTo(Phase.MARK);
    }

    /**
     * An ephemeron reached and waiting for a dead key gets a live key while marking: it must be
     * checked again, or its data is never marked and the clean phase empties it although the
     * ephemeron and all its keys live.
     */
    @Test
    void settingAKeyWhileMarkingReexaminesTheEphemeron() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle e = s.handle(Value.NONE);
            Handle e2 = s.handle(Value.NONE);
            Handle live = s.handle(heap.alloc(0, Value.ofInt(5)));
            ephemeronWaitingWhileMarkingGoesOn(heap, s, e, e2, live);
            k1.setKey(e.get(), live.get());
            finishBySlices(heap);
            heap.gc().fullMajor();
            assertThat(k1.getKey(e.get())).isEqualTo(live.get());
            assertThat(heap.stringValue(k1.getData(e.get()))).isEqualTo("data");
            assertThat(length(heap, k1.getData(e2.get()))).isEqualTo(3000);
        }
    }

    @Test
    void unsettingTheOnlyDeadKeyWhileMarkingKeepsTheData() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle e = s.handle(Value.NONE);
            Handle e2 = s.handle(Value.NONE);
            Handle live = s.handle(heap.alloc(0, Value.ofInt(5)));
            ephemeronWaitingWhileMarkingGoesOn(heap, s, e, e2, live);
            k1.unsetKey(e.get()); // no key left: the ephemeron keeps its data like a ref
            finishBySlices(heap);
            heap.gc().fullMajor();
            assertThat(heap.stringValue(k1.getData(e.get()))).isEqualTo("data");
            assertThat(length(heap, k1.getData(e2.get()))).isEqualTo(3000);
        }
    }

    @Test
    void blittingADeadKeyWhileMarkingClearsTheDestinationToo() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle live = s.handle(heap.alloc(0, Value.ofInt(5)));
            Handle dead = s.handle(heap.alloc(0, Value.ofInt(1)));
            Handle src = s.handle(k1.make(dead.get(), Value.ofInt(3)));
            Handle dst = s.handle(k1.make(live.get(), heap.allocString("dst data")));
            Handle l = s.handle(list(heap, s, 2000));
            heap.gc().minor();
            dead.set(Value.NONE);
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0); // dst resolved on the spot: its key is marked
            k1.blitKey(src.get(), dst.get()); // dst now has the dead key
            finishBySlices(heap);
            assertThat(k1.checkKey(dst.get())).isFalse();
            assertThat(k1.getData(dst.get())).isEqualTo(Value.NONE);
            assertThat(length(heap, l.get())).isEqualTo(2000);
        }
    }

    /**
     * Many ephemerons whose (old) keys and data die, so that the clean phase takes many slices;
     * the keys are kept until a minor collection has promoted them, then dropped.
     */
    private static Handle deadKeyEphemerons(Heap heap, Scope s, int n) {
        Handle arr = s.handle(heap.allocArray(n, Value.NONE));
        Handle keys = s.handle(heap.allocArray(n, Value.NONE));
        for (int i = 0; i < n; i++) {
            long k = heap.alloc(0, Value.ofInt(i));
            heap.setField(keys.get(), i, k);
            long e = heap.ephemerons().k1().make(heap.field(keys.get(), i), heap.alloc(0, Value.ofInt(-i)));
            heap.setField(arr.get(), i, e);
        }
        heap.gc().minor();
        keys.set(Value.NONE);
        return arr;
    }

    @Test
    void whileCleaningEveryAccessorAnswersAsIfAllTheCleaningWereDone() {
        try (Heap heap = heap(8); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle arr = deadKeyEphemerons(heap, s, 400);
            Handle weak = s.handle(heap.weak().create(3));
            heap.weak().set(weak.get(), 0, heap.alloc(0, Value.ofInt(9)));
            heap.gc().minor();
            beginCycleAt(heap, Phase.CLEAN);
            // the walk has not reached most of them: each accessor cleans what it reads
            assertThat(k1.checkKey(heap.field(arr.get(), 399))).isFalse();
            assertThat(k1.getData(heap.field(arr.get(), 398))).isEqualTo(Value.NONE);
            assertThat(k1.checkData(heap.field(arr.get(), 397))).isFalse();
            assertThat(k1.getKey(heap.field(arr.get(), 396))).isEqualTo(Value.NONE);
            assertThat(heap.weak().check(weak.get(), 0)).isFalse();
            k1.blitKey(heap.field(arr.get(), 395), heap.field(arr.get(), 394));
            assertThat(k1.checkKey(heap.field(arr.get(), 394))).isFalse();
            // a data store after the key died: the ephemeron has no key left and keeps it
            k1.setData(heap.field(arr.get(), 393), Value.ofInt(42));
            assertThat(heap.gc().majorPhase()).as("still cleaning").isEqualTo(Phase.CLEAN);
            finishBySlices(heap);
            assertThat(k1.getData(heap.field(arr.get(), 393))).isEqualTo(Value.ofInt(42));
            for (int i = 0; i < 400; i++) {
                assertThat(k1.checkKey(heap.field(arr.get(), i))).isFalse();
            }
        }
    }

    @Test
    void finaliseFirstRunsOnceMarkingIsDoneAndWeakReferencesStillHoldTheValue() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            Handle w = s.handle(heap.weak().create(1));
            Handle l = s.handle(list(heap, s, 2000));
            List<String> seen = new ArrayList<>();
            Handle v = s.handle(heap.alloc(0, Value.ofInt(3)));
            heap.weak().set(w.get(), 0, v.get());
            heap.gc().finalise(h -> seen.add("first, weak=" + (heap.weak().get(w.get(), 0) == h.get())), v.get());
            heap.gc().minor();
            v.set(Value.NONE);
            beginCycleAt(heap, Phase.MARK);
            assertThat(seen).isEmpty();
            finishBySlices(heap);
            assertThat(seen).containsExactly("first, weak=true");
            heap.gc().fullMajor();
            assertThat(heap.weak().check(w.get(), 0)).isFalse();
            assertThat(length(heap, l.get())).isEqualTo(2000);
        }
    }

    @Test
    void finaliseLastFindsEveryWeakReferenceEmptyEvenBeforeTheCleanWalkReachesIt() {
        try (Heap heap = heap(8); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle arr = deadKeyEphemerons(heap, s, 400);
            Handle w = s.handle(heap.weak().create(1));
            Handle e = s.handle(k1.make(Value.NONE, Value.ofInt(1)));
            List<String> seen = new ArrayList<>();
            Handle v = s.handle(heap.alloc(0, Value.ofInt(3)));
            heap.weak().set(w.get(), 0, v.get());
            k1.setKey(e.get(), v.get());
            heap.gc().finaliseLast(() -> seen.add("last: weak " + heap.weak().check(w.get(), 0)
                    + ", key " + k1.checkKey(e.get()) + ", data " + k1.checkData(e.get())
                    + ", phase " + heap.gc().majorPhase()), v.get());
            heap.gc().minor(); // v is old now; only weak references and the registration hold it
            v.set(Value.NONE);
            beginCycleAt(heap, Phase.CLEAN);
            assertThat(seen).containsExactly("last: weak false, key false, data false, phase CLEAN");
            finishBySlices(heap);
            assertThat(heap.field(arr.get(), 0)).isNotEqualTo(Value.NONE);
        }
    }

    @Test
    void whatDiesDuringACycleFloatsToTheNextAndFullMajorFreesIt() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            Handle l = s.handle(list(heap, s, 2000));
            Handle holder = s.handle(heap.alloc(0, heap.alloc(0, Value.ofInt(1))));
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, heap.field(holder.get(), 0));
            heap.gc().minor();
            beginCycleAt(heap, Phase.MARK);
            heap.setField(holder.get(), 0, Value.NONE); // unreachable now, but the snapshot holds it
            heap.gc().major();
            assertThat(heap.weak().check(w.get(), 0)).as("floating garbage of the finished cycle").isTrue();
            heap.gc().fullMajor();
            assertThat(heap.weak().check(w.get(), 0)).isFalse();
            assertThat(length(heap, l.get())).isEqualTo(2000);
        }
    }

    @Test
    void majorOnAnIdleHeapRunsAWholeCycleThatFreesWhatIsUnreachable() {
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, heap.alloc(0, Value.ofInt(1)));
            heap.gc().fullMajor();
            assertThat(heap.gc().majorPhase()).isNull();
            heap.weak().set(w.get(), 0, heap.alloc(0, Value.ofInt(2)));
            heap.gc().major();
            assertThat(heap.weak().check(w.get(), 0)).isFalse();
        }
    }

    @Test
    void blocksAllocatedDuringTheSweepSurviveAndLiveWordsAreExactWhenTheCycleEnds() {
        try (Heap heap = heap(512); Scope s = heap.openScope()) {
            Handle l = s.handle(list(heap, s, 4000));
            try (Scope garbage = heap.openScope()) {
                for (int i = 0; i < 10; i++) {
                    list(heap, garbage, 500); // garbage to sweep
                }
            }
            heap.gc().minor();
            beginCycleAt(heap, Phase.SWEEP);
            Handle fresh = s.handle(list(heap, s, 3000));
            heap.gc().minor(); // promoted while the cycle sweeps: white, on swept or fresh pages
            finishBySlices(heap);
            assertThat(length(heap, fresh.get())).isEqualTo(3000);
            assertThat(length(heap, l.get())).isEqualTo(4000);
        }
    }

    @Test
    void anIdentityHashAskedForWhileItsBlockIsAWaitedKeyIsKept() {
        try (Heap heap = heap(8); Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            // the ephemeron is a root (reached first); its key is reachable only at the end of a list
            Handle l = s.handle(list(heap, s, 3000));
            long last = l.get();
            while (heap.field(last, 1) != Value.NONE) {
                last = heap.field(last, 1);
            }
            Handle key = s.handle(last);
            Handle e = s.handle(k1.make(key.get(), heap.allocString("d")));
            key.set(Value.NONE);
            heap.gc().minor();
            beginCycleAt(heap, Phase.MARK);
            heap.gc().majorSlice(0); // the ephemeron waits: its key's header is a waited header now
            long k = last(heap, l.get());
            int hash = heap.identityHash(k);
            assertThat(heap.tag(k)).isZero();
            assertThat(heap.size(k)).isEqualTo(2);
            finishBySlices(heap);
            assertThat(heap.identityHash(last(heap, l.get()))).isEqualTo(hash);
            assertThat(heap.stringValue(k1.getData(e.get()))).isEqualTo("d");
        }
    }

    private static long last(Heap heap, long l) {
        long c = l;
        while (heap.field(c, 1) != Value.NONE) {
            c = heap.field(c, 1);
        }
        return c;
    }

    @Test
    void stopTheWorldModeRunsEveryCycleInOneSlice() {
        try (Heap heap = Heap.create(HeapConfig.defaults().incremental(false).minorHeapWords(1024)
                .verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Handle l = s.handle(Value.NONE);
            for (int i = 0; i < 40_000; i++) {
                l.set(heap.alloc(0, Value.ofInt(i), l.get()));
            }
            GcStat st = heap.gc().stat();
            assertThat(st.majorCollections).isPositive();
            assertThat(st.majorSlices).isEqualTo(st.majorCollections);
            assertThat(heap.gc().isIncremental()).isFalse();
            heap.gc().majorSlice(0);
            assertThat(heap.gc().majorPhase()).as("a slice is a whole cycle").isNull();
        }
    }

    @Test
    void listenersAndTheVerboseLogSeeEverySliceAndTheCycleOnce() {
        List<String> log = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).sliceWords(64)
                .gcLog(log::add).gcLogSlices(true)); Scope s = heap.openScope()) {
            List<GcEvent> slices = new ArrayList<>();
            List<GcEvent> cycles = new ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent event) {
                    if (event.kind == GcEvent.Kind.MAJOR) {
                        cycles.add(event);
                    }
                }

                @Override
                public void slice(GcEvent event) {
                    slices.add(event);
                }
            });
            list(heap, s, 3000);
            heap.gc().minor();
            finishBySlices(heap);
            int n = slices.size();
            assertThat(n).isGreaterThan(5);
            assertThat(cycles).hasSize(1);
            assertThat(cycles.get(0).work).as("the cycle's slice count").isEqualTo(n);
            assertThat(cycles.get(0).maxPauseNanos).isEqualTo(slices.stream().mapToLong(e -> e.pauseNanos).max().orElseThrow());
            assertThat(slices).allSatisfy(e -> assertThat(e.kind).isEqualTo(GcEvent.Kind.MAJOR_SLICE));
            assertThat(log.stream().filter(x -> x.startsWith("[gc] slice")).count()).isEqualTo(n);
            assertThat(log.stream().filter(x -> x.startsWith("[gc] major")).count()).isEqualTo(1);
        }
    }

    /** The words a cycle marked, as its last slice reports them, with a list of {@code cells} kept. */
    private static long markedWithList(int cells) {
        try (Heap heap = heap(200); Scope s = heap.openScope()) {
            List<GcEvent> slices = new ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent event) {
                }

                @Override
                public void slice(GcEvent event) {
                    slices.add(event);
                }
            });
            s.handle(list(heap, s, cells));
            heap.gc().minor();
            finishBySlices(heap);
            assertThat(slices).extracting(e -> e.survivedWords).as("words marked so far, slice by slice").isSorted();
            return slices.get(slices.size() - 1).survivedWords;
        }
    }

    @Test
    void finalisersTakenWhileTheCycleMarksTheQueueInStepsKeepTheirValues() {
        int n = 3000;
        try (Heap heap = heap(16); Scope s = heap.openScope();
                RootArea keep = heap.newRootArea(n, Rank.STRONG)) {
            int[] slicesInRoots = {0};
            Finaliser f = h -> {
                // a root area is marked only at a cycle's start: what is stored in it later must
                // be marked through the snapshot, here by the queue's darkening as h left it
                keep.push(h.get());
                heap.alloc(0, Value.ofInt(0), Value.ofInt(0));
                heap.gc().majorSlice(0);
                if (heap.gc().majorPhase() == Phase.ROOTS) {
                    slicesInRoots[0]++;
                }
            };
            for (int i = 0; i < n; i++) {
                long inner = heap.alloc(0, Value.ofInt(i));
                heap.gc().finalise(f, heap.alloc(0, Value.ofInt(i), inner));
            }
            heap.gc().minor(); // old values, which only their registrations hold
            heap.gc().fullMajor(); // queues all n; running them slices a new cycle, one slice each
            assertThat(keep.used()).isEqualTo(n);
            assertThat(slicesInRoots[0]).as("slices that left queued finalisers for the next one to mark")
                    .isGreaterThan(100);
            heap.gc().fullMajor();
            heap.gc().fullMajor();
            Set<Long> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                long v = keep.get(i);
                long id = Value.intOf(heap.field(v, 0));
                assertThat(Value.intOf(heap.field(heap.field(v, 1), 0))).isEqualTo(id);
                seen.add(id);
            }
            assertThat(seen).hasSize(n);
        }
    }

    @Test
    void finaliserFunctionsMarkedInStepsSurviveWhileTheirValuesLive() {
        int n = 2000;
        try (Heap heap = heap(16); Scope s = heap.openScope()) {
            List<Long> calls = new ArrayList<>();
            heap.gc().setFinaliserApplier((fn, value) -> {
                // the function's environment: a cell holding the same number as the value
                long env = heap.field(fn.get(), 0);
                assertThat(heap.field(env, 0)).isEqualTo(heap.field(value.get(), 0));
                calls.add(Value.intOf(heap.field(value.get(), 0)));
            });
            Handle values = s.handle(heap.allocArray(n, Value.NONE));
            for (int i = 0; i < n; i++) {
                long v = heap.alloc(0, Value.ofInt(i));
                heap.setField(values.get(), i, v);
                long env = heap.alloc(0, Value.ofInt(i));
                heap.gc().finaliseWith(heap.alloc(Tag.CLOSURE, env), heap.field(values.get(), i));
            }
            heap.gc().minor(); // functions old, held only by their registrations
            beginCycleAt(heap, Phase.MARK);
            int slices = finishBySlices(heap);
            assertThat(slices).isGreaterThan(1);
            // a second cycle, the mutator allocating between its slices
            heap.gc().majorSlice(0);
            while (heap.gc().majorPhase() != null) {
                heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
                heap.gc().majorSlice(0);
            }
            assertThat(calls).isEmpty();
            values.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(calls).hasSize(n);
            assertThat(new java.util.HashSet<>(calls)).hasSize(n);
        }
    }

    @Test
    void aSliceReportsTheWordsItsCycleHasMarkedSoFar() {
        // a cell is a header and two fields; whatever else the heap keeps is the same in both
        assertThat(markedWithList(2000) - markedWithList(1000)).isEqualTo(3 * 1000);
    }
}
