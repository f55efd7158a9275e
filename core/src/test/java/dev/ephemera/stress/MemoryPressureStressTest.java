package dev.ephemera.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Long random runs against a small maximum heap ({@link HeapConfig#maxHeapWords}): structures
 * of every kind are built into roots until the heap is exhausted, again and again. Each time
 * the error must be a {@link HeapExhaustedException} naming the operation, the heap must pass
 * the verifier with every structure built so far intact, and once roots are dropped the heap
 * must give the memory back and allocate again.
 */
class MemoryPressureStressTest {
    private static final long MAX_HEAP_WORDS = 1 << 18;
    private static final int ROUNDS = Integer.getInteger("ephemera.stress.rounds", 40);
    private static final long SEED = Long.getLong("ephemera.stress.seed", 20_260_401L);

    /** A structure built into a root slot, with what it must still hold. */
    private record Built(int kind, int length, long checksum) {}

    @Test
    void theHeapLimitIsHitRepeatedlyAndEachTimeTheErrorIsCleanAndTheHeapRecovers() {
        Random rnd = new Random(SEED);
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).initialHeapWords(4096)
                .maxHeapWords(MAX_HEAP_WORDS).verifyEveryCollection(true))) {
            RootArea roots = heap.newRootArea(64, Rank.STRONG);
            List<Built> built = new ArrayList<>();
            int exhausted = 0;
            int[] finalised = {0};
            for (int round = 0; round < ROUNDS; round++) {
                try {
                    while (true) {
                        int kind = rnd.nextInt(5);
                        int length = 1 + rnd.nextInt(kind == 2 ? 8 : 3000);
                        roots.push(Value.NONE);
                        built.add(build(heap, roots, roots.used() - 1, kind, length, rnd, finalised));
                    }
                } catch (HeapExhaustedException e) {
                    exhausted++;
                    assertThat(e.getMessage()).as("the error names the operation").containsPattern(
                            "^(Heap\\.alloc|Heap\\.allocBlock|Heap\\.allocFields|Heap\\.allocArray|Ephemeron\\.K1\\.make|Weak\\.create"
                                    + "|Obj\\.Ephemeron\\.create)[a-zA-Z]*: heap exhausted");
                }
                heap.verify();
                roots.setUsed(built.size());                 // drop the structure being built when memory ran out
                for (int i = 0; i < built.size(); i++) {
                    check(heap, roots.get(i), built.get(i));
                }
                // Drop a random half of the structures (all of them every fourth round), collect, go on.
                int keep = round % 4 == 3 ? 0 : rnd.nextInt(built.size() + 1);
                built.subList(keep, built.size()).clear();
                roots.setUsed(keep);
                heap.gc().fullMajor();
                heap.verify();
                for (int i = 0; i < built.size(); i++) {
                    check(heap, roots.get(i), built.get(i));
                }
                long v = heap.allocBlock(0, 100);                  // usable again
                assertThat(heap.size(v)).isEqualTo(100);
            }
            assertThat(exhausted).isEqualTo(ROUNDS);
            System.out.printf("memory pressure: %d exhaustions, top heap %d words (max %d), %d finalisers run%n",
                    exhausted, heap.gc().stat().topHeapWords, MAX_HEAP_WORDS, finalised[0]);
            assertThat(finalised[0]).as("finalisers ran on dropped structures").isPositive();
            roots.setUsed(0);
            heap.gc().fullMajor();
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).as("nothing leaked (no handle left behind by a failed call)").isZero();
        }
    }

    @Test
    void aSingleBlockLargerThanTheHeapIsRefusedCleanly() {
        try (Heap heap = Heap.create(HeapConfig.defaults().maxHeapWords(MAX_HEAP_WORDS).verifyEveryCollection(true))) {
            long keep = heap.alloc(0, Value.ofInt(42));
            try (var root = heap.newGlobalRoot(keep)) {
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> heap.allocBlock(0, (int) MAX_HEAP_WORDS * 2))
                            .isInstanceOf(HeapExhaustedException.class).hasMessageStartingWith("Heap.allocBlock: heap exhausted");
                    assertThatThrownBy(() -> heap.allocArray((int) MAX_HEAP_WORDS, Value.ofInt(1)))
                            .isInstanceOf(HeapExhaustedException.class).hasMessageStartingWith("Heap.allocArray: heap exhausted");
                    assertThatThrownBy(() -> heap.weak().create((int) MAX_HEAP_WORDS))
                            .isInstanceOf(HeapExhaustedException.class).hasMessageStartingWith("Weak.create: heap exhausted");
                    heap.verify();
                    assertThat(heap.field(root.get(), 0)).isEqualTo(Value.ofInt(42));
                }
            }
        }
    }

    /**
     * Builds a structure of {@code kind} into root slot {@code slot}: 0 a list, 1 a list of
     * ephemerons keyed by the cells of a list, 2 a list of large blocks, 3 a list of weak arrays
     * over a list, 4 a list whose cells have finalisers.
     */
    private static Built build(Heap heap, RootArea roots, int slot, int kind, int length, Random rnd, int[] finalised) {
        long checksum = 0;
        switch (kind) {
            case 0, 4 -> {
                for (int i = 0; i < length; i++) {
                    long cell = heap.alloc(0, Value.ofInt(i), roots.get(slot));
                    roots.set(slot, cell);
                    if (kind == 4 && i % 7 == 0) {
                        heap.gc().finalise(v -> finalised[0]++, cell);
                    }
                    checksum += i;
                }
            }
            case 1 -> {
                // slot holds (keys . ephemerons): every ephemeron keeps data i while its key lives.
                roots.set(slot, heap.alloc(0, Value.NONE, Value.NONE));
                for (int i = 0; i < length; i++) {
                    long key = heap.alloc(0, Value.ofInt(i), heap.field(roots.get(slot), 0));
                    heap.setField(roots.get(slot), 0, key);
                    long data = heap.alloc(1, Value.ofInt(i));
                    long e = heap.ephemerons().k1().make(heap.field(roots.get(slot), 0), data);
                    long cell = heap.alloc(0, e, heap.field(roots.get(slot), 1));
                    heap.setField(roots.get(slot), 1, cell);
                    checksum += i;
                }
            }
            case 2 -> {
                for (int i = 0; i < length; i++) {
                    long big = heap.allocBlock(0, 1500 + rnd.nextInt(3000));
                    heap.setField(big, 0, Value.ofInt(i));
                    heap.setField(big, 1, roots.get(slot));
                    roots.set(slot, big);
                    checksum += i;
                }
            }
            default -> {
                roots.set(slot, heap.alloc(0, Value.NONE, Value.NONE));
                for (int i = 0; i < length; i++) {
                    long cell = heap.alloc(0, Value.ofInt(i), heap.field(roots.get(slot), 0));
                    heap.setField(roots.get(slot), 0, cell);
                    if (i % 16 == 0) {
                        long w = heap.weak().create(4);
                        heap.weak().fill(w, 0, 4, heap.field(roots.get(slot), 0));
                        long weakCell = heap.alloc(0, w, heap.field(roots.get(slot), 1));
                        heap.setField(roots.get(slot), 1, weakCell);
                    }
                    checksum += i;
                }
            }
        }
        return new Built(kind, length, checksum);
    }

    /** Checks that a structure holds what was built into it. */
    private static void check(Heap heap, long root, Built b) {
        long sum = 0;
        int n = 0;
        switch (b.kind()) {
            case 1 -> {
                for (long c = heap.field(root, 1); c != Value.NONE; c = heap.field(c, 1)) {
                    long data = heap.ephemerons().k1().getData(heap.field(c, 0));
                    if (data == Value.NONE) {
                        fail("an ephemeron whose key is alive lost its data");
                    }
                    sum += Value.intOf(heap.field(data, 0));
                    n++;
                }
            }
            case 3 -> {
                for (long c = heap.field(root, 0); c != Value.NONE; c = heap.field(c, 1)) {
                    sum += Value.intOf(heap.field(c, 0));
                    n++;
                }
                for (long c = heap.field(root, 1); c != Value.NONE; c = heap.field(c, 1)) {
                    assertThat(heap.weak().check(heap.field(c, 0), 3)).as("a weak slot to a live cell").isTrue();
                }
            }
            default -> {
                for (long c = root; c != Value.NONE; c = heap.field(c, 1)) {
                    sum += Value.intOf(heap.field(c, 0));
                    n++;
                }
            }
        }
        assertThat(n).as("length of a structure of kind %d", b.kind()).isEqualTo(b.length());
        assertThat(sum).isEqualTo(b.checksum());
    }
}
