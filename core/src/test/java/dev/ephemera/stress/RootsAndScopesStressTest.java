package dev.ephemera.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.TestHeaps;
import dev.ephemera.object.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many roots of every kind made and released while a tiny nursery makes the heap collect all
 * the time: scopes opened and closed by the hundred thousand, nested deeply; global roots, weak
 * roots and root areas created, reused and released. Every value a root holds is checked
 * against what was put there, and once everything is released nothing may stay alive.
 */
class RootsAndScopesStressTest {
    private static final long SEED = 77;

    /** A block holding {@code n}, young; its pointer is valid until the next allocation. */
    private static long box(Heap heap, int n) {
        return heap.alloc(0, Value.ofInt(n));
    }

    private static int unbox(Heap heap, long v) {
        return (int) Value.intOf(heap.field(v, 0));
    }

    @Test
    void hundredsOfThousandsOfScopesOpenedAndClosedNestedUpToAThousandDeep() {
        Random rnd = new Random(SEED);
        try (Heap heap = TestHeaps.tiny()) {
            Deque<Scope> scopes = new ArrayDeque<>();
            Deque<List<Handle>> handles = new ArrayDeque<>();
            Deque<List<Integer>> expected = new ArrayDeque<>();
            int opened = 0;
            int maxDepth = 0;
            int counter = 0;
            while (opened < 200_000) {
                boolean open = scopes.isEmpty() || scopes.size() < 1000 && rnd.nextInt(100) < (opened % 20_000 < 10_000 ? 60 : 40);
                if (open) {
                    scopes.push(heap.openScope());
                    handles.push(new ArrayList<>());
                    expected.push(new ArrayList<>());
                    opened++;
                    maxDepth = Math.max(maxDepth, scopes.size());
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        long v = box(heap, ++counter);
                        handles.peek().add(scopes.peek().handle(v));
                        expected.peek().add(counter);
                    }
                } else {
                    List<Handle> hs = handles.pop();
                    List<Integer> ex = expected.pop();
                    for (int i = 0; i < hs.size(); i++) {
                        assertThat(unbox(heap, hs.get(i).get())).isEqualTo(ex.get(i));
                    }
                    scopes.pop().close();
                }
                if (rnd.nextInt(1000) == 0) {
                    heap.gc().major();
                }
            }
            while (!scopes.isEmpty()) {
                handles.pop();
                expected.pop();
                scopes.pop().close();
            }
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).as("every handle released").isZero();
            assertThat(maxDepth).isEqualTo(1000);
        }
    }

    @Test
    void globalAndWeakRootsCreatedReusedAndReleasedByTheHundredThousand() {
        Random rnd = new Random(SEED);
        // A 4k-word nursery: with 100k roots, a minor collection every few allocations would be all this test does.
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).verifyEveryCollection(true))) {
            List<GlobalRoot> strong = new ArrayList<>();
            List<Integer> strongValues = new ArrayList<>();
            List<GlobalRoot> weak = new ArrayList<>();
            List<Integer> weakValues = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                int r = rnd.nextInt(10);
                if (r < 4 || strong.isEmpty()) {
                    long v = box(heap, i);
                    strong.add(heap.newGlobalRoot(v));
                    strongValues.add(i);
                    weak.add(heap.newWeakRoot(v));       // weak roots to values kept by a strong one
                    weakValues.add(i);
                } else if (r < 6) {
                    int j = rnd.nextInt(strong.size());
                    strong.get(j).close();
                    strong.get(j).close();                // releasing twice is harmless
                    strong.set(j, strong.get(strong.size() - 1));
                    strongValues.set(j, strongValues.get(strongValues.size() - 1));
                    strong.remove(strong.size() - 1);
                    strongValues.remove(strongValues.size() - 1);
                } else if (r < 7) {
                    int j = rnd.nextInt(strong.size());
                    long v = box(heap, -i);
                    strong.get(j).set(v);
                    strongValues.set(j, -i);
                } else if (r < 8) {
                    heap.newWeakRoot(box(heap, i));       // garbage: its weak root is splatted
                } else {
                    int j = rnd.nextInt(strong.size());
                    assertThat(unbox(heap, strong.get(j).get())).isEqualTo(strongValues.get(j));
                }
                if (i % 50_000 == 49_999) {
                    heap.gc().fullMajor();
                    checkWeak(heap, weak, weakValues, strongValues);
                }
            }
            for (int j = 0; j < strong.size(); j++) {
                assertThat(unbox(heap, strong.get(j).get())).isEqualTo(strongValues.get(j));
            }
            strong.forEach(GlobalRoot::close);
            heap.gc().fullMajor();
            for (GlobalRoot w : weak) {
                assertThat(w.get()).as("a weak root once every strong root is released").isEqualTo(Value.NONE);
                w.close();
            }
            assertThat(heap.gc().stat().liveWords).isZero();
        }
    }

    /** A weak root holds its value exactly while some strong root holds the same value. */
    private static void checkWeak(Heap heap, List<GlobalRoot> weak, List<Integer> weakValues, List<Integer> strongValues) {
        java.util.Set<Integer> held = new java.util.HashSet<>(strongValues);
        for (int j = 0; j < weak.size(); j++) {
            long v = weak.get(j).get();
            if (held.contains(weakValues.get(j))) {
                assertThat(v).as("weak root to a value still held").isNotEqualTo(Value.NONE);
                assertThat(unbox(heap, v)).isEqualTo(weakValues.get(j));
            } else {
                assertThat(v).as("weak root to value %d, released", weakValues.get(j)).isEqualTo(Value.NONE);
            }
        }
    }

    @Test
    void rootAreasOfBothRanksGrowShrinkAndCloseWhileTheHeapCollects() {
        Random rnd = new Random(SEED);
        try (Heap heap = TestHeaps.tiny()) {
            List<RootArea> areas = new ArrayList<>();
            List<List<Integer>> contents = new ArrayList<>();
            int counter = 0;
            for (int step = 0; step < 100_000; step++) {
                int r = rnd.nextInt(20);
                if (r == 0 || areas.isEmpty()) {
                    areas.add(heap.newRootArea(rnd.nextInt(8), Rank.STRONG));
                    contents.add(new ArrayList<>());
                } else if (r == 1 && areas.size() > 1) {
                    int j = rnd.nextInt(areas.size());
                    areas.remove(j).close();
                    contents.remove(j);
                } else {
                    int j = rnd.nextInt(areas.size());
                    RootArea a = areas.get(j);
                    List<Integer> c = contents.get(j);
                    if (r < 12) {
                        a.push(box(heap, ++counter));
                        c.add(counter);
                    } else if (r < 15 && a.used() > 0) {
                        assertThat(unbox(heap, a.pop())).isEqualTo(c.remove(c.size() - 1));
                    } else if (r < 16) {
                        int n = rnd.nextInt(a.used() + 1);
                        a.setUsed(n);
                        c.subList(n, c.size()).clear();
                    } else if (a.used() > 0) {
                        int i = rnd.nextInt(a.used());
                        assertThat(unbox(heap, a.get(i))).isEqualTo(c.get(i));
                    }
                }
            }
            heap.gc().fullMajor();
            for (int j = 0; j < areas.size(); j++) {
                for (int i = 0; i < areas.get(j).used(); i++) {
                    assertThat(unbox(heap, areas.get(j).get(i))).isEqualTo(contents.get(j).get(i));
                }
            }
            RootArea weak = heap.newRootArea(4, Rank.WEAK);
            weak.push(areas.get(0).used() > 0 ? areas.get(0).get(0) : Value.NONE);
            weak.push(box(heap, -1));
            heap.gc().minor();
            assertThat(weak.get(1)).as("weak area slot to young garbage").isEqualTo(Value.NONE);
            areas.forEach(RootArea::close);
            heap.gc().fullMajor();
            assertThat(weak.get(0)).as("weak area slot once the strong areas are closed").isEqualTo(Value.NONE);
            weak.close();
            assertThat(heap.gc().stat().liveWords).isZero();
        }
    }
}
