package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Limits, threads, closing, statistics, the GC log and listeners, configuration. */
class HeapLifecycleTest {
    @Test
    void exhaustionIsACleanExceptionAndTheHeapRecoversOnceRootsAreDropped() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1024).maxHeapWords(200_000)
                .verifyEveryCollection(true))) {
            for (int round = 0; round < 3; round++) {
                RootArea area = heap.newRootArea(16, Rank.STRONG);
                assertThatThrownBy(() -> {
                    for (int i = 0; ; i++) {
                        area.push(heap.allocArray(500, Value.ofInt(i)));
                    }
                }).isInstanceOf(HeapExhaustedException.class).hasMessageContaining("heap exhausted");
                heap.verify();
                assertThat(heap.gc().stat().liveWords).isLessThanOrEqualTo(200_000);
                area.close();
                heap.gc().fullMajor();
                assertThat(heap.gc().stat().liveWords).isZero();
                long v = heap.allocArray(500, Value.ofInt(1));
                assertThat(heap.size(v)).isEqualTo(500);
            }
            // Small blocks hit the limit through promotion.
            RootArea area = heap.newRootArea(16, Rank.STRONG);
            assertThatThrownBy(() -> {
                for (int i = 0; ; i++) {
                    area.push(heap.alloc(0, Value.ofInt(i), Value.NONE));
                }
            }).isInstanceOf(HeapExhaustedException.class);
            area.close();
            heap.gc().fullMajor();
            heap.verify();
        }
    }

    @Test
    void aLongRunOfGarbageKeepsTheHeapBounded() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).verifyEveryCollection(false));
             Scope s = heap.openScope()) {
            Handle keep = s.handle(heap.allocArray(1000, Value.NONE));
            long maxHeap = 0;
            for (int i = 0; i < 3_000_000; i++) {
                long v = heap.alloc(0, Value.ofInt(i), Value.NONE);
                if (i % 10 == 0) {
                    heap.setField(keep.get(), (i / 10) % 1000, v); // survives a while, then is garbage in the old generation
                    maxHeap = Math.max(maxHeap, heap.gc().stat().heapWords);
                }
            }
            assertThat(heap.gc().stat().majorCollections).isPositive();
            assertThat(maxHeap).as("heap_words stays bounded").isLessThan(2_000_000);
            heap.verify();
        }
    }

    @Test
    void statisticsFollowOcamlsDefinitions() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            GcStat before = heap.gc().stat();
            Handle keep = s.handle(Value.NONE);
            for (int i = 0; i < 1000; i++) {
                keep.set(heap.alloc(0, Value.ofInt(i), keep.get()));
            }
            heap.gc().fullMajor();
            GcStat st = heap.gc().stat();
            assertThat(st.minorWords - before.minorWords).isGreaterThanOrEqualTo(3000);
            assertThat(st.promotedWords).isGreaterThanOrEqualTo(3000).isLessThanOrEqualTo(st.minorWords);
            assertThat(st.majorWords).isGreaterThanOrEqualTo(st.promotedWords);
            assertThat(st.minorCollections).isPositive();
            assertThat(st.majorCollections).isGreaterThanOrEqualTo(2);
            assertThat(st.liveWords).isEqualTo(3000);
            assertThat(st.heapWords).isGreaterThanOrEqualTo(st.liveWords + st.freeWords - 1_000_000);
            assertThat(st.topHeapWords).isGreaterThanOrEqualTo(st.heapWords);
            assertThat(st.heapChunks).isPositive();
            assertThat(st.toString()).contains("minor_words: ", "top_heap_words: ");
            assertThat(heap.gc().minorWords()).isEqualTo(st.minorWords);
        }
    }

    @Test
    void theGcLogHasOneLinePerCollectionAndListenersSeeEveryEvent() {
        List<String> log = new ArrayList<>();
        List<GcEvent> events = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).gcLog(log::add))) {
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent event) {
                    events.add(event);
                }

                @Override
                public void starting(GcEvent.Kind kind, String reason) {
                    starts.add(kind + ":" + reason);
                }
            });
            heap.gc().minor();
            heap.alloc(0, Value.ofInt(1), Value.NONE);
            heap.gc().major(); // a minor collection first, since the nursery is not empty
            assertThat(log).hasSize(3);
            assertThat(log.get(0)).matches("\\[gc\\] minor #1 reason=\"explicit minor request\" pause=\\d+\\.\\d{3}ms before=\\d+w promoted=\\d+w heap=\\d+w");
            assertThat(log.get(2)).startsWith("[gc] major #1").contains("after=", "heap=");
            assertThat(events).extracting(e -> e.kind).containsExactly(GcEvent.Kind.MINOR, GcEvent.Kind.MINOR, GcEvent.Kind.MAJOR);
            assertThat(events.get(2).phaseNanos).containsKeys(dev.ephemera.event.Phase.MARK, dev.ephemera.event.Phase.SWEEP);
            assertThat(starts).containsExactly("MINOR:explicit minor request", "MINOR:explicit major request",
                    "MAJOR:explicit major request");
            heap.gc().setLog(null);
            heap.gc().minor();
            assertThat(log).hasSize(3);
            assertThatThrownBy(() -> heap.gc().addListener(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Gc.addListener");
        }
    }

    /**
     * Listeners are told in the order they were added; removing one stops it alone (its first
     * registration, if added twice), also from inside a notification, which sees the listeners
     * as they were when the collection ended.
     */
    @Test
    void removingAListenerStopsThatOneAloneInTheOrderTheyWereAdded() {
        List<String> told = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256))) {
            GcListener a = e -> told.add("a");
            GcListener b = e -> told.add("b");
            GcListener selfRemoving = new GcListener() {
                @Override
                public void collected(GcEvent e) {
                    told.add("s");
                    heap.gc().removeListener(this);
                }
            };
            heap.gc().addListener(a);
            heap.gc().addListener(selfRemoving);
            heap.gc().addListener(b);
            heap.gc().addListener(a);
            heap.gc().minor();
            assertThat(told).containsExactly("a", "s", "b", "a");
            told.clear();
            heap.gc().removeListener(a);
            heap.gc().removeListener(e -> told.add("never added")); // nothing to remove
            heap.gc().minor();
            assertThat(told).containsExactly("b", "a");
            told.clear();
            heap.gc().removeListener(b);
            heap.gc().removeListener(a);
            heap.gc().minor();
            assertThat(told).isEmpty();
        }
    }

    @Test
    void controlsCanBeReadAndChanged() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle h = s.handle(heap.allocString("survives a resize"));
            heap.gc().setMinorHeapWords(8192);
            assertThat(heap.gc().minorHeapWords()).isEqualTo(8192);
            assertThat(heap.stringValue(h.get())).isEqualTo("survives a resize");
            heap.gc().setSpaceOverhead(80);
            assertThat(heap.gc().spaceOverhead()).isEqualTo(80);
            heap.gc().setMaxHeapWords(1 << 22);
            assertThat(heap.gc().maxHeapWords()).isEqualTo(1 << 22);
            assertThatThrownBy(() -> heap.gc().setMinorHeapWords(10)).hasMessageContaining("minor_heap_size");
            assertThatThrownBy(() -> heap.gc().setSpaceOverhead(0)).hasMessageContaining("space_overhead");
            assertThatThrownBy(() -> heap.gc().setMaxHeapWords(10)).hasMessageContaining("max_heap_words");
            assertThatThrownBy(() -> HeapConfig.defaults().minorHeapWords(1)).hasMessageContaining("HeapConfig.minorHeapWords");
            assertThatThrownBy(() -> HeapConfig.defaults().maxHeapWords(1)).hasMessageContaining("HeapConfig.maxHeapWords");
            assertThatThrownBy(() -> HeapConfig.defaults().spaceOverhead(0)).hasMessageContaining("HeapConfig.spaceOverhead");
            assertThatThrownBy(() -> HeapConfig.defaults().heapIncrementPercent(0)).hasMessageContaining("heapIncrementPercent");
            heap.verify();
        }
    }

    @Test
    void aHeapBelongsToOneThreadAtATimeAndCanBeHandedOver() throws Exception {
        Heap heap = TestHeaps.tiny();
        long v = heap.allocString("x");
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                heap.gc().minor();
            } catch (Throwable e) {
                error.set(e);
            }
        }, "intruder");
        t.start();
        t.join();
        assertThat(error.get()).isInstanceOf(WrongThreadException.class).hasMessageContaining("Gc.minor")
                .hasMessageContaining("intruder");
        AtomicReference<String> result = new AtomicReference<>();
        Thread next = new Thread(() -> {
            try (Scope s = heap.openScope()) {
                result.set(heap.stringValue(s.handle(heap.allocString("from the new owner")).get()));
                heap.gc().fullMajor();
            } finally {
                heap.close();
            }
        }, "new owner");
        heap.transferTo(next);
        assertThatThrownBy(() -> heap.allocString("y")).isInstanceOf(WrongThreadException.class);
        next.start();
        next.join();
        assertThat(result.get()).isEqualTo("from the new owner");
        assertThat(heap.isClosed()).isTrue();
        assertThat(v).isNotZero();
    }

    @Test
    void aClosedHeapRefusesEveryOperation() {
        Heap heap = TestHeaps.tiny();
        long v = heap.allocString("x");
        GlobalRoot root = heap.newGlobalRoot(v);
        heap.close();
        heap.close(); // harmless
        assertThatThrownBy(() -> heap.allocString("y")).isInstanceOf(HeapClosedException.class).hasMessageContaining("Heap.allocString");
        assertThatThrownBy(() -> heap.gc().minor()).isInstanceOf(HeapClosedException.class);
        assertThatThrownBy(heap::openScope).isInstanceOf(HeapClosedException.class);
        assertThatThrownBy(() -> heap.stringValue(v)).isInstanceOf(HeapClosedException.class);
        assertThatThrownBy(root::get).isInstanceOf(HeapClosedException.class);
        assertThatThrownBy(heap::poll).isInstanceOf(HeapClosedException.class);
    }

    @Test
    void severalHeapsLiveSideBySideWithoutSharingAnything() {
        try (Heap a = TestHeaps.tiny(); Heap b = TestHeaps.tiny(); Scope sa = a.openScope(); Scope sb = b.openScope()) {
            Handle ha = sa.handle(a.allocString("a"));
            Handle hb = sb.handle(b.allocString("b"));
            for (int i = 0; i < 1000; i++) {
                a.alloc(0, Value.ofInt(i), Value.NONE);
            }
            a.gc().fullMajor();
            assertThat(a.stringValue(ha.get())).isEqualTo("a");
            assertThat(b.stringValue(hb.get())).isEqualTo("b");
            assertThat(b.gc().stat().majorCollections).isZero();
        }
    }

    @Test
    void identityHashesAreStoredAndSurviveMoves() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle h = s.handle(heap.alloc(0, Value.ofInt(1)));
            int hash = heap.identityHash(h.get());
            assertThat(hash).isPositive().isLessThan(1 << 22);
            heap.gc().minor();
            assertThat(heap.identityHash(h.get())).isEqualTo(hash);
            heap.gc().fullMajor();
            assertThat(heap.identityHash(h.get())).isEqualTo(hash);
            long other = heap.alloc(0, Value.ofInt(1));
            assertThat(heap.identityHash(other)).isNotEqualTo(hash);
        }
    }

    @Test
    void foreignBoxesHoldJavaObjectsAsLongAsTheyLive() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Object payload = new Object();
            Handle box = s.handle(heap.allocForeign(payload));
            heap.allocForeign("dropped");
            heap.gc().fullMajor();
            assertThat(heap.foreign(box.get())).isSameAs(payload);
            assertThat(heap.isForeign(box.get())).isTrue();
            assertThatThrownBy(() -> heap.foreign(heap.allocString("no"))).isInstanceOf(WrongTagException.class);
            assertThatThrownBy(() -> heap.setRawField(box.get(), 1, 0)).hasMessageContaining("read-only");
            assertThatThrownBy(() -> heap.allocCustom(dev.ephemera.object.layout.ForeignLayout.FOREIGN_KIND, 1))
                    .hasMessageContaining("reserved");
        }
    }
}
