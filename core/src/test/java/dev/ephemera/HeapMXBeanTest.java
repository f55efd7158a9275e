package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The heap's MBean, read and driven through the platform MBean server from another thread, as JConsole would. */
class HeapMXBeanTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    /** A thread that is not the heap's owner: JMX calls come from such a thread. */
    private final ExecutorService jmx = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        jmx.shutdownNow();
    }

    private <T> T fromJmx(Callable<T> call) throws Exception {
        return jmx.submit(call).get();
    }

    private static ObjectName nameOf(String heap) throws Exception {
        return new ObjectName("dev.ephemera:type=Heap,name=" + heap);
    }

    /** MBeans are registered on a background thread: wait for what has been asked so far. */
    private static void registered() throws InterruptedException {
        HeapMonitor.awaitRegistrations();
    }

    @Test
    void theAttributesAreTheHeapsStatisticsAsOfItsLastCollection() throws Exception {
        List<GcEvent> events = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().name("mbean-stats")); Scope s = heap.openScope()) {
            ObjectName on = nameOf("mbean-stats");
            registered();
            assertThat(server.isRegistered(on)).isTrue();
            assertThat(fromJmx(() -> server.getAttribute(on, "Name"))).isEqualTo("mbean-stats");
            assertThat(fromJmx(() -> server.getAttribute(on, "Collections"))).isEqualTo(0L);
            assertThat(fromJmx(() -> server.getAttribute(on, "LastCollection"))).isEqualTo("");

            heap.gc().addListener(events::add);
            List<GcEvent> slices = new ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent e) {
                }

                @Override
                public void slice(GcEvent e) {
                    slices.add(e);
                }
            });
            Handle keep = s.handle(heap.allocArray(1000, Value.ofInt(7)));
            heap.gc().minor();
            heap.gc().major();
            GcStat stat = heap.gc().stat();

            assertThat(fromJmx(() -> server.getAttribute(on, "MinorCollections"))).isEqualTo(stat.minorCollections);
            assertThat(fromJmx(() -> server.getAttribute(on, "MajorCollections"))).isEqualTo(stat.majorCollections);
            assertThat(fromJmx(() -> server.getAttribute(on, "Collections")))
                    .isEqualTo(stat.minorCollections + stat.majorCollections).isEqualTo((long) events.size());
            assertThat(fromJmx(() -> server.getAttribute(on, "HeapWords"))).isEqualTo(stat.heapWords);
            assertThat(fromJmx(() -> server.getAttribute(on, "LiveWords"))).isEqualTo(stat.liveWords);
            assertThat(fromJmx(() -> server.getAttribute(on, "FreeWords"))).isEqualTo(stat.freeWords);
            assertThat(fromJmx(() -> server.getAttribute(on, "TopHeapWords"))).isEqualTo(stat.topHeapWords);
            long total = events.stream().mapToLong(e -> e.pauseNanos).sum();
            long max = events.stream().mapToLong(e -> e.pauseNanos).max().orElseThrow();
            assertThat(fromJmx(() -> server.getAttribute(on, "TotalPauseMillis"))).isEqualTo(total / 1e6);
            assertThat(fromJmx(() -> server.getAttribute(on, "MaxPauseMillis"))).isEqualTo(max / 1e6);
            long maxMinor = events.stream().filter(e -> e.kind == GcEvent.Kind.MINOR).mapToLong(e -> e.pauseNanos)
                    .max().orElseThrow();
            long maxSlice = slices.stream().mapToLong(e -> e.pauseNanos).max().orElseThrow();
            assertThat(fromJmx(() -> server.getAttribute(on, "MaxMinorPauseMillis"))).isEqualTo(maxMinor / 1e6);
            assertThat(fromJmx(() -> server.getAttribute(on, "MaxSlicePauseMillis"))).isEqualTo(maxSlice / 1e6);
            assertThat(fromJmx(() -> server.getAttribute(on, "LastCollection")))
                    .isEqualTo(events.get(events.size() - 1).logLine());
            assertThat(keep.get()).isNotEqualTo(Value.NONE);
        }
    }

    /**
     * The last collection's line is the last event's, whatever its kind — a minor collection, a
     * slice, a cycle's end, a compaction: the MBean copies the collector's report, which one
     * report object serves for all of them.
     */
    @Test
    void theLastCollectionIsTheLastEventOfEveryKind() throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().name("mbean-last").sliceWords(64));
             Scope s = heap.openScope()) {
            ObjectName on = nameOf("mbean-last");
            registered();
            List<GcEvent> told = new ArrayList<>();
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent e) {
                    told.add(e);
                }

                @Override
                public void slice(GcEvent e) {
                    told.add(e);
                }
            });
            Handle keep = s.handle(heap.allocArray(100, Value.ofInt(1)));
            List<GcEvent.Kind> seen = new ArrayList<>();
            Runnable[] steps = {() -> heap.gc().minor(), () -> heap.gc().majorSlice(0), () -> heap.gc().major(),
                () -> heap.gc().compact()};
            for (Runnable step : steps) {
                step.run();
                GcEvent last = told.get(told.size() - 1);
                seen.add(last.kind);
                assertThat(fromJmx(() -> server.getAttribute(on, "LastCollection"))).isEqualTo(last.logLine());
            }
            assertThat(seen).containsExactly(GcEvent.Kind.MINOR, GcEvent.Kind.MAJOR_SLICE, GcEvent.Kind.MAJOR,
                    GcEvent.Kind.COMPACTION);
            assertThat(keep.get()).isNotEqualTo(Value.NONE);
        }
    }

    @Test
    void anOperationIsQueuedAndCarriedOutByTheOwnerAtItsNextSafePoint() throws Exception {
        List<GcEvent> events = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().name("mbean-ops"))) {
            heap.gc().addListener(events::add);
            ObjectName on = nameOf("mbean-ops");
            registered();
            HeapMXBean proxy = JMX.newMXBeanProxy(server, on, HeapMXBean.class);

            String answer = fromJmx(proxy::fullMajor);
            assertThat(answer).contains("queued", "fullMajor", "safe point");
            assertThat(fromJmx(proxy::getPendingRequest)).isEqualTo("fullMajor");
            assertThat(events).as("nothing runs on the JMX thread").isEmpty();

            heap.poll();
            assertThat(events).extracting(e -> e.kind).containsExactly(GcEvent.Kind.MAJOR, GcEvent.Kind.MAJOR);
            assertThat(events.get(1).reason).contains("full_major");
            assertThat(fromJmx(proxy::getPendingRequest)).isEqualTo("none");
            assertThat(fromJmx(proxy::getMajorCollections)).isEqualTo(2L);

            events.clear();
            fromJmx(proxy::minor);
            heap.gc().major(); // an explicit collection is a safe point too
            assertThat(events).extracting(e -> e.kind)
                    .containsExactly(GcEvent.Kind.MAJOR, GcEvent.Kind.MINOR);
            assertThat(events.get(1).reason).isEqualTo("explicit minor request");
        }
    }

    @Test
    void requestsCoalesceAndTheStrongestRuns() throws Exception {
        List<GcEvent> events = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().name("mbean-coalesce"))) {
            heap.gc().addListener(events::add);
            ObjectName on = nameOf("mbean-coalesce");
            registered();
            fromJmx(() -> server.invoke(on, "minor", null, null));
            fromJmx(() -> server.invoke(on, "compact", null, null));
            fromJmx(() -> server.invoke(on, "minor", null, null));
            assertThat(fromJmx(() -> server.getAttribute(on, "PendingRequest"))).isEqualTo("compact");

            heap.poll();
            assertThat(events).extracting(e -> e.kind)
                    .containsExactly(GcEvent.Kind.MAJOR, GcEvent.Kind.MAJOR, GcEvent.Kind.COMPACTION);
            events.clear();
            heap.poll();
            assertThat(events).as("a request runs once").isEmpty();
        }
    }

    @Test
    void closingTheHeapUnregistersItsMBeanAndDropsItsRequests() throws Exception {
        ObjectName on = nameOf("mbean-close");
        Heap heap = Heap.create(HeapConfig.defaults().name("mbean-close"));
        registered();
        fromJmx(() -> server.invoke(on, "fullMajor", null, null));
        heap.close();
        registered();
        assertThat(server.isRegistered(on)).isFalse();
        try (Heap again = Heap.create(HeapConfig.defaults().name("mbean-close"))) {
            assertThat(again.name()).as("the name is free again").isEqualTo("mbean-close");
        }
    }

    @Test
    void severalHeapsGetUniqueNames() throws Exception {
        try (Heap a = Heap.create(HeapConfig.defaults().name("twin"));
             Heap b = Heap.create(HeapConfig.defaults().name("twin"));
             Heap c = Heap.create(); Heap d = Heap.create()) {
            registered();
            assertThat(a.name()).isEqualTo("twin");
            assertThat(b.name()).startsWith("twin-");
            assertThat(c.name()).startsWith("heap-").isNotEqualTo(d.name());
            for (Heap h : List.of(a, b, c, d)) {
                assertThat(server.isRegistered(nameOf(h.name()))).isTrue();
                assertThat(server.getAttribute(nameOf(h.name()), "Name")).isEqualTo(h.name());
            }
        }
    }

    @Test
    void aNameThatNeedsQuotingIsQuoted() throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().name("scheme, a=1"))) {
            registered();
            ObjectName on = new ObjectName("dev.ephemera:type=Heap,name=" + ObjectName.quote("scheme, a=1"));
            assertThat(server.getAttribute(on, "Name")).isEqualTo("scheme, a=1");
        }
    }

    @Test
    void creatingAHeapDoesNotWaitForJmxAndAClosedHeapIsNeverLeftRegistered() throws Exception {
        // close before the background registration has necessarily run: the unregistration
        // is ordered after it, so nothing stays registered
        for (int i = 0; i < 50; i++) {
            Heap.create(HeapConfig.defaults().name("short-lived")).close();
        }
        registered();
        assertThat(server.queryNames(new ObjectName("dev.ephemera:type=Heap,name=short-lived*"), null)).isEmpty();
    }

    @Test
    void theMBeanCanBeTurnedOff() throws Exception {
        try (Heap heap = Heap.create(HeapConfig.defaults().name("mbean-off").mbean(false))) {
            assertThat(heap.name()).isEqualTo("mbean-off");
            registered();
            assertThat(server.isRegistered(nameOf("mbean-off"))).isFalse();
            heap.gc().minor();
            heap.poll();
        }
    }

    @Test
    void aHeapDroppedWithoutCloseIsUnregisteredOnceCollected() throws Exception {
        ObjectName on = nameOf(dropAHeap());
        registered();
        assertThat(server.isRegistered(on)).isTrue();
        for (int i = 0; i < 200 && server.isRegistered(on); i++) {
            System.gc();
            Thread.sleep(10);
            registered();
        }
        assertThat(server.isRegistered(on)).as("the MBean does not keep its heap alive").isFalse();
    }

    private static String dropAHeap() {
        Heap heap = Heap.create(HeapConfig.defaults().name("mbean-dropped").minorHeapWords(256));
        heap.gc().minor();
        return heap.name();
    }
}
