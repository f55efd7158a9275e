package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The finalisation promises: OCaml's Gc.finalise / finalise_last / finalise_release, and Core's wrappers. */
class FinalisationTest {

    private static long block(Heap heap, long id) {
        return heap.alloc(0, Value.ofInt(id), Value.NONE);
    }

    private static long idOf(Heap heap, long v) {
        return Value.intOf(heap.field(v, 0));
    }

    @Test
    void finaliseFirstResurrectsTheValueAndWeakReferencesStayValidInsideTheFinaliser() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Weak weak = heap.weak();
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle w = s.handle(weak.create(1));
            long v = block(heap, 42);
            weak.set(w.get(), 0, v);
            Handle e = s.handle(k1.make(weak.get(w.get(), 0), block(heap, 7)));
            List<String> seen = new ArrayList<>();
            heap.gc().finalise(value -> {
                seen.add("id=" + idOf(heap, value.get()));
                seen.add("weak=" + (weak.get(w.get(), 0) == value.get()));
                seen.add("key=" + (k1.getKey(e.get()) == value.get()));
                seen.add("data=" + k1.checkData(e.get()));
            }, weak.get(w.get(), 0));
            heap.gc().major();
            assertThat(seen).containsExactly("id=42", "weak=true", "key=true", "data=true");
            // Not resurrected by the finaliser: the next major collection clears the weak references.
            heap.gc().major();
            assertThat(weak.check(w.get(), 0)).isFalse();
            assertThat(k1.checkKey(e.get())).isFalse();
            assertThat(k1.checkData(e.get())).isFalse();
        }
    }

    @Test
    void aFinaliserThatResurrectsItsValueKeepsItAndItsWeakReferences() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            GlobalRoot saved = heap.newGlobalRoot(Value.NONE);
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, heap.alloc(0, Value.ofInt(1), heap.allocString("payload")));
            heap.gc().finalise(value -> saved.set(value.get()), heap.weak().get(w.get(), 0));
            heap.gc().fullMajor();
            assertThat(saved.get()).isNotEqualTo(Value.NONE);
            assertThat(heap.stringValue(heap.field(saved.get(), 1))).isEqualTo("payload");
            assertThat(heap.weak().get(w.get(), 0)).isEqualTo(saved.get());
            heap.gc().fullMajor();
            assertThat(heap.weak().get(w.get(), 0)).as("a finaliser runs at most once").isEqualTo(saved.get());
        }
    }

    @Test
    void finaliseLastRunsAfterEveryWeakReferenceToTheValueIsEmpty() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Weak weak = heap.weak();
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle w = s.handle(weak.create(1));
            Handle v = s.handle(block(heap, 1));
            weak.set(w.get(), 0, v.get());
            Handle e = s.handle(k1.make(v.get(), block(heap, 2)));
            Handle e2 = s.handle(heap.ephemerons().create(0));
            heap.ephemerons().setData(e2.get(), v.get()); // a ref for now
            GlobalRoot wr = heap.newWeakRoot(v.get());
            List<String> seen = new ArrayList<>();
            heap.gc().finaliseLast(() -> {
                seen.add("weak=" + weak.check(w.get(), 0));
                seen.add("key=" + k1.checkKey(e.get()));
                seen.add("data=" + k1.checkData(e.get()));
                seen.add("root=" + wr.get());
            }, v.get());
            heap.gc().fullMajor();
            heap.ephemerons().unsetData(e2.get());
            v.set(Value.NONE);
            heap.gc().major();
            assertThat(seen).containsExactly("weak=false", "key=false", "data=false", "root=0");
        }
    }

    @Test
    void aMinorCollectionQueuesYoungFinaliseLastValuesButNeverFiresFinaliseFirst() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            List<String> calls = new ArrayList<>();
            Handle w = s.handle(heap.weak().create(2));
            long young = block(heap, 1);
            heap.weak().set(w.get(), 0, young);
            heap.gc().finaliseLast(() -> calls.add("last:weak=" + heap.weak().check(w.get(), 0)), heap.weak().get(w.get(), 0));
            long youngFirst = block(heap, 2);
            heap.weak().set(w.get(), 1, youngFirst);
            heap.gc().finalise(v -> calls.add("first:" + idOf(heap, v.get())), heap.weak().get(w.get(), 1));
            long majors = heap.gc().stat().majorCollections;
            heap.gc().minor();
            assertThat(heap.gc().stat().majorCollections).isEqualTo(majors);
            assertThat(calls).containsExactly("last:weak=false");
            assertThat(heap.weak().check(w.get(), 1)).as("finalise-first values are promoted").isTrue();
            heap.gc().major();
            assertThat(calls).containsExactly("last:weak=false", "first:2");
        }
    }

    @Test
    void finalisersRunInReverseRegistrationOrderFirstKindBeforeLastKindAndBatchesFifo() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<String> calls = new ArrayList<>();
            Handle batch1 = s.handle(heap.allocArray(4, Value.NONE));
            for (int i = 0; i < 4; i++) {
                heap.setField(batch1.get(), i, block(heap, i));
            }
            heap.gc().finalise(v -> calls.add("F1"), heap.field(batch1.get(), 0));
            heap.gc().finaliseLast(() -> calls.add("L1"), heap.field(batch1.get(), 1));
            heap.gc().finalise(v -> calls.add("F2"), heap.field(batch1.get(), 2));
            heap.gc().finaliseLast(() -> calls.add("L2"), heap.field(batch1.get(), 3));
            heap.gc().fullMajor();
            batch1.set(Value.NONE);
            // Collect without a safe point in between: two batches queue up.
            Handle batch2 = s.handle(heap.allocArray(2, Value.NONE));
            heap.setField(batch2.get(), 0, block(heap, 10));
            heap.setField(batch2.get(), 1, block(heap, 11));
            heap.gc().finalise(v -> calls.add("G1"), heap.field(batch2.get(), 0));
            heap.gc().finalise(v -> calls.add("G2"), heap.field(batch2.get(), 1));
            heap.gc().setLog(null);
            collectWithoutSafePoint(heap);
            batch2.set(Value.NONE);
            collectWithoutSafePoint(heap);
            assertThat(calls).isEmpty();
            heap.poll();
            assertThat(calls).containsExactly("F2", "F1", "L2", "L1", "G2", "G1");
        }
    }

    /** A major collection that is not a safe point: triggered by allocation. */
    private static void collectWithoutSafePoint(Heap heap) {
        long before = heap.gc().stat().majorCollections;
        while (heap.gc().stat().majorCollections == before) {
            heap.allocArray(300, Value.ofInt(0));
        }
    }

    @Test
    void aValueWithBothKindsGetsItsLastKindCallAtALaterCollection() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<String> calls = new ArrayList<>();
            long v = block(heap, 1);
            Handle h = s.handle(v);
            heap.gc().finalise(x -> calls.add("first"), h.get());
            heap.gc().finaliseLast(() -> calls.add("last"), h.get());
            h.set(Value.NONE);
            heap.gc().major();
            assertThat(calls).containsExactly("first");
            heap.gc().major();
            assertThat(calls).containsExactly("first", "last");
        }
    }

    @Test
    void noFinaliserStartsWhileAnotherRunsUnlessItCallsFinaliseRelease() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<String> calls = new ArrayList<>();
            Handle a = s.handle(heap.allocArray(3, Value.NONE));
            for (int i = 0; i < 3; i++) {
                heap.setField(a.get(), i, block(heap, i));
            }
            heap.gc().finalise(v -> calls.add("x"), heap.field(a.get(), 0));
            heap.gc().finalise(v -> {
                calls.add("y:start");
                heap.poll(); // no re-entrance
                calls.add("y:after-poll");
                heap.gc().finaliseRelease();
                heap.poll(); // now the next one runs inside this one
                calls.add("y:end");
            }, heap.field(a.get(), 1));
            heap.gc().finalise(v -> {
                calls.add("z:start");
                heap.poll();
                calls.add("z:end");
            }, heap.field(a.get(), 2));
            a.set(Value.NONE);
            heap.gc().major();
            assertThat(calls).containsExactly("z:start", "z:end", "y:start", "y:after-poll", "x", "y:end");
        }
    }

    @Test
    void aFinaliserMayAllocateCollectRegisterAgainAndResurrect() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<Long> calls = new ArrayList<>();
            GlobalRoot keep = heap.newGlobalRoot(Value.NONE);
            Finaliser[] self = new Finaliser[1];
            self[0] = v -> {
                calls.add(idOf(heap, v.get()));
                for (int i = 0; i < 500; i++) {
                    heap.alloc(0, Value.ofInt(i), v.get()); // allocates through collections
                }
                heap.gc().minor();
                if (calls.size() < 3) {
                    heap.gc().finalise(self[0], v.get()); // again, on its own value
                } else {
                    keep.set(v.get());
                }
            };
            heap.gc().finalise(self[0], block(heap, 5));
            for (int i = 0; i < 4; i++) {
                heap.gc().major();
            }
            assertThat(calls).containsExactly(5L, 5L, 5L);
            assertThat(idOf(heap, keep.get())).isEqualTo(5);
        }
    }

    @Test
    void anExceptionPropagatesToTheSafePointAndTheRestStayQueued() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<String> calls = new ArrayList<>();
            Handle a = s.handle(heap.allocArray(3, Value.NONE));
            for (int i = 0; i < 3; i++) {
                heap.setField(a.get(), i, block(heap, i));
            }
            heap.gc().finalise(v -> calls.add("a"), heap.field(a.get(), 0));
            heap.gc().finalise(v -> {
                calls.add("b");
                throw new IllegalStateException("boom");
            }, heap.field(a.get(), 1));
            heap.gc().finalise(v -> calls.add("c"), heap.field(a.get(), 2));
            a.set(Value.NONE);
            assertThatThrownBy(() -> heap.gc().major()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(calls).containsExactly("c", "b");
            assertThat(heap.gc().pendingFinalisers()).isEqualTo(1);
            heap.poll();
            assertThat(calls).containsExactly("c", "b", "a");
        }
    }

    @Test
    void fullMajorSkipsItsSecondCollectionWhenAFinaliserRaises() {
        try (Heap heap = TestHeaps.tiny()) {
            heap.gc().finalise(v -> {
                throw new IllegalStateException("boom");
            }, block(heap, 1));
            long before = heap.gc().stat().majorCollections;
            assertThatThrownBy(() -> heap.gc().fullMajor()).hasMessage("boom");
            assertThat(heap.gc().stat().majorCollections).isEqualTo(before + 1);
        }
    }

    @Test
    void everythingReachableFromARegisteredFunctionIsAlive() {
        // The seed's pitfall: let v = ... in Gc.finalise (fun _ -> ...v...) v never fires.
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<Long> calls = new ArrayList<>();
            heap.gc().setFinaliserApplier((fn, value) -> calls.add(idOf(heap, value.get())));
            long v = block(heap, 1);
            Handle hv = s.handle(v);
            long closure = heap.alloc(Tag.CLOSURE, hv.get()); // a closure whose environment holds v
            heap.gc().finaliseWith(closure, hv.get());
            GlobalRoot weakV = heap.newWeakRoot(hv.get());
            hv.set(Value.NONE);
            for (int i = 0; i < 4; i++) {
                heap.gc().fullMajor();
            }
            assertThat(calls).isEmpty();
            assertThat(weakV.get()).isNotEqualTo(Value.NONE);
            // With a closure that does not mention it, the finaliser fires.
            long w = block(heap, 2);
            heap.gc().finaliseWith(heap.alloc(Tag.CLOSURE, Value.ofInt(0)), w);
            heap.gc().fullMajor();
            assertThat(calls).containsExactly(2L);
        }
    }

    @Test
    void registrationRejectsWhatCannotBeFinalised() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Gc gc = heap.gc();
            Finaliser f = v -> { };
            assertThatThrownBy(() -> gc.finalise(f, Value.ofInt(3))).isInstanceOf(NotABlockException.class)
                    .hasMessageContaining("Gc.finalise");
            assertThatThrownBy(() -> gc.finalise(f, Value.NONE)).isInstanceOf(NotABlockException.class);
            assertThatThrownBy(() -> gc.finaliseLast(() -> { }, heap.allocDouble(1.0))).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("Gc.finalise_last").hasMessageContaining("double");
            assertThatThrownBy(() -> gc.finalise(f, heap.allocBlock(Tag.LAZY, 1))).isInstanceOf(WrongTagException.class);
            assertThatThrownBy(() -> gc.finalise(f, heap.allocBlock(Tag.FORWARD, 1))).isInstanceOf(WrongTagException.class);
            try (Heap other = TestHeaps.tiny()) {
                long foreign = other.allocArray(400, Value.ofInt(1)); // lives only in the other heap
                assertThatThrownBy(() -> gc.finalise(f, foreign)).isInstanceOf(RuntimeException.class)
                        .hasMessageContaining("Gc.finalise");
            }
            assertThatThrownBy(() -> gc.finalise(null, block(heap, 1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(gc.registeredFinalisers()).isZero();
            heap.verify();
        }
    }

    @Test
    void finalisersRunOnlyAtSafePointsUnlessAllocationIsConfiguredToBeOne() {
        for (boolean atAllocation : new boolean[] {false, true}) {
            try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).verifyEveryCollection(true)
                    .runFinalisersOnAllocation(atAllocation))) {
                List<String> calls = new ArrayList<>();
                heap.gc().finalise(v -> calls.add("ran"), block(heap, 1));
                collectWithoutSafePoint(heap);
                for (int i = 0; i < 100; i++) {
                    heap.alloc(0, Value.ofInt(i), Value.NONE);
                }
                assertThat(calls).hasSize(atAllocation ? 1 : 0);
                heap.poll();
                assertThat(calls).hasSize(1);
            }
        }
    }

    // ---------------------------------------------------------------- Core

    @Test
    void coreAddFinalizerFamily() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Gc gc = heap.gc();
            List<String> calls = new ArrayList<>();
            Handle blocks = s.handle(heap.allocArray(4, Value.NONE));
            for (int i = 0; i < 4; i++) {
                heap.setField(blocks.get(), i, block(heap, i + 1));
            }
            gc.addFinalizer(heap.field(blocks.get(), 0), v -> calls.add("add:" + idOf(heap, v.get())));
            gc.addFinalizerExn(heap.field(blocks.get(), 1), v -> calls.add("exn:" + idOf(heap, v.get())));
            gc.addFinalizerLast(heap.field(blocks.get(), 2), () -> calls.add("last"));
            gc.addFinalizerLastExn(heap.field(blocks.get(), 3), () -> calls.add("last-exn"));
            gc.fullMajor(); // all old now: they die in one major collection
            blocks.set(Value.NONE);
            gc.addFinalizerIgnore(Value.ofInt(5), v -> calls.add("never"));
            gc.addFinalizer(heap.allocDouble(2.0), v -> calls.add("double is silently ignored"));
            assertThatThrownBy(() -> gc.addFinalizerExn(Value.ofInt(6), v -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Heap_block.create_exn");
            assertThatThrownBy(() -> gc.addFinalizerLastExn(Value.NONE, () -> { }))
                    .hasMessageContaining("add_finalizer_last_exn");
            gc.fullMajor();
            assertThat(calls).containsExactly("exn:2", "add:1", "last-exn", "last");
        }
    }

    /**
     * Core's {@code _exn} variants raise {@code Failure "Heap_block.create_exn called with non
     * heap block"} for the heap blocks OCaml's {@code Gc.finalise} refuses, since
     * {@code Heap_block.is_ok} is false for them too (they were once silently accepted); the plain and {@code _ignore} variants still ignore them.
     */
    @Test
    void coreExnVariantsRaiseForABoxedFloatALazyAndAForward() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Gc gc = heap.gc();
            List<String> calls = new ArrayList<>();
            for (int tag : new int[] {Tag.DOUBLE, Tag.LAZY, Tag.FORWARD}) {
                Handle v = s.handle(tag == Tag.DOUBLE ? heap.allocDouble(1.5) : heap.allocBlock(tag, 1));
                assertThatThrownBy(() -> gc.addFinalizerExn(v.get(), x -> calls.add("exn")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("Gc.add_finalizer_exn: Heap_block.create_exn called with non heap block")
                        .hasMessageContaining(Tag.name(tag));
                assertThatThrownBy(() -> gc.addFinalizerLastExn(v.get(), () -> calls.add("last-exn")))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("Gc.add_finalizer_last_exn: Heap_block.create_exn called with non heap block");
                gc.addFinalizer(v.get(), x -> calls.add("add"));
                gc.addFinalizerIgnore(v.get(), x -> calls.add("ignore"));
                gc.addFinalizerLast(v.get(), () -> calls.add("last"));
                gc.addFinalizerLastIgnore(v.get(), () -> calls.add("last-ignore"));
                v.set(Value.NONE);
            }
            assertThat(gc.registeredFinalisers()).isZero();
            gc.fullMajor();
            assertThat(calls).isEmpty();
            heap.verify();
        }
    }

    @Test
    void coreFinalisersUseTheConfiguredErrorHandler() {
        List<String> handled = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).verifyEveryCollection(true)
                .finaliserErrorHandler(e -> handled.add(e.getMessage())))) {
            List<String> calls = new ArrayList<>();
            heap.gc().addFinalizer(block(heap, 1), v -> calls.add("after"));
            heap.gc().addFinalizer(block(heap, 2), v -> {
                throw new IllegalStateException("core boom");
            });
            heap.gc().fullMajor();
            assertThat(handled).containsExactly("core boom");
            assertThat(calls).containsExactly("after");
        }
        try (Heap heap = TestHeaps.tiny()) {
            heap.gc().addFinalizer(block(heap, 1), v -> {
                throw new IllegalStateException("propagated by default");
            });
            assertThatThrownBy(() -> heap.gc().fullMajor()).hasMessage("propagated by default");
        }
    }

    @Test
    void leakProtectionLetsAClosureThatMentionsItsBlockFire() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<Long> calls = new ArrayList<>();
            heap.gc().setFinaliserApplier((fn, value) -> calls.add(idOf(heap, value.get())));
            Handle leaky = s.handle(block(heap, 1));
            heap.gc().addFinalizerExn(leaky.get(), v -> { }); // unrelated, to show the table is fine
            Handle protectedBlock = s.handle(block(heap, 2));
            long closure2 = heap.alloc(Tag.CLOSURE, protectedBlock.get());
            heap.gc().addFinalizerWithLeakProtection(protectedBlock.get(), closure2);
            long closure1 = heap.alloc(Tag.CLOSURE, leaky.get());
            heap.gc().finaliseWith(closure1, leaky.get());
            leaky.set(Value.NONE);
            protectedBlock.set(Value.NONE);
            for (int i = 0; i < 3; i++) {
                heap.gc().fullMajor();
            }
            assertThat(calls).containsExactly(2L);
            // The Java-finaliser form boxes the function as ephemeron data the same way.
            List<Long> javaCalls = new ArrayList<>();
            heap.gc().addFinalizerWithLeakProtection(block(heap, 3), v -> javaCalls.add(idOf(heap, v.get())));
            heap.gc().fullMajor();
            assertThat(javaCalls).containsExactly(3L);
        }
    }

    /**
     * Regression: a major collection compacted the finaliser table below its young-row mark,
     * so rows registered afterwards were invisible to the next minor collection and kept
     * pointers into the old nursery.
     */
    @Test
    void rowsRegisteredAfterAMajorCompactionAreSeenByTheNextMinorCollection() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            List<Long> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                heap.gc().finalise(v -> calls.add(idOf(heap, v.get())), block(heap, i));
            }
            heap.gc().minor();
            heap.gc().major(); // selects all five: the table shrinks to nothing
            Handle young = s.handle(block(heap, 100));
            heap.gc().finalise(v -> calls.add(idOf(heap, v.get())), young.get());
            heap.gc().minor(); // must forward the new row's young value
            young.set(Value.NONE);
            heap.gc().major();
            assertThat(calls).containsExactly(4L, 3L, 2L, 1L, 0L, 100L);
        }
    }

    /**
     * Selections above a thousand rows size their batch once: from an estimate, or — when most
     * rows seem to die — by handing the table's own arrays to the batch and moving the survivors out.
     * Both keep the promises of the small case: every dead value's finaliser once, in reverse
     * registration order, with its own function; survivors stay registered, in order. (A heap
     * large enough that the registrations trigger no collection: one batch.)
     */
    @Test
    void largeSelectionsRunEachFinaliserOnceInReverseOrderWithItsFunction() {
        for (int keepEvery : new int[] {10, 3, 2}) { // 90 %, 67 % and 50 % of the rows die
            int n = 3000;
            try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
                List<Long> ran = new ArrayList<>();
                heap.gc().setFinaliserApplier((fn, value) -> {
                    assertThat(heap.field(fn.get(), 0)).as("the row's own function").isEqualTo(heap.field(value.get(), 0));
                    ran.add(idOf(heap, value.get()));
                });
                Finaliser javaFinaliser = value -> ran.add(idOf(heap, value.get()));
                Handle kept = s.handle(heap.allocArray(n, Value.NONE));
                registerBlocks(heap, kept, n, i -> i % keepEvery != 0, 4, javaFinaliser);
                assertThat(heap.gc().majorCollections()).as("one selection, one batch").isZero();
                heap.gc().fullMajor();
                List<Long> expected = new ArrayList<>();
                for (int i = n - 1; i >= 0; i--) {
                    if (i % keepEvery != 0) {
                        expected.add((long) i);
                    }
                }
                assertThat(ran).as("keeping every %d", keepEvery).isEqualTo(expected);
                assertThat(heap.gc().registeredFinalisers()).isEqualTo((n + keepEvery - 1) / keepEvery);
                ran.clear();
                heap.setField(kept.get(), 0, Value.NONE); // the first survivor dies alone
                heap.gc().fullMajor();
                assertThat(ran).containsExactly(0L);
                ran.clear();
                kept.set(Value.NONE);
                heap.gc().fullMajor();
                expected.clear();
                for (int i = n - 1; i > 0; i--) {
                    if (i % keepEvery == 0) {
                        expected.add((long) i);
                    }
                }
                assertThat(ran).isEqualTo(expected);
                assertThat(heap.gc().registeredFinalisers()).isZero();
            }
        }
    }

    /**
     * The size of a large selection is estimated from a sample of its rows; whatever pattern the
     * deaths make, the sample only sizes arrays. Patterns that mislead a sample of every 11th
     * row (3,000 rows: every 11th row dead, or alive, from each possible start; one half dead)
     * still run exactly the dead rows' finalisers, in reverse order, and keep the survivors
     * registered in order.
     */
    @Test
    void largeSelectionsAreExactWhateverPatternTheDeathsMake() {
        int n = 3000;
        List<IntPredicate> dies = new ArrayList<>(List.of(i -> i < n / 2, i -> i >= n / 2, i -> i % 256 < 200, i -> true));
        for (int r = 0; r < 11; r++) { // whatever row the sample starts at, one of these fools it
            int residue = r;
            dies.add(i -> i % 11 == residue);
            dies.add(i -> i % 11 != residue);
        }
        for (int p = 0; p < dies.size(); p++) {
            IntPredicate dead = dies.get(p);
            try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
                List<Long> ran = new ArrayList<>();
                heap.gc().setFinaliserApplier((fn, value) -> ran.add(idOf(heap, value.get())));
                Finaliser javaFinaliser = value -> ran.add(idOf(heap, value.get()));
                Handle kept = s.handle(heap.allocArray(n, Value.NONE));
                registerBlocks(heap, kept, n, dead, 3, javaFinaliser);
                assertThat(heap.gc().majorCollections()).as("one selection, from row 0").isZero();
                heap.gc().fullMajor();
                List<Long> expected = new ArrayList<>();
                for (int i = n - 1; i >= 0; i--) {
                    if (dead.test(i)) {
                        expected.add((long) i);
                    }
                }
                assertThat(ran).as("pattern %d", p).isEqualTo(expected);
                assertThat(heap.gc().registeredFinalisers()).as("pattern %d", p).isEqualTo(n - expected.size());
                ran.clear();
                kept.set(Value.NONE);
                heap.gc().fullMajor();
                expected.clear();
                for (int i = n - 1; i >= 0; i--) {
                    if (!dead.test(i)) {
                        expected.add((long) i);
                    }
                }
                assertThat(ran).as("pattern %d, the survivors later", p).isEqualTo(expected);
                assertThat(heap.gc().registeredFinalisers()).isZero();
            }
        }
    }

    /** The same for MPS registrations, whose rows carry sequence numbers that definalize searches. */
    @Test
    void definalizeFindsTheSurvivorsOfALargeSelection() {
        int n = 3000;
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Messages m = heap.messages();
            m.enable(Message.Type.FINALIZATION);
            Handle kept = s.handle(heap.allocArray(n, Value.NONE));
            for (int i = 0; i < n; i++) {
                long v = block(heap, i);
                if (i % 10 == 0) {
                    heap.setField(kept.get(), i, v);
                }
                m.finalize(v);
            }
            heap.gc().fullMajor();
            int posted = 0;
            Message msg;
            while ((msg = m.get(Message.Type.FINALIZATION)) != null) {
                assertThat(idOf(heap, ((Message.Finalization) msg).ref()) % 10).isNotZero();
                m.discard(msg);
                posted++;
            }
            assertThat(posted).isEqualTo(n - n / 10);
            for (int i = 0; i < n; i += 20) {
                assertThat(m.definalize(heap.field(kept.get(), i))).as("survivor %d", i).isTrue();
            }
            kept.set(Value.NONE);
            heap.gc().fullMajor();
            List<Long> last = new ArrayList<>();
            while ((msg = m.get(Message.Type.FINALIZATION)) != null) {
                last.add(idOf(heap, ((Message.Finalization) msg).ref()));
                m.discard(msg);
            }
            assertThat(last).hasSize(n / 20).allMatch(id -> id % 20 == 10);
        }
    }

    /**
     * Registers blocks 0..n-1 for finalisation, each dropped at once unless {@code dies} says
     * otherwise (then kept in field i of {@code kept}); every block whose number is 1 modulo
     * {@code heapFunctionEvery} gets a heap function (a closure holding its number), the others
     * {@code javaFinaliser}.
     */
    private static void registerBlocks(Heap heap, Handle kept, int n, IntPredicate dies, int heapFunctionEvery,
                                       Finaliser javaFinaliser) {
        for (int i = 0; i < n; i++) {
            long v = block(heap, i);
            if (!dies.test(i)) {
                heap.setField(kept.get(), i, v);
            }
            try (Scope row = heap.openScope()) {
                Handle hv = row.handle(v);
                if (i % heapFunctionEvery == 1) {
                    heap.gc().finaliseWith(heap.alloc(Tag.CLOSURE, Value.ofInt(i)), hv.get());
                } else {
                    heap.gc().finalise(javaFinaliser, hv.get());
                }
            }
        }
    }
}
