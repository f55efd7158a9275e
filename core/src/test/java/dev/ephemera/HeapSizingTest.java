package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Heap sizing at every limit: any maximum heap that can hold a block can
 * allocate it. A block of fewer than 1,024 fields takes a cell of a 4,096-word page, a larger one
 * a chunk of its own of {@code size + 1} words; the smallest maximum is one page. The heap once
 * took its first chunk as large as the maximum, so with a maximum of 2<sup>20</sup> words or less
 * no block of 1,024 words or more could ever be allocated, even on an empty heap.
 */
class HeapSizingTest {
    private static final int PAGE = 4096;

    /** The sizes to try under a maximum of {@code max} words: every boundary, up to one past the limit. */
    private static TreeSet<Long> sizes(long max) {
        TreeSet<Long> s = new TreeSet<>(List.of(0L, 1L, 2L, 255L, 256L, 257L, 1022L, 1023L, 1024L, 1025L, 2000L,
                4095L, 4096L, 4097L));
        for (long d = -3; d <= 1; d++) {
            s.add(max + d);
        }
        s.add(max / 2);
        s.add(max / 8);
        s.removeIf(n -> n < 0 || n > Header.MAX_SIZE_WORDS);
        return s;
    }

    /** Whether a block of {@code size} fields fits a heap of at most {@code max} words. */
    private static boolean fits(long size, long max) {
        return size < 1024 ? max >= PAGE : size + 1 <= max;
    }

    @Test
    void everyBlockThatFitsTheMaximumCanBeAllocatedOnAnEmptyHeap() {
        long[] maxes = {4096, 4097, 5000, 8191, 8192, 12_288, 65_536, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
            (1 << 20) + 1025, 3 << 20, 1 << 22};
        List<String> wrong = new ArrayList<>();
        int allocated = 0;
        for (long max : maxes) {
            for (long size : sizes(max)) {
                // the default initial heap (2^20 words) and a tiny one; the default nursery and a tiny one
                for (int variant = 0; variant < 3; variant++) {
                    HeapConfig config = HeapConfig.defaults().maxHeapWords(max).verifyEveryCollection(true);
                    if (variant == 1) {
                        config.minorHeapWords(256);
                    } else if (variant == 2) {
                        config.minorHeapWords(256).initialHeapWords(PAGE);
                    }
                    try (Heap heap = Heap.create(config)) {
                        String outcome = tryAllocate(heap, (int) size);
                        boolean ok = outcome == null;
                        if (ok != fits(size, max)) {
                            wrong.add("max " + max + " words, block of " + size + " words (variant " + variant + "): "
                                    + (ok ? "allocated, but it cannot fit" : outcome));
                        }
                        if (ok) {
                            allocated++;
                            // and again, once the first one is garbage
                            heap.gc().fullMajor();
                            String again = tryAllocate(heap, (int) size);
                            if (again != null) {
                                wrong.add("max " + max + ", block of " + size + ", second time: " + again);
                            }
                        }
                        heap.verify();
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(allocated).isGreaterThan(300);
    }

    /** Allocates a block of {@code size} words and checks it; null, or what went wrong. */
    private static String tryAllocate(Heap heap, int size) {
        long v;
        try {
            v = heap.allocArray(size, Value.ofInt(7));
        } catch (HeapExhaustedException e) {
            assertThat(e.getMessage()).startsWith("Heap.allocArray: heap exhausted");
            return e.getMessage();
        }
        assertThat(heap.size(v)).isEqualTo(size);
        if (size > 0) {
            assertThat(heap.field(v, size - 1)).isEqualTo(Value.ofInt(7));
            heap.setField(v, 0, Value.ofInt(8));
        }
        return null;
    }

    @Test
    void aLargeBlockFindsRoomBesideLiveSmallData() {
        for (long max : new long[] {1 << 16, 1 << 18, 1 << 20, (1 << 20) + 3, 1 << 21}) {
            try (Heap heap = Heap.create(HeapConfig.defaults().maxHeapWords(max).minorHeapWords(1024)
                    .verifyEveryCollection(true));
                 Scope s = heap.openScope()) {
                // a list of small blocks holding at most a sixteenth of the maximum, promoted
                Handle list = s.handle(Value.NONE);
                long cells = max / 16 / 3;
                for (long i = 0; i < cells; i++) {
                    list.set(heap.alloc(0, Value.ofInt(i), list.get()));
                }
                heap.gc().fullMajor();
                // everything else of the maximum but a page and the chunks the list may occupy
                int size = (int) (max - max / 8 - PAGE - 1);
                Handle big = s.handle(heap.allocArray(size, Value.ofInt(1)));
                assertThat(heap.size(big.get())).isEqualTo(size);
                long n = 0;
                for (long l = list.get(); l != Value.NONE; l = heap.field(l, 1)) {
                    assertThat(heap.field(l, 0)).isEqualTo(Value.ofInt(cells - 1 - n));
                    n++;
                }
                assertThat(n).isEqualTo(cells);
                // a block that would take the heap past its maximum is refused, cleanly
                assertThatThrownBy(() -> heap.allocArray((int) max, Value.NONE))
                        .isInstanceOf(HeapExhaustedException.class);
                heap.verify();
            }
        }
    }

    @Test
    void aTwoThousandWordVectorUnderAOneMegawordMaximumWithLiveData() {
        // the audit's case: `ephemera run --max-heap-words 1048576` could not even start
        try (Heap heap = Heap.create(HeapConfig.defaults().maxHeapWords(1 << 20).verifyEveryCollection(true));
             Scope s = heap.openScope()) {
            Handle keep = s.handle(Value.NONE);
            for (int i = 0; i < 20_000; i++) {
                keep.set(heap.alloc(0, Value.ofInt(i), keep.get()));
            }
            heap.gc().major();
            for (int round = 0; round < 100; round++) {
                long v = heap.allocArray(2000, Value.ofInt(round));
                assertThat(heap.field(v, 1999)).isEqualTo(Value.ofInt(round));
            }
            assertThat(heap.field(keep.get(), 0)).isEqualTo(Value.ofInt(19_999));
        }
    }

    @Test
    void lowestMaximumStillHoldsSmallBlocks() {
        try (Heap heap = Heap.create(HeapConfig.defaults().maxHeapWords(PAGE).minorHeapWords(256)
                .verifyEveryCollection(true));
             Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            assertThatThrownBy(() -> {
                for (int i = 0; ; i++) {
                    list.set(heap.alloc(0, Value.ofInt(i), list.get()));
                }
            }).isInstanceOf(HeapExhaustedException.class);
            // a page of 3-word cells holds 1,365 of them (a few hundred more wait in the nursery)
            long n = 0;
            for (long l = list.get(); l != Value.NONE; l = heap.field(l, 1)) {
                n++;
            }
            assertThat(n).isGreaterThanOrEqualTo(PAGE / 3);
            heap.verify();
            list.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).isZero();
            assertThat(heap.size(heap.alloc(0, Value.ofInt(1), Value.NONE))).isEqualTo(2);
        }
    }

    /** A heap of {@code max} words whose initial heap is {@code initial} words, verified after every collection. */
    private static Heap sized(long max, long initial) {
        return Heap.create(HeapConfig.defaults().maxHeapWords(max).initialHeapWords(initial).minorHeapWords(1 << 14)
                .verifyEveryCollection(true));
    }

    @Test
    void theWholeInitialHeapIsAllocatedAtCreationAsOcamlsHIs() {
        // three times the largest chunk the heap takes at once (an eighth of the maximum)
        long initial = 3L << 17;
        try (Heap heap = sized(1 << 20, initial)) {
            assertThat(heap.gc().stat().heapWords).isBetween(initial, initial + PAGE);
        }
        try (Heap heap = sized(1 << 20, 1 << 22)) {
            assertThat(heap.gc().stat().heapWords).as("capped at the maximum").isEqualTo(1 << 20);
        }
        try (Heap heap = sized(200_000, 1 << 20)) { // eighths of the maximum are not whole pages
            assertThat(heap.gc().stat().heapWords).as("whole pages, within the maximum").isBetween(200_000L - PAGE, 200_000L);
        }
        try (Heap heap = sized(1 << 20, 0)) {
            assertThat(heap.gc().stat().heapWords).isZero();
            assertThat(heap.field(heap.alloc(0, Value.ofInt(7)), 0)).isEqualTo(Value.ofInt(7));
        }
    }

    @Test
    void sweepsAndCompactionsGiveBackWhatTheHeapGrewByButNotTheInitialHeap() {
        long initial = 3L << 16;
        try (Heap heap = sized(1 << 21, initial);
             Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < 200_000; i++) { // 600,000 words: past the initial heap
                list.set(heap.alloc(0, Value.ofInt(i), list.get()));
            }
            heap.gc().fullMajor();
            long grown = heap.gc().stat().heapWords;
            assertThat(grown).isGreaterThan(initial + (1 << 18));
            list.set(Value.NONE);
            // the sweeps give back empty chunks: down to one and a half times the free space the
            // next cycle needs, 1.5 * 4 nurseries once nothing lives, which is below the initial heap
            heap.gc().fullMajor();
            heap.gc().fullMajor();
            long swept = heap.gc().stat().heapWords;
            assertThat(swept).isLessThan(grown).isGreaterThanOrEqualTo(initial);
            Handle garbage = s.handle(Value.NONE);
            for (int i = 0; i < 200_000; i++) { // grow again; an eighth of it (75,000 words) stays
                long cell = heap.alloc(0, Value.ofInt(i), i % 8 == 0 ? list.get() : garbage.get());
                (i % 8 == 0 ? list : garbage).set(cell);
            }
            heap.gc().fullMajor();
            garbage.set(Value.NONE);
            heap.gc().compact(); // moves what lives out of sparse chunks, then gives back the empty ones
            long compacted = heap.gc().stat().heapWords;
            assertThat(compacted).isLessThan(grown).isGreaterThanOrEqualTo(initial);
            long n = 0;
            for (long l = list.get(); l != Value.NONE; l = heap.field(l, 1)) {
                assertThat(heap.field(l, 0)).isEqualTo(Value.ofInt(199_992 - 8 * n));
                n++;
            }
            assertThat(n).isEqualTo(25_000);
        }
    }

    @Test
    void aCompactionEmptiesChunksOfTheInitialHeapForALargeBlockAtTheMaximum() {
        // the default initial heap (2^20 words) fills this maximum: every chunk is the initial heap's
        try (Heap heap = Heap.create(HeapConfig.defaults().maxHeapWords(1 << 20).minorHeapWords(1 << 14)
                .verifyEveryCollection(true));
             Scope s = heap.openScope()) {
            assertThat(heap.gc().stat().heapWords).isEqualTo(1 << 20);
            Handle kept = s.handle(Value.NONE);
            Handle dropped = s.handle(Value.NONE);
            for (int i = 0; i < 300_000; i++) { // 900,000 words, a third of them kept, spread over every chunk
                Handle h = i % 3 == 0 ? kept : dropped;
                h.set(heap.alloc(0, Value.ofInt(i), h.get()));
            }
            dropped.set(Value.NONE);
            heap.gc().fullMajor();
            heap.gc().compact();
            assertThat(heap.gc().stat().heapWords).as("the initial heap is kept").isEqualTo(1 << 20);
            long big = heap.allocArray(300_000, Value.ofInt(5)); // room only in chunks the compaction emptied
            assertThat(heap.field(big, 299_999)).isEqualTo(Value.ofInt(5));
            long n = 0;
            for (long l = kept.get(); l != Value.NONE; l = heap.field(l, 1)) {
                n++;
            }
            assertThat(n).isEqualTo(100_000);
        }
    }

    @Test
    void anInitialHeapIsKeptOnlyWithinTheMaximum() {
        // (one the JVM cannot give is refused as exhaustion: stress/JvmMemoryScenario, in 64 MiB)
        try (Heap heap = sized(1 << 22, Long.MAX_VALUE)) {
            assertThat(heap.gc().stat().heapWords).isEqualTo(1 << 22);
        }
        try (Heap heap = sized(1 << 22, 1 << 21)) {
            heap.gc().setMaxHeapWords(1 << 20); // below the initial heap: it is kept only within the maximum
            for (int i = 0; i < 3; i++) {
                heap.gc().compact();
            }
            assertThat(heap.gc().stat().heapWords).isLessThanOrEqualTo(1 << 20);
            long before = heap.gc().stat().majorCollections;
            for (int i = 0; i < 10_000; i++) {
                heap.alloc(0, Value.ofInt(i), Value.NONE);
            }
            heap.gc().minor();
            assertThat(heap.gc().stat().majorCollections - before).as("no collection forced by the limit").isLessThanOrEqualTo(1);
        }
    }
}
