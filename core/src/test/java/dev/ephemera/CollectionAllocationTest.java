package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedTypes;
import dev.ephemera.tables.K1Table;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a collection costs the JVM's own heap. Every byte of Java garbage a minor collection makes
 * brings the JVM's next young collection nearer, and with a large ephemera heap each of those
 * stops the mutator for milliseconds: a collection nobody listens to allocates nothing — no
 * event, no log line nobody reads, no message nobody enabled, no flight-recorder event nobody
 * records, no empty finaliser batch, no iterator — and one with a listener, its event.
 */
class CollectionAllocationTest {
    private static final int MINORS = 200;

    @Test
    void aMinorCollectionMakesLittleJavaGarbage() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096))) {
            long perMinor = 0;
            for (int round = 0; round < 3; round++) { // the last round: the code is compiled
                long minors = heap.gc().stat().minorCollections; // (a GcStat: outside the count)
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MINORS * 4096 / 3; i++) {
                    heap.alloc(0, Value.ofInt(1), Value.ofInt(2)); // garbage: the heap never grows
                }
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                long ran = heap.gc().stat().minorCollections - minors;
                assertThat(ran).isGreaterThanOrEqualTo(MINORS / 2);
                perMinor = bytes / ran;
            }
            // Measured: 0.42 KB (the event and the monitor's snapshot), 1.1 KB in the tests'
            // checked mode (its pointer checks); 0.45 KB more when a Budget, method references
            // and iterators were made per collection; 3.2 KB when every collection also formatted
            // its log line, built unwanted messages and events, and copied its phase times twice.
            assertThat(perMinor).as("Java bytes allocated per minor collection").isLessThan(1280);
        }
    }

    /**
     * The heap's defaults (its MBean on), the verifier off (it allocates, by design, in the
     * tests' checked mode): minor collections and paced major slices, with nothing listening,
     * allocate nothing once the code is compiled, and a cycle a little (about 200 bytes,
     * measured) — and a listener brings the events back.
     */
    @Test
    void aCollectionNobodyListensToAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        // never compacting: a compaction (the CI's stress run makes one at every cycle's end)
        // allocates its plan, and is not what this counts
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).verifyEveryCollection(false)
                     .maxOverhead(1_000_000));
             RootArea roots = heap.newRootArea(2, Rank.STRONG)) {
            roots.setUsed(2);
            roots.slots()[0] = heap.allocArray(1000, Value.UNIT); // old: its stores drive the pacing
            // a weak table, which follows the collections without a listener
            K1Table table = K1Table.make(heap, HashedTypes.eq());
            roots.slots()[1] = table.create(16);
            table.replace(roots.slots()[1], heap.alloc(0, Value.ofInt(1)), Value.ofInt(1));
            long[] collections = new long[3];
            long quiet = 0;
            for (int round = 0; round < 4; round++) { // the later rounds: the code is compiled
                collections[0] = heap.gc().minorCollections();
                collections[1] = heap.gc().majorSlices();
                collections[2] = heap.gc().majorCollections();
                long before = threads.getCurrentThreadAllocatedBytes();
                churn(heap, roots);
                quiet = threads.getCurrentThreadAllocatedBytes() - before;
            }
            long minors = heap.gc().minorCollections() - collections[0];
            long slices = heap.gc().majorSlices() - collections[1];
            long cycles = heap.gc().majorCollections() - collections[2];
            assertThat(minors).isGreaterThanOrEqualTo(MINORS);
            assertThat(slices).as("paced major slices").isGreaterThan(cycles);
            // 8 bytes a collection at most: the odd allocation of a rarely taken path, never an
            // object per collection (the smallest Java object is 16 bytes, an event 200 or more)
            assertThat(quiet).as("Java bytes allocated by %d minor collections and %d slices (%d cycles)",
                    minors, slices, cycles).isLessThan(8 * (minors + slices) + 512 * cycles);

            List<GcEvent> told = new ArrayList<>();
            heap.gc().addListener(told::add);
            long before = threads.getCurrentThreadAllocatedBytes();
            churn(heap, roots);
            long listened = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(told).hasSizeGreaterThanOrEqualTo(MINORS);
            assertThat(listened).as("with a listener, an event per collection").isGreaterThan(40L * told.size())
                    // the event, its primitive phase times and their map: 240 bytes measured (464
                    // when the times were an EnumMap of boxed values, copied twice)
                    .isLessThan(320L * told.size());
        }
    }

    /** Short-lived pairs, every 64th stored into the old array: minor collections and slices. */
    private static void churn(Heap heap, RootArea roots) {
        for (int i = 0; i < MINORS * 4096 / 3; i++) {
            long pair = heap.alloc(0, Value.ofInt(i), Value.ofInt(2));
            if ((i & 63) == 0) {
                heap.setField(roots.slots()[0], (i >> 6) % 1000, pair);
            }
        }
    }

    @Test
    void phaseTimesAreReportedInTheOrderThePhasesRun() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096))) {
            List<GcEvent> events = new ArrayList<>();
            heap.gc().addListener(events::add);
            heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
            heap.gc().minor();
            heap.gc().fullMajor();
            for (GcEvent e : events) {
                assertThat(new ArrayList<>(e.phaseNanos.keySet())).as("%s: in the order the phases run", e.kind)
                        .isSorted();
            }
            GcEvent minor = events.stream().filter(e -> e.kind == GcEvent.Kind.MINOR).findFirst().orElseThrow();
            assertThat(minor.phaseNanos).containsKey(Phase.MINOR_ROOTS);
            GcEvent major = events.stream().filter(e -> e.kind == GcEvent.Kind.MAJOR).findFirst().orElseThrow();
            assertThat(major.phaseNanos.keySet()).hasSizeGreaterThan(1);
        }
    }
}
