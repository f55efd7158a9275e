package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import dev.ephemera.tables.Hashtables;
import dev.ephemera.tables.Weakness;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Gc#compact}: the heap made dense, empty chunks given back, every reference of every
 * kind following the blocks that moved, raw pointers held across it reported as stale.
 */
class CompactionTest {
    private static Heap heap() {
        return Heap.create(HeapConfig.defaults().minorHeapWords(1 << 16).initialHeapWords(1 << 16)
                .verifyEveryCollection(true));
    }

    /** An array of {@code n} two-field blocks (i, -i), made old; every {@code keepEvery}-th kept. */
    private static Handle fragmented(Heap heap, Scope s, int n, int keepEvery) {
        Handle arr = s.handle(heap.allocArray(n, Value.NONE));
        for (int i = 0; i < n; i++) {
            heap.setField(arr.get(), i, heap.alloc(0, Value.ofInt(i), Value.ofInt(-i)));
        }
        heap.gc().fullMajor();
        for (int i = 0; i < n; i++) {
            if (i % keepEvery != 0) {
                heap.setField(arr.get(), i, Value.NONE);
            }
        }
        return arr;
    }

    private static void checkKept(Heap heap, Handle arr, int n, int keepEvery) {
        for (int i = 0; i < n; i += keepEvery) {
            long b = heap.field(arr.get(), i);
            assertThat(Value.intOf(heap.field(b, 0))).isEqualTo(i);
            assertThat(Value.intOf(heap.field(b, 1))).isEqualTo(-i);
        }
    }

    @Test
    void compactMakesTheHeapDenseAndGivesEmptyChunksBack() {
        try (Heap heap = heap(); Scope s = heap.openScope()) {
            Handle arr = fragmented(heap, s, 150_000, 64);
            heap.gc().fullMajor();
            GcStat before = heap.gc().stat();
            heap.gc().compact();
            GcStat after = heap.gc().stat();
            assertThat(after.compactions).isEqualTo(before.compactions + 1);
            assertThat(after.heapWords).isLessThan(before.heapWords / 2);
            assertThat(after.heapChunks).isLessThan(before.heapChunks);
            assertThat(after.liveWords).isEqualTo(before.liveWords);
            assertThat((double) after.heapWords / after.liveWords).isLessThan(1.5);
            checkKept(heap, arr, 150_000, 64);
            // the heap works as before: allocate, collect, compact again
            Handle more = fragmented(heap, s, 30_000, 2);
            heap.gc().compact();
            checkKept(heap, arr, 150_000, 64);
            checkKept(heap, more, 30_000, 2);
        }
    }

    /**
     * The compaction here is an automatic one, at the end of a cycle driven by allocation: the
     * finaliser and the guardian hand-back that cycle selects are still queued when it runs.
     */
    @Test
    void everyKindOfReferenceFollowsTheBlocksThatMove() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 16).initialHeapWords(1 << 16)
                .maxOverhead(1_000_000).verifyEveryCollection(true)); Scope s = heap.openScope()) {
            Handle sparse = fragmented(heap, s, 100_000, 50); // most pages nearly empty: much will move
            EphemeronK1 k1 = heap.ephemerons().k1();
            // one value of each kind, each held by one kind of reference, each in a sparse page
            Handle handleHeld = s.handle(heap.field(sparse.get(), 50));
            GlobalRoot global = heap.newGlobalRoot(heap.field(sparse.get(), 100));
            GlobalRoot weakGlobal = heap.newWeakRoot(heap.field(sparse.get(), 150));
            RootArea area = heap.newRootArea(2, Rank.STRONG);
            area.push(heap.field(sparse.get(), 200));
            RootArea weakArea = heap.newRootArea(2, Rank.WEAK);
            weakArea.push(heap.field(sparse.get(), 250));
            Handle eph = s.handle(k1.make(heap.field(sparse.get(), 300), heap.field(sparse.get(), 350)));
            Handle weak = s.handle(heap.weak().create(1));
            heap.weak().set(weak.get(), 0, heap.field(sparse.get(), 400));
            Handle guardian = s.handle(heap.guardians().make());
            Handle foreign = s.handle(heap.allocForeign("java object"));
            int hash = heap.identityHash(heap.field(sparse.get(), 450));
            Hashtables tables = Hashtables.of(heap);
            Handle t = s.handle(tables.makeEq(Weakness.EPHEMERAL_KEY, 16));
            tables.set(t.get(), heap.field(sparse.get(), 450), Value.ofInt(450));
            List<Long> finalised = new ArrayList<>();
            heap.gc().finalise(v -> finalised.add(heap.field(v.get(), 0)), heap.field(sparse.get(), 500));
            heap.guardians().register(guardian.get(), heap.field(sparse.get(), 550));
            heap.gc().fullMajor();
            // the finalised and guarded values die: queued, resurrected, not yet run or polled
            heap.setField(sparse.get(), 500, Value.NONE);
            heap.setField(sparse.get(), 550, Value.NONE);
            heap.gc().setMaxOverhead(100);
            Handle ring = s.handle(heap.allocArray(20_000, Value.NONE));
            for (int i = 0; i < 10_000_000 && heap.gc().stat().compactions == 0; i++) {
                // promoted, then garbage: drives major cycles; allocation is not a safe point
                heap.setField(ring.get(), i % 20_000, heap.alloc(0, Value.ofInt(i), Value.NONE));
            }
            assertThat(heap.gc().stat().compactions).isEqualTo(1);
            assertThat(heap.gc().pendingFinalisers()).as("queued while the compaction moved it").isEqualTo(1);
            assertThat(finalised).isEmpty();
            checkKept(heap, sparse, 100_000, 50 * 100_000); // element 0 only
            assertThat(Value.intOf(heap.field(handleHeld.get(), 0))).isEqualTo(50);
            assertThat(Value.intOf(heap.field(global.get(), 0))).isEqualTo(100);
            assertThat(Value.intOf(heap.field(weakGlobal.get(), 0))).isEqualTo(150);
            assertThat(Value.intOf(heap.field(area.get(0), 0))).isEqualTo(200);
            assertThat(Value.intOf(heap.field(weakArea.get(0), 0))).isEqualTo(250);
            assertThat(Value.intOf(heap.field(k1.getKey(eph.get()), 0))).isEqualTo(300);
            assertThat(Value.intOf(heap.field(k1.getData(eph.get()), 0))).isEqualTo(350);
            assertThat(Value.intOf(heap.field(heap.weak().get(weak.get(), 0), 0))).isEqualTo(400);
            assertThat(heap.identityHash(heap.field(sparse.get(), 450))).as("the hash moved with the block").isEqualTo(hash);
            assertThat(tables.ref(t.get(), heap.field(sparse.get(), 450), Value.FALSE))
                    .as("an identity table finds its key without a rehash").isEqualTo(Value.ofInt(450));
            assertThat(heap.foreign(foreign.get())).isEqualTo("java object");
            heap.poll(); // the queued finaliser and hand-back, both moved while queued
            assertThat(finalised).containsExactly(Value.ofInt(500));
            assertThat(Value.intOf(heap.field(heap.guardians().poll(guardian.get()), 0))).isEqualTo(550);
            area.close();
            weakArea.close();
            global.close();
            weakGlobal.close();
        }
    }

    @Test
    void aRawPointerHeldAcrossACompactionIsReportedAsStale() {
        try (Heap heap = heap(); Scope s = heap.openScope()) {
            Handle sparse = fragmented(heap, s, 100_000, 64);
            long raw = heap.field(sparse.get(), 64 * 100);
            heap.gc().compact();
            if (CheckedMode.ON) {
                assertThatThrownBy(() -> heap.field(raw, 0)).isInstanceOf(StalePointerException.class);
            }
            assertThat(Value.intOf(heap.field(heap.field(sparse.get(), 64 * 100), 0))).isEqualTo(6400);
        }
    }

    @Test
    void theHeapIsCompactedWhenACycleEndsWithFreeWordsOverMaxOverhead() {
        List<GcEvent> compactions = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 16).initialHeapWords(1 << 16)
                .maxOverhead(200).verifyEveryCollection(true)); Scope s = heap.openScope()) {
            heap.gc().addListener(e -> {
                if (e.kind == GcEvent.Kind.COMPACTION) {
                    compactions.add(e);
                }
            });
            Handle arr = fragmented(heap, s, 100_000, 64);
            heap.gc().fullMajor();
            heap.gc().fullMajor();
            assertThat(compactions).isNotEmpty();
            assertThat(compactions.get(0).reason).contains("max_overhead");
            assertThat(heap.gc().stat().compactions).isEqualTo(compactions.size());
            checkKept(heap, arr, 100_000, 64);
        }
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 16).initialHeapWords(1 << 16)
                .maxOverhead(1_000_000)); Scope s = heap.openScope()) {
            fragmented(heap, s, 100_000, 64);
            heap.gc().fullMajor();
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().compactions).as("1000000 disables it").isZero();
            assertThat(heap.gc().maxOverhead()).isEqualTo(1_000_000);
            heap.gc().setMaxOverhead(100);
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().compactions).as("set at run time").isPositive();
        }
    }

    /**
     * A heap whose data changed shape: most small blocks dropped, larger ones kept. Free words
     * stay far below max_overhead percent of live, but those in the small class's pages serve
     * no other size: the sparse-page test compacts them away.
     */
    @Test
    void theHeapIsCompactedWhenFreeWordsAreTrappedInSparsePages() {
        List<GcEvent> compactions = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 20).initialHeapWords(1 << 16)
                .incremental(false).verifyEveryCollection(false)); Scope s = heap.openScope()) {
            heap.gc().addListener(e -> {
                if (e.kind == GcEvent.Kind.COMPACTION) {
                    compactions.add(e);
                }
            });
            int n = 1_200_000;
            Handle small = fragmented(heap, s, n, 64); // 3.6M words of 3-word cells, 1 in 64 kept
            Handle large = s.handle(heap.allocArray(300_000, Value.NONE));
            for (int i = 0; i < 300_000; i++) {
                heap.setField(large.get(), i, heap.allocFields(0, new long[13]));
            }
            heap.gc().major(); // cycles 2 and 3 (automatic compaction waits for a third)
            heap.gc().major();
            GcStat st = heap.gc().stat();
            assertThat(compactions).isNotEmpty();
            assertThat(compactions.get(0).reason).contains("sparse pages");
            assertThat(100.0 * compactions.get(0).heapWordsBefore / compactions.get(0).liveWordsAfter)
                    .as("free words were under max_overhead: only the sparse-page test could fire")
                    .isLessThan(100 + heap.gc().maxOverhead());
            assertThat((double) st.heapWords / st.liveWords).isLessThan(1.5);
            checkKept(heap, small, n, 64);
            assertThat(heap.size(heap.field(large.get(), 299_999))).isEqualTo(13);
        }
    }

    @Test
    void theJvmHeapShrinksOnceCompactionGaveChunksBack() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 16).initialHeapWords(1 << 16)
                .maxOverhead(1_000_000)); Scope s = heap.openScope()) {
            fragmented(heap, s, 600_000, 64); // about 15 MB of chunks, 1/64 of it live
            heap.gc().fullMajor();
            long heapBytesBefore = heap.gc().stat().heapWords * 8;
            long jvmBefore = usedAfterGc(memory);
            heap.gc().compact();
            long released = heapBytesBefore - heap.gc().stat().heapWords * 8;
            assertThat(released).isGreaterThan(8L << 20);
            long jvmAfter = usedAfterGc(memory);
            assertThat(jvmBefore - jvmAfter).as("the JVM's heap use falls by most of what was released")
                    .isGreaterThan(released / 2);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        System.gc();
        Thread.sleep(100);
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
