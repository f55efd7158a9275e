package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * {@code forced_major_collections} as OCaml 4.14's {@code gc_ctrl.c} counts it (and 4.13.1
     * was seen to): one per {@code full_major} and per {@code compact}, none for {@code major};
     * counted once both cycles are done, before the second cycle's finalisers run. The cycles
     * finished at once rather than in slices are counted apart.
     */
    @Test
    void forcedMajorCollectionsCountsTheFullCollectionsAskedForAsOcamlDoes() {
        try (Heap heap = TestHeaps.tiny()) {
            Gc gc = heap.gc();
            GcStat s0 = gc.stat();
            gc.major();
            GcStat s1 = gc.stat();
            assertThat(s1.forcedMajorCollections - s0.forcedMajorCollections).isZero();
            assertThat(s1.majorCyclesFinishedAtOnce - s0.majorCyclesFinishedAtOnce).isEqualTo(1);

            gc.fullMajor();
            GcStat s2 = gc.stat();
            assertThat(s2.forcedMajorCollections - s1.forcedMajorCollections).isEqualTo(1);
            assertThat(s2.majorCollections - s1.majorCollections).isEqualTo(2);
            assertThat(s2.majorCyclesFinishedAtOnce - s1.majorCyclesFinishedAtOnce).isEqualTo(2);

            gc.compact();
            GcStat s3 = gc.stat();
            assertThat(s3.forcedMajorCollections - s2.forcedMajorCollections).isEqualTo(1);
            assertThat(s3.compactions - s2.compactions).isEqualTo(1);
            assertThat(s3.toString()).contains("\nforced_major_collections: " + s3.forcedMajorCollections + "\n")
                    .contains("\nmajor_cycles_finished_at_once: " + s3.majorCyclesFinishedAtOnce + "\n");
        }
    }

    @Test
    void aFullMajorWhoseFirstFinaliserRaisesSkipsItsSecondCycleAndIsNotCounted() {
        try (Heap heap = TestHeaps.tiny()) {
            Gc gc = heap.gc();
            gc.finalise(h -> {
                throw new IllegalStateException("first cycle's finaliser");
            }, heap.alloc(0, Value.ofInt(1)));
            GcStat before = gc.stat();

            assertThatThrownBy(gc::fullMajor).isInstanceOf(IllegalStateException.class)
                    .hasMessage("first cycle's finaliser");

            GcStat after = gc.stat();
            assertThat(after.majorCollections - before.majorCollections).isEqualTo(1);
            assertThat(after.forcedMajorCollections).isEqualTo(before.forcedMajorCollections);
            heap.verify();
        }
    }

    @Test
    void aFullMajorWhoseSecondCyclesFinaliserRaisesIsCounted() {
        try (Heap heap = TestHeaps.tiny()) {
            Gc gc = heap.gc();
            // The first cycle's finaliser makes a value with a raising finaliser, unreachable:
            // the second cycle selects it, and its finaliser runs at the call's last safe point.
            gc.finalise(h -> gc.finalise(h2 -> {
                throw new IllegalStateException("second cycle's finaliser");
            }, heap.alloc(0, Value.ofInt(2))), heap.alloc(0, Value.ofInt(1)));
            GcStat before = gc.stat();

            assertThatThrownBy(gc::fullMajor).isInstanceOf(IllegalStateException.class)
                    .hasMessage("second cycle's finaliser");

            GcStat after = gc.stat();
            assertThat(after.majorCollections - before.majorCollections).isEqualTo(2);
            assertThat(after.forcedMajorCollections - before.forcedMajorCollections).isEqualTo(1);
            heap.verify();
        }
    }
}
