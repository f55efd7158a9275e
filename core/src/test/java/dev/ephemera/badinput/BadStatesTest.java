package dev.ephemera.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.GcListener;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapClosedException;
import dev.ephemera.HeapConfig;
import dev.ephemera.Message;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.ScopeClosedException;
import dev.ephemera.StalePointerException;
import dev.ephemera.WrongThreadException;
import dev.ephemera.badinput.Fixture.Kind;
import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.ForeignLayout;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Bad input that is a bad state rather than a bad argument: closed scopes and handles, released
 * roots and root areas, out-of-range ranges, read-only words, a heap handed to another thread,
 * a finaliser that cannot be applied, a discarded message, bad configuration. Each must raise a
 * documented exception naming the operation, and leave the heap consistent and usable.
 */
class BadStatesTest {

    @Test
    void aClosedScopeAndItsHandlesRefuseToBeUsed() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            Scope outer = heap.openScope();
            Handle h = outer.handle(fx.get(Kind.BLOCK));
            Scope inner = heap.openScope();
            assertThatThrownBy(() -> outer.handle(Value.ofInt(1))).isInstanceOf(ScopeClosedException.class)
                    .hasMessageStartingWith("Scope.handle:");
            assertThatThrownBy(outer::close).isInstanceOf(ScopeClosedException.class).hasMessageStartingWith("Scope.close:");
            fx.checkConsistentAndUsable();
            assertThat(h.get()).as("the outer scope is still open").isEqualTo(fx.get(Kind.BLOCK));
            inner.close();
            inner.close();                                       // closing twice is harmless
            outer.close();
            assertThatThrownBy(h::get).isInstanceOf(ScopeClosedException.class).hasMessageStartingWith("Handle.get:");
            assertThatThrownBy(() -> h.set(Value.ofInt(1))).isInstanceOf(ScopeClosedException.class)
                    .hasMessageStartingWith("Handle.set:");
            assertThatThrownBy(() -> outer.handle(Value.ofInt(1))).isInstanceOf(ScopeClosedException.class)
                    .hasMessageStartingWith("Scope.handle:");
            fx.checkConsistentAndUsable();
            try (Scope s = heap.openScope()) {
                long stale = fx.staleYoung(Kind.BLOCK);
                assertThatThrownBy(() -> s.handle(stale)).isInstanceOf(StalePointerException.class)
                        .hasMessageStartingWith("Scope.handle:");
                Handle ok = s.handle(Value.NONE);
                assertThatThrownBy(() -> ok.set(stale)).isInstanceOf(StalePointerException.class)
                        .hasMessageStartingWith("Handle.set:");
            }
            fx.checkConsistentAndUsable();
        }
    }

    @Test
    void aReleasedGlobalRootRefusesToBeUsed() {
        try (Fixture fx = new Fixture()) {
            GlobalRoot r = fx.heap.newGlobalRoot(fx.get(Kind.BLOCK));
            assertThatThrownBy(() -> r.set(fx.staleFreed(Kind.BLOCK))).isInstanceOf(StalePointerException.class)
                    .hasMessageStartingWith("GlobalRoot.set:");
            r.close();
            r.close();                                           // releasing twice is harmless
            assertThatThrownBy(r::get).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("GlobalRoot.get:");
            assertThatThrownBy(() -> r.set(Value.ofInt(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("GlobalRoot.set:");
            fx.checkConsistentAndUsable();
        }
    }

    @Test
    void aRootAreaRefusesBadIndicesAndUseAfterClose() {
        try (Fixture fx = new Fixture()) {
            for (Rank rank : Rank.values()) {
                RootArea area = fx.heap.newRootArea(2, rank);
                area.push(fx.get(Kind.BLOCK));
                for (int bad : new int[] {-1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                    assertThatThrownBy(() -> area.get(bad)).isInstanceOf(IndexOutOfBoundsException.class)
                            .hasMessageStartingWith("RootArea.get:");
                    assertThatThrownBy(() -> area.set(bad, Value.NONE)).isInstanceOf(IndexOutOfBoundsException.class)
                            .hasMessageStartingWith("RootArea.set:");
                }
                assertThatThrownBy(() -> area.setUsed(-1)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("RootArea.setUsed:");
                for (int huge : new int[] {(1 << 26) + 1, Integer.MAX_VALUE}) { // past what newRootArea takes
                    assertThatThrownBy(() -> area.setUsed(huge)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("RootArea.setUsed:");
                    assertThatThrownBy(() -> area.ensureCapacity(huge)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("RootArea.ensureCapacity:");
                }
                assertThat(area.used()).isEqualTo(1);
                assertThatThrownBy(() -> area.push(fx.staleYoung(Kind.BLOCK))).isInstanceOf(StalePointerException.class)
                        .hasMessageStartingWith("RootArea.push:");
                assertThatThrownBy(() -> area.set(0, fx.staleFreed(Kind.BLOCK))).isInstanceOf(StalePointerException.class)
                        .hasMessageStartingWith("RootArea.set:");
                area.setUsed(0);
                assertThatThrownBy(area::pop).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("RootArea.pop:");
                area.close();
                area.close();
                assertThatThrownBy(() -> area.push(Value.NONE)).isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("RootArea.push:");
                assertThatThrownBy(() -> area.get(0)).isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("RootArea.get:");
                fx.checkConsistentAndUsable();
            }
        }
    }

    @Test
    void rangesOfBlitAndFillAreChecked() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            int n = Fixture.WEAK_SLOTS;
            int[][] bad = {{-1, 1}, {0, -1}, {0, n + 1}, {n, 1}, {n - 1, 2}, {1, Integer.MAX_VALUE},
                {Integer.MAX_VALUE, 1}, {Integer.MIN_VALUE, 0}};
            for (int[] r : bad) {
                assertThatThrownBy(() -> heap.weak().fill(fx.get(Kind.WEAK), r[0], r[1], Value.NONE))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Weak.fill:");
                assertThatThrownBy(() -> heap.weak().blit(fx.get(Kind.WEAK), r[0], fx.get(Kind.WEAK), 0, r[1]))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Weak.blit:");
                assertThatThrownBy(() -> heap.weak().blit(fx.get(Kind.WEAK), 0, fx.get(Kind.WEAK), r[0], r[1]))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Weak.blit:");
                assertThatThrownBy(() -> heap.ephemerons().blitKey(fx.get(Kind.KN), r[0], fx.get(Kind.WEAK), 0, r[1]))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Obj.Ephemeron.blit_key:");
                assertThatThrownBy(() -> heap.ephemerons().kn().blitKey(fx.get(Kind.WEAK), 0, fx.get(Kind.KN), r[0], r[1]))
                        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Ephemeron.Kn.blit_key:");
            }
            heap.weak().blit(fx.get(Kind.WEAK), n, fx.get(Kind.WEAK), 0, 0);   // length 0 at the end: a no-op
            heap.weak().fill(fx.get(Kind.WEAK), n, 0, Value.NONE);
            assertThatThrownBy(() -> heap.ephemerons().k2().blitKey12(fx.get(Kind.K2), fx.get(Kind.K1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Ephemeron.K2.blit_key12:");
            fx.checkConsistentAndUsable();
        }
    }

    @Test
    void readOnlyWordsAndReservedKindsAreRefused() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            assertThatThrownBy(() -> heap.setRawField(fx.get(Kind.CUSTOM), 0, 1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Heap.setRawField:");
            assertThatThrownBy(() -> heap.setRawField(fx.get(Kind.FOREIGN), 1, 1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Heap.setRawField:");
            assertThatThrownBy(() -> heap.allocCustom(ForeignLayout.FOREIGN_KIND, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Heap.allocCustom:");
            assertThatThrownBy(() -> heap.setField(fx.get(Kind.GUARDIAN), 5, Value.NONE))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageStartingWith("Heap.setField:");
            fx.checkConsistentAndUsable();
            assertThat(heap.foreign(fx.get(Kind.FOREIGN))).isEqualTo("foreign");
        }
    }

    @Test
    void aHeapHandedToAnotherThreadIsRefusedToItsFormerOwner() throws Exception {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            Scope s = heap.openScope();
            assertThatThrownBy(() -> heap.transferTo(new Thread(() -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("Heap.transferTo:");
            s.close();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    fx.checkConsistentAndUsable();
                    heap.transferTo(mainThread);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "worker");
            mainThread = Thread.currentThread();
            heap.transferTo(worker);
            assertThatThrownBy(() -> heap.allocBlock(0, 1)).isInstanceOf(WrongThreadException.class)
                    .hasMessageStartingWith("Heap.allocBlock:");
            assertThatThrownBy(heap::close).isInstanceOf(WrongThreadException.class).hasMessageStartingWith("Heap.close:");
            worker.start();
            worker.join();
            assertThat(failure.get()).isNull();
            fx.checkConsistentAndUsable();                  // handed back to us
        }
    }

    private static volatile Thread mainThread;

    /**
     * A finaliser with a heap function needs an applier to be called: without one it is refused
     * when registered (found only when it ran, the failure would come from an unrelated later
     * call, with the registration gone). A null applier and a NONE function are refused too.
     */
    @Test
    void aHeapFunctionWithoutAnApplierIsRefusedWhenRegistered() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Handle v = s.handle(heap.allocBlock(0, 2));
            Handle fn = s.handle(heap.alloc(dev.ephemera.object.Tag.CLOSURE, Value.ofInt(0)));
            int registered = heap.gc().registeredFinalisers();
            assertThatThrownBy(() -> heap.gc().finaliseWith(fn.get(), v.get())).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Gc.finalise: no FinaliserApplier is set");
            assertThatThrownBy(() -> heap.gc().finaliseLastWith(fn.get(), v.get()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Gc.finalise_last: no FinaliserApplier is set");
            assertThatThrownBy(() -> heap.gc().addFinalizerWithLeakProtection(v.get(), fn.get()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Gc.With_leak_protection.add_finalizer: no FinaliserApplier is set");
            assertThat(heap.gc().registeredFinalisers()).as("nothing registered").isEqualTo(registered);
            assertThatThrownBy(() -> heap.gc().setFinaliserApplier(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Gc.setFinaliserApplier: the applier is null");

            int[] applied = {0};
            heap.gc().setFinaliserApplier((function, value) -> applied[0]++);
            assertThatThrownBy(() -> heap.gc().finaliseWith(Value.NONE, v.get())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Gc.finalise: the heap function is NONE");
            assertThatThrownBy(() -> heap.gc().setFinaliserApplier(null)).isInstanceOf(IllegalArgumentException.class);
            heap.gc().finaliseWith(fn.get(), v.get());                      // now accepted, and called
            v.set(Value.UNIT);
            heap.gc().fullMajor();
            heap.poll();
            assertThat(applied[0]).isEqualTo(1);
            heap.verify();
        }
    }

    @Test
    void aDiscardedFinalizationMessageRefusesToGiveItsBlock() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            heap.messages().enable(Message.Type.FINALIZATION);
            heap.messages().finalize(fx.make(Kind.BLOCK));
            heap.gc().major();
            Message m = heap.messages().get(Message.Type.FINALIZATION);
            assertThat(m).isNotNull();
            heap.messages().discard(m);
            heap.messages().discard(m);                                         // twice: harmless
            assertThatThrownBy(((Message.Finalization) m)::ref).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Message.Finalization.ref");
            fx.checkConsistentAndUsable();
        }
    }

    @Test
    void badConfigurationIsRefusedByName() {
        HeapConfig c = HeapConfig.defaults();
        assertThatThrownBy(() -> c.minorHeapWords(255)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.minorHeapWords:");
        assertThatThrownBy(() -> c.minorHeapWords((1 << 28) + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.minorHeapWords:");
        assertThatThrownBy(() -> c.spaceOverhead(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.spaceOverhead:");
        assertThatThrownBy(() -> c.maxHeapWords(4095)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.maxHeapWords:");
        assertThatThrownBy(() -> c.initialHeapWords(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.initialHeapWords:");
        assertThatThrownBy(() -> c.heapIncrementPercent(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.heapIncrementPercent:");
        assertThatThrownBy(() -> c.heapIncrementPercent(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.heapIncrementPercent:");
        assertThatThrownBy(() -> c.finaliserErrorHandler(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.finaliserErrorHandler:");
        assertThatThrownBy(() -> c.spaceOverhead(1_000_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HeapConfig.spaceOverhead:");   // Gc.setSpaceOverhead's bound too
        assertThatThrownBy(() -> Heap.create(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Heap.create: config is null");
        try (Heap heap = Heap.create(c)) {
            assertThat(heap.gc().minorHeapWords()).isEqualTo(256 * 1024);   // the refused values changed nothing
        }
    }

    /**
     * A listener runs inside the collection it is told about (for {@code fullMajor}, between its
     * two cycles): closing the heap there would pull the memory from under the rest of it, so it
     * is refused, and the heap stays open and usable.
     */
    @Test
    void closingTheHeapFromAListenerIsRefused() {
        try (Fixture fx = new Fixture()) {
            int[] refused = {0};
            GcListener closer = new GcListener() {
                @Override
                public void collected(GcEvent event) {
                    tryToClose();
                }

                @Override
                public void starting(GcEvent.Kind kind, String reason) {
                    tryToClose();
                }

                private void tryToClose() {
                    assertThatThrownBy(fx.heap::close).isInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("Heap.close: the heap is collecting");
                    refused[0]++;
                }
            };
            fx.heap.gc().addListener(closer);
            fx.heap.gc().majorSlice(1);
            fx.heap.gc().fullMajor();
            fx.heap.gc().removeListener(closer);
            assertThat(refused[0]).isGreaterThanOrEqualTo(4);
            assertThat(fx.heap.isClosed()).isFalse();
            fx.checkConsistentAndUsable();
        }
    }

    /**
     * A listener must not allocate: it runs inside the collector's work. Told that a major cycle
     * starts, a block it allocated and rooted sat in the emptied nursery while the roots were
     * darkened as major blocks, and was coloured black there — the verifier found it in checked
     * mode, and with checked mode off the next minor collection lost it. Every allocation from
     * any listener call is refused, by name, and allocates nothing.
     */
    @Test
    void allocatingFromAListenerIsRefusedAndAllocatesNothing() {
        try (Fixture fx = new Fixture(); GlobalRoot kept = fx.heap.newGlobalRoot(Value.UNIT)) {
            Heap heap = fx.heap;
            int[] refused = {0};
            GcListener allocator = new GcListener() {
                @Override
                public void starting(GcEvent.Kind kind, String reason) {
                    tryToAllocate();
                }

                @Override
                public void slice(GcEvent event) {
                    tryToAllocate();
                }

                @Override
                public void collected(GcEvent event) {
                    tryToAllocate();
                }

                private void tryToAllocate() {
                    long words = heap.gc().stat().minorWords;
                    assertThatThrownBy(() -> kept.set(heap.alloc(0, Value.ofInt(42), Value.ofInt(43))))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage("Heap.alloc: a GcListener must not allocate in the heap"
                                    + " (called while listeners are told about a collection)");
                    assertThatThrownBy(() -> heap.alloc(0, Value.ofInt(1))).isInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("Heap.alloc: a GcListener must not allocate");
                    assertThatThrownBy(() -> heap.allocFields(0, Value.ofInt(1), Value.ofInt(2), Value.ofInt(3)))
                            .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("Heap.allocFields:");
                    assertThatThrownBy(() -> heap.allocBlock(0, 100_000)).as("a large block, in the major heap")
                            .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("Heap.allocBlock:");
                    assertThatThrownBy(() -> heap.ephemerons().k1().create()).as("an ephemeron, in the major heap")
                            .isInstanceOf(IllegalStateException.class);
                    assertThat(heap.gc().stat().minorWords).as("nothing allocated").isEqualTo(words);
                    refused[0]++;
                }
            };
            heap.gc().addListener(allocator);
            heap.gc().minor();
            heap.gc().majorSlice(1);
            heap.gc().fullMajor();
            heap.gc().compact();
            heap.gc().removeListener(allocator);
            assertThat(refused[0]).isGreaterThanOrEqualTo(8);
            assertThat(kept.get()).isEqualTo(Value.UNIT);
            kept.set(heap.alloc(0, Value.ofInt(42), Value.ofInt(43)));      // allocation works again
            heap.gc().fullMajor();
            assertThat(heap.field(kept.get(), 0)).isEqualTo(Value.ofInt(42));
            fx.checkConsistentAndUsable();
        }
    }

    /**
     * A listener that throws does not keep the others from being told — the library's own
     * listeners (the tables' collection clock, the MPS messages) count on every event: the first
     * exception reaches the caller once all have been told, later ones suppressed in it.
     */
    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromBeingTold() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            int[] told = {0};
            GcListener first = e -> {
                throw new IllegalStateException("first listener");
            };
            GcListener second = e -> {
                throw new IllegalArgumentException("second listener");
            };
            GcListener counter = e -> told[0]++;
            heap.gc().addListener(first);
            heap.gc().addListener(second);
            heap.gc().addListener(counter);
            assertThatThrownBy(() -> heap.gc().minor()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("first listener")
                    .satisfies(t -> assertThat(t.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("second listener"));
            assertThat(told[0]).as("the third listener was told").isEqualTo(1);
            heap.gc().removeListener(first);
            heap.gc().removeListener(second);
            heap.gc().removeListener(counter);
            fx.checkConsistentAndUsable();
        }
    }

    /**
     * A finaliser may close the heap. When it runs in the middle of an operation that has more
     * collector work to do — between {@code fullMajor}'s two cycles, before {@code compact}'s
     * second cycle, at an allocation when finalisers run there — the rest is refused with
     * {@link HeapClosedException} naming the operation, instead of running on freed memory.
     */
    @Test
    void aFinaliserThatClosesTheHeapEndsTheOperationCleanly() {
        for (String op : new String[] {"Gc.full_major", "Gc.compact", "Heap.alloc", "Gc.full_major first"}) {
            Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1024)
                    .runFinalisersOnAllocation(op.equals("Heap.alloc")));
            boolean first = op.endsWith(" first");
            if (first) { // Gc.finalise: the finaliser's value is in a handle of a scope it closes
                heap.gc().finalise(v -> heap.close(), heap.alloc(0, Value.ofInt(1)));
            } else {
                heap.gc().finaliseLast(heap::close, heap.alloc(0, Value.ofInt(1)));
            }
            String name = first ? op.substring(0, op.length() - " first".length()) : op;
            assertThatThrownBy(() -> {
                switch (name) {
                    case "Gc.full_major" -> heap.gc().fullMajor();
                    case "Gc.compact" -> heap.gc().compact();
                    default -> {
                        for (int i = 0; i < 10_000_000; i++) { // until a slice queues it, and it runs
                            heap.alloc(0, Value.ofInt(i), Value.ofInt(i));
                        }
                    }
                }
            }).as(name).isInstanceOf(HeapClosedException.class).hasMessage(name + ": the heap is closed");
            assertThat(heap.isClosed()).isTrue();
            heap.close(); // closing again does nothing
        }
    }

    /**
     * Small refusals a hostile tester found answered by the wrong name or not at all: blocks too
     * short for their tag's layout (hashing and comparing read a forward's field 0 and an
     * object's field 1), a byte out of 0..255, a payload size whose block would overflow, a
     * null heap given to the hash.
     */
    @Test
    void shapesBytesSizesAndNullHeapsAreAnsweredByName() {
        try (Fixture fx = new Fixture()) {
            Heap heap = fx.heap;
            assertThatThrownBy(() -> heap.allocBlock(dev.ephemera.object.Tag.FORWARD, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Heap.allocBlock: a block of tag 250 (forward) needs at least 1 field, got 0");
            assertThatThrownBy(() -> heap.allocBlock(dev.ephemera.object.Tag.OBJECT, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Heap.allocBlock: a block of tag 248 (object) needs at least 2 fields, got 1");
            assertThatThrownBy(() -> heap.alloc(dev.ephemera.object.Tag.OBJECT, Value.ofInt(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Heap.alloc: a block of tag 248 (object)");
            assertThatThrownBy(() -> heap.allocFields(dev.ephemera.object.Tag.FORWARD))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Heap.allocFields: a block of tag 250 (forward)");
            long object = heap.alloc(dev.ephemera.object.Tag.OBJECT, Value.ofInt(0), Value.ofInt(9)); // two: fine
            assertThat(heap.tag(object)).isEqualTo(dev.ephemera.object.Tag.OBJECT);

            long s = heap.allocString("ab");
            assertThatThrownBy(() -> heap.setByteAt(s, 0, 256)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Heap.setByteAt: byte 256 out of range [-128, 255]");
            assertThatThrownBy(() -> heap.setByteAt(s, 1, -129)).isInstanceOf(IllegalArgumentException.class);
            assertThat(heap.stringValue(s)).isEqualTo("ab");
            heap.setByteAt(s, 1, (byte) 0xE9);                                  // a Java byte: its unsigned value
            assertThat(heap.byteAt(s, 1)).isEqualTo(0xE9);
            assertThatThrownBy(() -> heap.stringValue(Value.UNIT)).isInstanceOf(dev.ephemera.NotABlockException.class)
                    .hasMessageStartingWith("Heap.stringValue:");
            assertThatThrownBy(() -> heap.stringValue(fx.get(Kind.BLOCK))).isInstanceOf(dev.ephemera.WrongTagException.class)
                    .hasMessageStartingWith("Heap.stringValue:");
            assertThatThrownBy(() -> heap.allocCustom(3, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Heap.allocCustom: payload size 2147483647 words out of range");
            assertThatThrownBy(() -> dev.ephemera.tables.OcamlHash.hash(null, fx.get(Kind.BLOCK)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("Hashtbl.hash: the heap is null");
            fx.checkConsistentAndUsable();
        }
    }

    /**
     * A guardian is an ordinary block, so its queue's fields can be overwritten through
     * {@code Heap.setField}: the queue is then lost, but delivery and {@code poll} go on without
     * following what is there, and the heap stays consistent.
     */
    @Test
    void aGuardianWhoseQueueFieldsWereOverwrittenStartsItsQueueAfresh() {
        try (Fixture fx = new Fixture(); Scope s = fx.heap.openScope()) {
            Heap heap = fx.heap;
            Handle g = s.handle(heap.guardians().make());
            Handle other = s.handle(heap.alloc(0, Value.ofInt(5), Value.ofInt(6), Value.ofInt(7)));
            for (int round = 0; round < 2; round++) {
                heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(1)));
                heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(1)));
                heap.gc().fullMajor();
                assertThat(Value.intOf(heap.field(heap.guardians().poll(g.get()), 0))).isEqualTo(1);
                // the queue holds one pair; its last pair is overwritten: by an immediate, then
                // by another block (a two-field block of tag 0 would pass for a pair: not this)
                heap.setField(g.get(), 2, round == 0 ? Value.ofInt(12345) : other.get());
                heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(2)));
                heap.gc().fullMajor();
                long back = heap.guardians().poll(g.get());
                assertThat(Value.intOf(heap.field(back, 0))).as("the queue started afresh").isEqualTo(2);
                assertThat(heap.guardians().poll(g.get())).isEqualTo(Value.NONE);
                assertThat(heap.field(other.get(), 1)).as("a block the tail named is untouched").isEqualTo(Value.ofInt(6));
            }
            heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(3)));
            heap.gc().fullMajor();
            heap.setField(g.get(), 1, Value.ofInt(777)); // the head overwritten: nothing to hand back
            assertThat(heap.guardians().poll(g.get())).isEqualTo(Value.NONE);
            heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(4)));
            heap.gc().fullMajor();
            assertThat(Value.intOf(heap.field(heap.guardians().poll(g.get()), 0))).isEqualTo(4);
            // the head emptied, the tail left: later hand-backs must not go after the orphaned tail
            heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(5)));
            heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(5)));
            heap.gc().fullMajor();
            assertThat(Value.intOf(heap.field(heap.guardians().poll(g.get()), 0))).isEqualTo(5);
            heap.setField(g.get(), 1, Value.NONE);
            heap.guardians().register(g.get(), heap.alloc(0, Value.ofInt(6)));
            heap.gc().fullMajor();
            assertThat(Value.intOf(heap.field(heap.guardians().poll(g.get()), 0))).isEqualTo(6);
            assertThat(heap.guardians().poll(g.get())).isEqualTo(Value.NONE);
            fx.checkConsistentAndUsable();
        }
    }
}
