package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Gc.full_major}: two major collections, the second elided exactly when it could not
 * change anything (see {@link Gc#fullMajor}). Each test checks the elision against a real
 * collection run afterwards, and the cases where the second collection must really run.
 */
class FullMajorTest {
    private static List<GcEvent> majors(Heap heap) {
        List<GcEvent> events = new ArrayList<>();
        heap.gc().addListener(e -> {
            if (e.kind == GcEvent.Kind.MAJOR) {
                events.add(e);
            }
        });
        return events;
    }

    @Test
    void withNothingToFinaliseTheSecondCollectionIsElidedAndARealOneFindsNothingMore() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Weak weak = heap.weak();
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle live = s.handle(heap.alloc(0, Value.ofInt(1), Value.NONE));
            Handle w = s.handle(weak.create(2));
            weak.set(w.get(), 0, live.get());
            weak.set(w.get(), 1, heap.alloc(0, Value.ofInt(2))); // dies
            Handle e = s.handle(k1.make(heap.alloc(0, Value.ofInt(3)), live.get())); // key dies
            long data = heap.alloc(0, Value.ofInt(4)); // before live.get(): an allocation may move live
            Handle e2 = s.handle(k1.make(live.get(), data)); // kept
            for (int i = 0; i < 1000; i++) {
                heap.alloc(0, Value.ofInt(i), Value.NONE); // garbage
            }
            List<GcEvent> events = majors(heap);
            long before = heap.gc().majorCollections();

            heap.gc().fullMajor();

            assertThat(heap.gc().majorCollections() - before).isEqualTo(2); // as OCaml counts
            assertThat(events).hasSize(2);
            assertThat(events.get(0).reason).doesNotContain("elided");
            assertThat(events.get(1).reason).contains("elided");
            assertThat(weak.check(w.get(), 0)).isTrue();
            assertThat(weak.check(w.get(), 1)).isFalse();
            assertThat(k1.checkKey(e.get())).isFalse();
            assertThat(k1.checkData(e.get())).isFalse();
            assertThat(k1.checkData(e2.get())).isTrue();
            long liveWords = heap.gc().stat().liveWords;

            heap.gc().major(); // a real collection: the elided one would have found this
            assertThat(events.get(2).reason).doesNotContain("elided");
            assertThat(heap.gc().stat().liveWords).isEqualTo(liveWords);
            assertThat(weak.check(w.get(), 0)).isTrue();
            assertThat(k1.checkData(e2.get())).isTrue();
            heap.verify();
        }
    }

    @Test
    void aFinaliseFirstValueIsCollectedByTheSecondCollection() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Weak weak = heap.weak();
            Handle w = s.handle(weak.create(1));
            int[] calls = {0};
            long v = heap.alloc(0, Value.ofInt(7));
            weak.set(w.get(), 0, v);
            heap.gc().finalise(h -> calls[0]++, v);
            List<GcEvent> events = majors(heap);

            heap.gc().fullMajor();

            // The first collection resurrected v for its finaliser, which ran between the two;
            // the second, really run, found v dead and cleared the weak pointer (OCaml's order).
            assertThat(calls[0]).isEqualTo(1);
            assertThat(events).hasSize(2).noneMatch(e -> e.reason.contains("elided"));
            assertThat(weak.check(w.get(), 0)).isFalse();
        }
    }

    @Test
    void aFinaliserThatDropsARootBetweenTheCollectionsMakesTheSecondOneRun() {
        try (Heap heap = TestHeaps.tiny()) {
            Weak weak = heap.weak();
            GlobalRoot w = heap.newGlobalRoot(weak.create(1));
            GlobalRoot other = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(9)));
            weak.set(w.get(), 0, other.get());
            // A finalise-last function (no resurrection) that drops a root when it runs.
            heap.gc().finaliseLast(other::close, heap.alloc(0, Value.ofInt(8)));
            List<GcEvent> events = majors(heap);

            heap.gc().fullMajor();

            assertThat(events).hasSize(2).noneMatch(e -> e.reason.contains("elided"));
            assertThat(weak.check(w.get(), 0)).isFalse(); // freed by the second collection
            w.close();
        }
    }

    @Test
    void withGcMessagesEnabledBothCollectionsRunAndPostTheirMessages() {
        try (Heap heap = TestHeaps.tiny()) {
            heap.messages().enable(Message.Type.GC);
            List<GcEvent> events = majors(heap);
            heap.gc().fullMajor();
            assertThat(events).hasSize(2).noneMatch(e -> e.reason.contains("elided"));
        }
    }
}
