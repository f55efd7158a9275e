package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MPS-style finalization messages and GC messages; Dybvig guardians. */
class MessagesAndGuardiansTest {

    private static long block(Heap heap, long id) {
        return heap.alloc(0, Value.ofInt(id), Value.NONE);
    }

    @Test
    void nRegistrationsGiveNMessagesEachKeepingTheBlockAliveAndFollowingIt() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Messages m = heap.messages();
            m.enable(Message.Type.FINALIZATION);
            Handle w = s.handle(heap.weak().create(1));
            long v = block(heap, 7);
            heap.weak().set(w.get(), 0, v);
            m.finalize(heap.weak().get(w.get(), 0));
            m.finalize(heap.weak().get(w.get(), 0));
            m.finalize(heap.weak().get(w.get(), 0));
            heap.gc().major();
            List<Message> got = new ArrayList<>();
            Message msg;
            while ((msg = m.get(Message.Type.FINALIZATION)) != null) {
                got.add(msg);
            }
            assertThat(got).hasSize(3);
            assertThat(got.get(0).clock()).isZero();
            long ref = ((Message.Finalization) got.get(0)).ref();
            assertThat(Value.intOf(heap.field(ref, 0))).isEqualTo(7);
            assertThat(heap.weak().get(w.get(), 0)).as("weak references to a finalized block are not splatted").isEqualTo(ref);
            // Undiscarded messages keep the block alive through further collections.
            heap.gc().fullMajor();
            assertThat(heap.weak().get(w.get(), 0)).isEqualTo(((Message.Finalization) got.get(2)).ref());
            m.discard(got.get(0));
            m.discard(got.get(1));
            heap.gc().fullMajor();
            assertThat(heap.weak().check(w.get(), 0)).isTrue();
            m.discard(got.get(2));
            heap.gc().fullMajor();
            assertThat(heap.weak().check(w.get(), 0)).as("dead once every message is discarded").isFalse();
            assertThatThrownBy(() -> ((Message.Finalization) got.get(0)).ref()).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * A collection's messages are posted within it, before any listener is told — whenever the
     * listener was added and the type enabled (the messages are not themselves a listener).
     */
    @Test
    void aCollectionsMessagesArePostedBeforeListenersAreTold() {
        try (Heap heap = TestHeaps.tiny()) {
            Messages m = heap.messages();
            java.util.List<Boolean> gcPostedAtCollected = new java.util.ArrayList<>();
            java.util.List<Message.Type> atStarting = new java.util.ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void starting(dev.ephemera.event.GcEvent.Kind kind, String reason) {
                    atStarting.add(m.queueType());
                }

                @Override
                public void collected(dev.ephemera.event.GcEvent event) {
                    gcPostedAtCollected.add(m.get(Message.Type.GC) != null);
                }
            });
            m.enable(Message.Type.GC_START);
            m.enable(Message.Type.GC);
            heap.gc().minor();
            assertThat(atStarting).containsExactly(Message.Type.GC_START);
            assertThat(gcPostedAtCollected).as("the GC message posted before the listener is told").containsExactly(true);
            assertThat(m.get(Message.Type.GC_START)).isNotNull();
            assertThat(m.poll()).isFalse();
        }
    }

    @Test
    void definalizeRemovesOnlyRegistrationsNotYetPosted() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Messages m = heap.messages();
            m.enable(Message.Type.FINALIZATION);
            Handle v = s.handle(block(heap, 1));
            assertThat(m.definalize(v.get())).as("nothing registered").isFalse();
            m.finalize(v.get());
            m.finalize(v.get());
            assertThat(m.definalize(v.get())).isTrue();
            v.set(Value.NONE);
            heap.gc().major();
            Message msg = m.get(Message.Type.FINALIZATION);
            assertThat(msg).isNotNull();
            assertThat(m.get(Message.Type.FINALIZATION)).isNull();
            long ref = ((Message.Finalization) msg).ref();
            assertThat(m.definalize(ref)).as("the remaining registration was already posted").isFalse();
            m.finalize(ref); // re-registering after the message is allowed
            m.discard(msg);
            heap.gc().major();
            assertThat(m.get(Message.Type.FINALIZATION)).isNotNull();
        }
    }

    @Test
    void messagesOfADisabledTypeAreDiscardedWhenPosted() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Messages m = heap.messages();
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, block(heap, 1));
            m.finalize(heap.weak().get(w.get(), 0));
            heap.gc().major();
            assertThat(m.poll()).isFalse();
            assertThat(heap.weak().check(w.get(), 0)).as("preserved in the cycle it became finalizable").isTrue();
            heap.gc().major();
            assertThat(heap.weak().check(w.get(), 0)).as("collectable once the message was dropped").isFalse();
            m.enable(Message.Type.GC);
            heap.gc().minor();
            assertThat(m.queueType()).isEqualTo(Message.Type.GC);
            m.disable(Message.Type.GC);
            assertThat(m.poll()).as("disabling flushes queued messages").isFalse();
        }
    }

    @Test
    void gcMessagesBracketEachCollectionWithReasonAndSizes() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Messages m = heap.messages();
            m.enable(Message.Type.GC_START);
            m.enable(Message.Type.GC);
            m.enable(Message.Type.FINALIZATION);
            Handle live = s.handle(heap.allocArray(50, Value.ofInt(1)));
            m.finalize(block(heap, 9));
            heap.gc().major();
            List<Message.Type> order = new ArrayList<>();
            List<Message> all = new ArrayList<>();
            while (m.poll()) {
                Message.Type t = m.queueType();
                Message msg = m.get(t);
                order.add(t);
                all.add(msg);
            }
            // minor: start, end; major: start, finalization, end
            assertThat(order).containsExactly(Message.Type.GC_START, Message.Type.GC,
                    Message.Type.GC_START, Message.Type.FINALIZATION, Message.Type.GC);
            Message.GcStart start = (Message.GcStart) all.get(2);
            assertThat(start.why()).isEqualTo("explicit major request");
            Message.Gc end = (Message.Gc) all.get(4);
            assertThat(end.liveSize()).isGreaterThanOrEqualTo(51 * 8);
            assertThat(end.condemnedSize()).isGreaterThanOrEqualTo(end.liveSize());
            Message.Gc minorEnd = (Message.Gc) all.get(1);
            assertThat(minorEnd.notCondemnedSize()).isPositive();
            assertThat(end.clock()).isGreaterThan(start.clock());
            assertThat(m.collections()).isEqualTo(2);
            all.forEach(m::discard);
            assertThat(live.get()).isNotEqualTo(Value.NONE);
        }
    }

    @Test
    void messageArgumentsAreChecked() {
        try (Heap heap = TestHeaps.tiny()) {
            assertThatThrownBy(() -> heap.messages().finalize(Value.ofInt(1))).isInstanceOf(NotABlockException.class)
                    .hasMessageContaining("Messages.finalize");
            assertThatThrownBy(() -> heap.messages().definalize(Value.NONE)).isInstanceOf(NotABlockException.class);
            heap.verify();
        }
    }

    @Test
    void aGuardianHandsBackEachUnreachableObjectOncePerRegistration() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle guardian = s.handle(g.make());
            Handle obj = s.handle(block(heap, 5));
            Handle kept = s.handle(block(heap, 6));
            g.register(guardian.get(), obj.get());
            g.register(guardian.get(), obj.get());
            g.register(guardian.get(), kept.get());
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, obj.get());
            assertThat(g.poll(guardian.get())).isEqualTo(Value.NONE);
            obj.set(Value.NONE);
            heap.gc().major();
            assertThat(heap.weak().check(w.get(), 0)).as("preserved for the guardian").isTrue();
            long first = g.poll(guardian.get());
            assertThat(Value.intOf(heap.field(first, 0))).isEqualTo(5);
            long second = g.poll(guardian.get());
            assertThat(second).isEqualTo(first);
            assertThat(g.poll(guardian.get())).isEqualTo(Value.NONE);
            heap.gc().fullMajor();
            assertThat(g.poll(guardian.get())).as("each registration fires once").isEqualTo(Value.NONE);
            assertThat(heap.weak().check(w.get(), 0)).isFalse();
            assertThat(Value.intOf(heap.field(kept.get(), 0))).isEqualTo(6);
        }
    }

    /**
     * A guardian is handed out as it is by {@code shallowCopy} and the {@code get_copy}
     * accessors, like a custom block or an ephemeron: a copy would be a second guardian sharing
     * the first's queue, and polling both handed the same object back twice.
     */
    @Test
    void aGuardianIsNeverCopiedSoNoObjectIsHandedBackTwice() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle guardian = s.handle(g.make());
            Handle obj = s.handle(block(heap, 5));
            g.register(guardian.get(), obj.get());
            obj.set(Value.NONE);
            heap.gc().major(); // obj is in the guardian's queue
            Handle copy = s.handle(heap.shallowCopy(guardian.get()));
            assertThat(copy.get()).as("shallowCopy of a guardian").isEqualTo(guardian.get());
            Handle w = s.handle(heap.weak().create(1));
            heap.weak().set(w.get(), 0, guardian.get());
            assertThat(heap.weak().getCopy(w.get(), 0)).as("Weak.get_copy of a guardian").isEqualTo(guardian.get());
            Handle e = s.handle(heap.ephemerons().k1().create());
            heap.ephemerons().k1().setKey(e.get(), guardian.get());
            heap.ephemerons().k1().setData(e.get(), guardian.get());
            assertThat(heap.ephemerons().k1().getKeyCopy(e.get())).isEqualTo(guardian.get());
            assertThat(heap.ephemerons().k1().getDataCopy(e.get())).isEqualTo(guardian.get());

            long first = g.poll(copy.get());
            assertThat(Value.intOf(heap.field(first, 0))).isEqualTo(5);
            assertThat(g.poll(guardian.get())).as("handed back once in all").isEqualTo(Value.NONE);
            heap.verify();
        }
    }

    @Test
    void aDeadGuardianPreservesNothingAndAReachableOneThroughResurrectionDoes() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle w = s.handle(heap.weak().create(2));
            long guardian = g.make();
            heap.weak().set(w.get(), 1, guardian);
            long obj = block(heap, 1);
            heap.weak().set(w.get(), 0, obj);
            g.register(heap.weak().get(w.get(), 1), heap.weak().get(w.get(), 0));
            heap.gc().fullMajor();
            assertThat(heap.weak().check(w.get(), 0)).isFalse();
            assertThat(heap.weak().check(w.get(), 1)).isFalse();

            // A guardian reachable only from an object another guardian preserves.
            Handle outer = s.handle(g.make());
            long inner = g.make();
            Handle holder = s.handle(heap.alloc(0, inner));
            g.register(outer.get(), holder.get());
            g.register(heap.field(holder.get(), 0), block(heap, 42));
            holder.set(Value.NONE);
            heap.gc().major();
            long back = g.poll(outer.get());
            long innerGuardian = heap.field(back, 0);
            long item = g.poll(innerGuardian);
            assertThat(Value.intOf(heap.field(item, 0))).isEqualTo(42);
        }
    }

    @Test
    void guardianArgumentsAreChecked() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle notGuardian = s.handle(block(heap, 1));
            assertThatThrownBy(() -> g.register(notGuardian.get(), block(heap, 2))).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("Guardians.register");
            Handle guardian = s.handle(g.make());
            assertThatThrownBy(() -> g.register(guardian.get(), Value.ofInt(3))).isInstanceOf(NotABlockException.class);
            assertThatThrownBy(() -> g.poll(Value.ofInt(3))).isInstanceOf(NotABlockException.class);
            assertThat(g.isGuardian(guardian.get())).isTrue();
            assertThat(g.isGuardian(notGuardian.get())).isFalse();
            heap.verify();
        }
    }

    /** Regression (found by the fuzzer): a young guardian that is garbage kept its young rows alive at a minor collection. */
    @Test
    void aYoungGuardianThatDiesAtAMinorCollectionKeepsNothing() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle w = s.handle(heap.weak().create(2));
            heap.weak().set(w.get(), 0, g.make());
            heap.weak().set(w.get(), 1, block(heap, 1));
            g.register(heap.weak().get(w.get(), 0), heap.weak().get(w.get(), 1));
            heap.gc().minor();
            assertThat(heap.weak().check(w.get(), 0)).as("the guardian").isFalse();
            assertThat(heap.weak().check(w.get(), 1)).as("its object").isFalse();
            // A young guardian that lives keeps its young object for a later major collection.
            Handle guardian = s.handle(g.make());
            Handle obj = s.handle(block(heap, 2));
            g.register(guardian.get(), obj.get());
            heap.gc().minor();
            obj.set(Value.NONE);
            heap.gc().major();
            assertThat(Value.intOf(heap.field(g.poll(guardian.get()), 0))).isEqualTo(2);
        }
    }

    /** Regression (found by the fuzzer): a finaliser throwing at the allocation of a guardian's queue cell lost the hand-back. */
    @Test
    void aFinaliserThrowingWhileAGuardianIsDeliveredLosesNothing() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).verifyEveryCollection(true)
                .runFinalisersOnAllocation(true)); Scope s = heap.openScope()) {
            Guardians g = heap.guardians();
            Handle guardian = s.handle(g.make());
            g.register(guardian.get(), block(heap, 3));
            heap.gc().finalise(v -> {
                throw new IllegalStateException("boom");
            }, block(heap, 4));
            // Collect without a safe point, so the finaliser is still queued when delivery allocates.
            long before = heap.gc().stat().majorCollections;
            while (heap.gc().stat().majorCollections == before) {
                heap.allocArray(300, Value.ofInt(0));
            }
            long back = Value.NONE;
            for (int attempt = 0; attempt < 3 && back == Value.NONE; attempt++) {
                try {
                    back = g.poll(guardian.get());
                } catch (IllegalStateException expected) {
                    assertThat(expected).hasMessage("boom");
                }
            }
            assertThat(Value.intOf(heap.field(back, 0))).isEqualTo(3);
        }
    }
}
