package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.NotABlockException;
import dev.ephemera.Scope;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code Weak.Make}: OCaml's policy and statistics, weak elements, hash-consing. */
@ExtendWith(TableValidation.class)
class WeakHashSetTest {
    private static final HashedType INT = HashedType.of(OcamlHash::hash, (heap, a, b) -> a == b);
    /** Pairs {@code (a, b)} of immediates, hashed structurally (the hashcons benchmark's type). */
    private static final HashedType PAIR = HashedType.of(OcamlHash::hash,
            (heap, x, y) -> heap.field(x, 0) == heap.field(y, 0) && heap.field(x, 1) == heap.field(y, 1));

    private static long i(long n) {
        return Value.ofInt(n);
    }

    private static Map<String, String> expected() throws IOException {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = WeakHashSetTest.class.getResourceAsStream("/ocaml-table-stats.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#")) {
                    String[] c = line.split("\t", 2);
                    m.put(c[0], c[1]);
                }
            }
        }
        return m;
    }

    @Test
    void growthShrinkingAndResizingFollowOcaml() throws IOException {
        Map<String, String> want = expected();
        Heap heap = TableHeaps.small();
        WeakHashSet w = WeakHashSet.make(heap, INT);
        try (GlobalRoot set = heap.newGlobalRoot(w.create(16))) {
            for (int n = 0; n < 1000; n++) {
                w.add(set.get(), i(n));
            }
            assertThat(w.stats(set.get()).toString()).isEqualTo(want.get("weak-add-1000"));
            for (int n = 0; n < 1000; n += 3) {
                w.remove(set.get(), i(n));
            }
            for (int n = 1000; n < 3000; n++) {
                assertThat(w.merge(set.get(), i(n))).isEqualTo(i(n));
            }
            assertThat(w.stats(set.get()).toString()).isEqualTo(want.get("weak-remove-thirds-merge-2000"));
            set.set(w.create(1));
            for (int n = 0; n < 100; n++) {
                w.add(set.get(), i(n * 1000L));
            }
            assertThat(w.stats(set.get()).toString()).isEqualTo(want.get("weak-create-1-add-100"));
        }
    }

    @Test
    void mergeReturnsTheElementAlreadyThereAndElementsAreWeak() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            WeakHashSet w = WeakHashSet.make(heap, PAIR);
            Handle set = s.handle(w.create(64));
            List<GlobalRoot> kept = new ArrayList<>();
            int hits = 0;
            for (int n = 0; n < 300; n++) {
                long x = heap.alloc(0, i(n % 100), i(7));
                long r = w.merge(set.get(), x);
                if (r != x) {
                    hits++;
                } else if (n % 10 == 0) {
                    kept.add(heap.newGlobalRoot(r));
                }
            }
            // without collections in between, the first 100 pairs are found again by the next 200
            // merges unless they died: what survives depends on collections, so check the invariant
            assertThat(hits).isBetween(0, 200);
            heap.gc().fullMajor();
            assertThat(w.count(set.get())).isEqualTo(kept.size());
            for (GlobalRoot r : kept) {
                long fresh = heap.alloc(0, heap.field(r.get(), 0), i(7));
                assertThat(w.merge(set.get(), fresh)).as("a hit returns the rooted element").isEqualTo(r.get());
                assertThat(w.find(set.get(), fresh)).isEqualTo(r.get());
                assertThat(w.mem(set.get(), fresh)).isTrue();
            }
            long absent = heap.alloc(0, i(55), i(7));
            assertThat(w.findOpt(set.get(), absent)).isEqualTo(Value.NONE);
            assertThatThrownBy(() -> w.find(set.get(), absent))
                    .isInstanceOf(NoSuchElementException.class).hasMessageContaining("Weak.Make.find");
            List<Long> seen = new ArrayList<>();
            w.iter(set.get(), v -> seen.add(Value.intOf(heap.field(v, 0))));
            assertThat(seen).hasSize(kept.size());
            assertThat(w.fold(set.get(), (v, acc) -> acc + 1, 0)).isEqualTo(kept.size());
            kept.forEach(GlobalRoot::close);
            heap.gc().fullMajor();
            assertThat(w.count(set.get())).isZero();
            heap.verify();
        }
    }

    @Test
    void theSlotsOfDeadElementsAreReused() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            WeakHashSet w = WeakHashSet.make(heap, PAIR);
            Handle set = s.handle(w.create(7));
            for (int round = 0; round < 20; round++) {
                for (int n = 0; n < 50; n++) {
                    long x = heap.alloc(0, i(n), i(round));
                    w.add(set.get(), x);
                }
                heap.gc().minor(); // the 50 die (young, but see below)
            }
            WeakSetStatistics st = w.stats(set.get());
            assertThat(st.totalBucketLength()).as("20 rounds of 50 fit in the slots of one round").isLessThan(200);
            // Not all died young: an element whose insertion triggered a minor collection was held
            // by the insertion and promoted — black, if a cycle was marking — so it can float to
            // the next cycle. At most one a round; the rest died young.
            assertThat(st.count()).isLessThanOrEqualTo(20);
            heap.gc().fullMajor();
            assertThat(w.stats(set.get()).count()).isZero();
        }
    }

    @Test
    void addKeepsDuplicatesAndFindAllReturnsThemAll() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            WeakHashSet w = WeakHashSet.make(heap, PAIR);
            Handle set = s.handle(w.create(16));
            Handle a = s.handle(heap.alloc(0, i(1), i(2)));
            Handle b = s.handle(heap.alloc(0, i(1), i(2)));
            w.add(set.get(), a.get());
            w.add(set.get(), b.get());
            long probe = heap.alloc(0, i(1), i(2));
            assertThat(w.findAll(set.get(), probe)).containsExactly(b.get(), a.get());
            w.remove(set.get(), a.get());
            assertThat(w.count(set.get())).isEqualTo(1);
            w.clear(set.get());
            assertThat(w.count(set.get())).isZero();
            assertThat(w.stats(set.get()).tableLength()).isEqualTo(16);
        }
    }

    @Test
    void modificationsDuringIterationAndBadArgumentsRaise() {
        Heap heap = TableHeaps.small();
        try (Scope s = heap.openScope()) {
            WeakHashSet w = WeakHashSet.make(heap, INT);
            Handle set = s.handle(w.create(16));
            w.add(set.get(), i(1));
            assertThatThrownBy(() -> w.iter(set.get(), v -> w.add(set.get(), i(2))))
                    .isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageContaining("Weak.Make.add").hasMessageContaining("Weak.Make.iter");
            assertThatThrownBy(() -> w.merge(i(4), i(1))).isInstanceOf(NotABlockException.class)
                    .hasMessageContaining("Weak.Make.merge");
            assertThatThrownBy(() -> w.add(set.get(), Value.NONE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Weak.Make.add: the element is none");
            w.add(set.get(), i(2));
            assertThat(w.count(set.get())).isEqualTo(2);
            heap.verify();
        }
    }

    /**
     * OCaml's add_aux looks for an empty slot with Weak.check, which does not darken: adding
     * during marking must not keep the bucket's other elements alive through the cycle, as
     * reading them with Weak.get would.
     */
    @Test
    void addingDuringMarkingKeepsNoOtherElementOfTheBucketAlive() {
        HashedType oneBucket = HashedType.of((heap, v) -> 0, (heap, a, b) -> a == b);
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).sliceWords(1)
                .verifyEveryCollection(true))) {
            WeakHashSet w = WeakHashSet.make(heap, oneBucket);
            try (GlobalRoot set = heap.newGlobalRoot(w.create(7));
                 GlobalRoot kept = heap.newGlobalRoot(Value.NONE)) {
                kept.set(heap.alloc(0, i(1), i(1)));
                w.add(set.get(), kept.get());
                heap.gc().fullMajor(); // the element is old
                kept.set(Value.NONE); // and now reachable from nothing but the set
                heap.gc().majorSlice(0); // a cycle starts: the element is unreachable at its start
                assertThat(heap.gc().majorPhase()).isEqualTo(Phase.MARK);
                kept.set(heap.alloc(0, i(2), i(2)));
                w.add(set.get(), kept.get()); // same bucket: the first element's slot is passed over
                heap.gc().major(); // finishes this cycle
                assertThat(w.count(set.get())).as("the element unreachable when the cycle began").isEqualTo(1);
                assertThat(w.mem(set.get(), kept.get())).isTrue();
            }
        }
    }

    /**
     * A lookup or a merge that finds its element makes no Java garbage: hash-consing runs it a
     * million times a second, and a few bytes each (an array carrying the hash out of the lookup,
     * 32 bytes) made the JVM collect its young generation every 130,000 merges under the
     * launcher's {@code -Xmn4m}.
     */
    @Test
    void lookupsAndMergesThatFindTheirElementMakeNoJavaGarbage() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Heap heap = TableHeaps.small();
        WeakHashSet w = WeakHashSet.make(heap, PAIR);
        int n = 1000;
        try (GlobalRoot set = heap.newGlobalRoot(w.create(64));
             GlobalRoot kept = heap.newGlobalRoot(heap.allocArray(n, Value.UNIT))) {
            for (int k = 0; k < n; k++) {
                long merged = w.merge(set.get(), heap.alloc(0, i(k), i(7)));
                heap.setField(kept.get(), k, merged);
            }
            long perOp = 0;
            int wrong = 0;
            for (int round = 0; round < 3; round++) { // the last round: the code is compiled
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int k = 0; k < 100 * n; k++) { // (no assertion inside: AssertJ allocates)
                    long x = heap.field(kept.get(), k % n);
                    if (!w.mem(set.get(), x) || w.merge(set.get(), x) != x) {
                        wrong++;
                    }
                }
                perOp = (threads.getCurrentThreadAllocatedBytes() - before) / (200L * n);
            }
            assertThat(wrong).as("lookups or merges that did not find the element").isZero();
            assertThat(perOp).as("Java bytes allocated per lookup or merge that finds its element").isLessThan(8);
        }
    }
}
