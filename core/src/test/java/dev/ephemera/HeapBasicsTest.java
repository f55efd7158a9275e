package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;

class HeapBasicsTest {
    @Test
    void checkedModeIsOnInTests() {
        assertThat(CheckedMode.ON).as("surefire sets -Dephemera.checked=true").isTrue();
    }

    @Test
    void listSurvivesManyMinorCollectionsAndKeepsItsContents() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < 20_000; i++) {
                list.set(heap.alloc(0, Value.ofInt(i), list.get()));
            }
            long sum = 0;
            int n = 0;
            for (long v = list.get(); v != Value.NONE; v = heap.field(v, 1)) {
                sum += Value.intOf(heap.field(v, 0));
                n++;
            }
            assertThat(n).isEqualTo(20_000);
            assertThat(sum).isEqualTo(19_999L * 20_000 / 2);
            assertThat(heap.gc().stat().minorCollections).isGreaterThan(100);
        }
    }

    @Test
    void garbageIsReclaimedByMajorCollection() {
        try (Heap heap = TestHeaps.tiny()) {
            for (int round = 0; round < 5; round++) {
                try (Scope s = heap.openScope()) {
                    Handle list = s.handle(Value.NONE);
                    for (int i = 0; i < 5_000; i++) {
                        list.set(heap.alloc(0, Value.ofInt(i), list.get()));
                    }
                }
                heap.gc().fullMajor();
                assertThat(heap.gc().stat().liveWords).isZero();
            }
        }
    }

    /**
     * A raw block (a double, a custom block) whose words happen to look like young pointers must
     * be copied by a minor collection, never scanned: following such a word would overwrite it
     * with a forwarded pointer. Raw blocks reached only through a list (the chain copies them)
     * and one reached from a root (the general path copies it) are checked.
     */
    @Test
    void rawWordsThatLookLikeYoungPointersAreCopiedNotFollowed() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            Handle target = s.handle(heap.alloc(0, Value.ofInt(7), Value.ofInt(8)));
            long young = target.get(); // a young pointer, as raw bits
            Handle list = s.handle(heap.alloc(0, Value.ofInt(1), heap.allocDouble(Double.longBitsToDouble(young))));
            long custom = heap.allocCustom(5, 2);
            heap.setRawField(custom, 1, young);
            heap.setRawField(custom, 2, young);
            list.set(heap.alloc(0, Value.ofInt(2), heap.alloc(0, list.get(), custom)));
            Handle rooted = s.handle(heap.allocDouble(Double.longBitsToDouble(young)));
            assertThat(heap.gc().stat().minorCollections).as("all of it still young").isZero();

            heap.gc().minor();

            assertThat(Double.doubleToRawLongBits(heap.doubleValue(rooted.get()))).isEqualTo(young);

            long pair = heap.field(list.get(), 1);
            long box = heap.field(heap.field(pair, 0), 1);
            assertThat(Double.doubleToRawLongBits(heap.doubleValue(box))).isEqualTo(young);
            assertThat(heap.rawField(heap.field(pair, 1), 1)).isEqualTo(young);
            assertThat(heap.rawField(heap.field(pair, 1), 2)).isEqualTo(young);
            assertThat(heap.field(target.get(), 1)).isEqualTo(Value.ofInt(8));
            heap.verify();
        }
    }

    /**
     * A chain of young blocks passing through blocks of more than eight fields (which the
     * collector copies whole and scans later) and blocks with several young fields is promoted
     * whole by one minor collection.
     */
    @Test
    void aChainThroughLargeAndBranchingBlocksIsPromotedWhole() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            Handle list = s.handle(Value.UNIT);
            for (int i = 0; i < 300; i++) {
                long v;
                if (i % 3 == 0) { // twelve fields, the tail last
                    v = heap.allocBlock(0, 12);
                    for (int f = 0; f < 11; f++) {
                        heap.setField(v, f, Value.ofInt(i * 100 + f));
                    }
                } else if (i % 3 == 1) { // a young leaf first (reached only from here), the tail last
                    try (Scope inner = heap.openScope()) {
                        Handle leaf = inner.handle(heap.alloc(0, Value.ofInt(i), Value.ofInt(-i)));
                        v = heap.allocBlock(0, 2);
                        heap.setField(v, 0, leaf.get());
                    }
                } else {
                    v = heap.allocBlock(0, 2);
                    heap.setField(v, 0, Value.ofInt(i));
                }
                heap.setField(v, heap.size(v) - 1, list.get());
                list.set(v);
            }
            assertThat(heap.gc().stat().minorCollections).as("all of it still young").isZero();

            heap.gc().minor();

            heap.verify();
            int i = 299;
            for (long v = list.get(); v != Value.UNIT; v = heap.field(v, heap.size(v) - 1), i--) {
                if (i % 3 == 0) {
                    assertThat(heap.size(v)).isEqualTo(12);
                    assertThat(heap.field(v, 10)).isEqualTo(Value.ofInt(i * 100 + 10));
                } else if (i % 3 == 1) {
                    assertThat(heap.field(heap.field(v, 0), 1)).isEqualTo(Value.ofInt(-i));
                } else {
                    assertThat(heap.field(v, 0)).isEqualTo(Value.ofInt(i));
                }
            }
            assertThat(i).isEqualTo(-1);
        }
    }

    /**
     * A chain promoted into the bump regions the minor collection leases: a long run of one size
     * class crosses pages (a lease used up, the next page's taken), and a run alternating two
     * classes ends a lease at every block. Every cell keeps its contents, and the heap verifies
     * (its allocated words included) after the minor collection and after a full major.
     */
    @Test
    void aChainCrossingPagesAndAlternatingSizeClassesIsPromotedIntact() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            Handle list = s.handle(Value.UNIT);
            int n = 6000; // the first half, two-field cells: over three pages of them
            for (int i = 0; i < n; i++) {
                boolean three = i >= n / 2 && i % 2 == 1;
                long v = heap.allocBlock(0, three ? 3 : 2);
                heap.setField(v, 0, Value.ofInt(i));
                if (three) {
                    heap.setField(v, 1, Value.ofInt(-i));
                }
                heap.setField(v, heap.size(v) - 1, list.get());
                list.set(v);
            }
            assertThat(heap.gc().stat().minorCollections).as("all of it still young").isZero();

            heap.gc().minor();
            heap.verify();

            int i = n - 1;
            for (long v = list.get(); v != Value.UNIT; v = heap.field(v, heap.size(v) - 1), i--) {
                boolean three = i >= n / 2 && i % 2 == 1;
                assertThat(heap.size(v)).as("cell %d", i).isEqualTo(three ? 3 : 2);
                assertThat(heap.field(v, 0)).as("cell %d", i).isEqualTo(Value.ofInt(i));
                if (three) {
                    assertThat(heap.field(v, 1)).as("cell %d", i).isEqualTo(Value.ofInt(-i));
                }
            }
            assertThat(i).isEqualTo(-1);
            heap.gc().fullMajor();
            heap.verify();
        }
    }

    /**
     * The remembered set's slots are promoted by the chain loop, one chain after another under
     * one lease: old slots holding young blocks of two size classes, large young blocks (more
     * than eight fields: the general path, which ends the lease), lists of three cells (chains
     * that continue from the slot), slots sharing the block of the slot before (the second
     * finds it forwarded) and remembered slots whose young block was overwritten by an immediate
     * (skipped, the slots after them still promoted). After the minor collection every slot
     * holds its block's copy, intact, the shared ones the same copy; and again after a full
     * major.
     */
    @Test
    void oldSlotsHoldingYoungBlocksOfMixedKindsArePromotedIntact() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            int n = 6000;
            Handle array = s.handle(heap.allocArray(n, Value.UNIT)); // too large for the nursery
            long minorsBefore = heap.gc().stat().minorCollections;
            long promotedBefore = heap.gc().stat().promotedWords;
            for (int i = 0; i < n; i++) {
                long v;
                switch (i % 6) {
                    case 0 -> v = heap.alloc(0, Value.ofInt(i), Value.ofInt(-i));
                    case 1 -> v = heap.alloc(0, Value.ofInt(i), Value.ofInt(-i), Value.ofInt(i));
                    case 2 -> {
                        v = heap.allocBlock(0, 12);
                        for (int f = 0; f < 12; f++) {
                            heap.setField(v, f, Value.ofInt(i + f));
                        }
                    }
                    case 3 -> {
                        v = Value.UNIT;
                        for (int c = 2; c >= 0; c--) {
                            v = heap.alloc(0, Value.ofInt(i + c), v);
                        }
                    }
                    case 4 -> v = heap.field(array.get(), i - 1);
                    default -> {
                        heap.setField(array.get(), i, heap.alloc(0, Value.ofInt(i), Value.UNIT)); // remembered
                        v = Value.ofInt(-i);
                    }
                }
                heap.setField(array.get(), i, v);
            }
            assertThat(heap.gc().stat().minorCollections).as("every block still young").isEqualTo(minorsBefore);

            heap.gc().minor();
            heap.verify();
            // every sixth block of each kind once (headers included); shared and dead ones not at all
            assertThat(heap.gc().stat().promotedWords - promotedBefore).as("promoted words")
                    .isEqualTo((n / 6) * (3 + 4 + 13 + 3 * 3));
            assertSlotsIntact(heap, array.get(), n);
            heap.gc().fullMajor();
            heap.verify();
            assertSlotsIntact(heap, array.get(), n);
        }
    }

    /**
     * Remembered slots in many old blocks (cells of the size class the young blocks are promoted
     * to, so in the pages the lease bumps through) and in a second array in a chunk of its own,
     * alternating; young blocks with two young fields (the first stacked while the chain follows
     * the last); a later slot holding the middle of an earlier slot's list (found forwarded).
     * Every slot is checked, and the promoted words counted exactly.
     */
    @Test
    void rememberedSlotsSpreadOverManyOldBlocksArePromotedIntact() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            int n = 3000;
            Handle cells = s.handle(heap.allocArray(n, Value.UNIT));
            Handle extra = s.handle(heap.allocArray(n, Value.UNIT)); // a chunk of its own
            for (int i = 0; i < n; i++) {
                heap.setField(cells.get(), i, heap.alloc(0, Value.UNIT, Value.UNIT));
            }
            heap.gc().minor(); // the cells are old now, in the two-field class's pages
            long minors = heap.gc().stat().minorCollections;
            long before = heap.gc().stat().promotedWords;
            for (int i = 0; i < n; i++) {
                switch (i % 3) {
                    case 0 -> { // two young fields: the first stacked, the last followed
                        long a = heap.alloc(0, Value.ofInt(i));
                        long b = heap.alloc(0, Value.ofInt(-i), Value.UNIT);
                        heap.setField(heap.field(cells.get(), i), 0, heap.alloc(0, a, b));
                    }
                    case 1 -> { // a two-cell list in field 1
                        long l = heap.alloc(0, Value.ofInt(i + 1), Value.UNIT);
                        l = heap.alloc(0, Value.ofInt(i), l);
                        heap.setField(heap.field(cells.get(), i), 1, l);
                    }
                    default -> { // the middle of the previous cell's list, in the other array
                        long prev = heap.field(cells.get(), i - 1);
                        heap.setField(extra.get(), i, heap.field(heap.field(prev, 1), 1));
                    }
                }
            }
            assertThat(heap.gc().stat().minorCollections).as("every block still young").isEqualTo(minors);

            heap.gc().minor();
            heap.verify();
            assertThat(heap.gc().stat().promotedWords - before).as("promoted words")
                    .isEqualTo((n / 3) * ((2 + 3 + 3) + (3 + 3)));
            for (int i = 0; i < n; i++) {
                long cell = heap.field(cells.get(), i);
                switch (i % 3) {
                    case 0 -> {
                        long p = heap.field(cell, 0);
                        assertThat(heap.field(heap.field(p, 0), 0)).as("slot %d", i).isEqualTo(Value.ofInt(i));
                        assertThat(heap.field(heap.field(p, 1), 0)).as("slot %d", i).isEqualTo(Value.ofInt(-i));
                    }
                    case 1 -> {
                        long l = heap.field(cell, 1);
                        assertThat(heap.field(l, 0)).as("slot %d", i).isEqualTo(Value.ofInt(i));
                        assertThat(heap.field(heap.field(l, 1), 0)).as("slot %d", i).isEqualTo(Value.ofInt(i + 1));
                    }
                    default -> assertThat(heap.field(extra.get(), i)).as("slot %d", i)
                            .isEqualTo(heap.field(heap.field(heap.field(cells.get(), i - 1), 1), 1));
                }
            }
        }
    }

    /**
     * Chains that go through the first field: left-leaning lists of pairs {@code (rest, k)}
     * (the young field is field 0, field 1 an immediate), one from each old slot and one from a
     * handle (reached by the scan of its root's copy); and pairs whose first field is young and
     * whose second is an old block. The chain loop copies two-field blocks without the general
     * field loop: it must follow field 0 when that is the only young one. After the minor
     * collection every chain is whole and the promoted words exact; again after a full major.
     */
    @Test
    void pairsWhoseOnlyYoungFieldIsTheFirstAreFollowedThroughIt() {
        try (Heap heap = TestHeaps.defaults(); Scope s = heap.openScope()) {
            int n = 400;
            int length = 25;
            Handle array = s.handle(heap.allocArray(n, Value.UNIT)); // too large for the nursery
            long minors = heap.gc().stat().minorCollections;
            long before = heap.gc().stat().promotedWords;
            for (int i = 0; i < n; i++) {
                long v;
                if (i % 2 == 0) {
                    v = Value.UNIT;
                    for (int k = 0; k < length; k++) {
                        v = heap.alloc(0, v, Value.ofInt(i + k)); // alloc roots its arguments
                    }
                } else { // (young (k . -k), the old array)
                    v = heap.alloc(0, heap.alloc(0, Value.ofInt(i), Value.ofInt(-i)), array.get());
                }
                heap.setField(array.get(), i, v);
            }
            Handle rooted = s.handle(Value.UNIT);
            for (int k = 0; k < length; k++) {
                rooted.set(heap.alloc(0, rooted.get(), Value.ofInt(-k)));
            }
            assertThat(heap.gc().stat().minorCollections).as("every block still young").isEqualTo(minors);

            heap.gc().minor();
            heap.verify();
            assertThat(heap.gc().stat().promotedWords - before).as("promoted words")
                    .isEqualTo((long) (n / 2) * length * 3 + (long) (n / 2) * 2 * 3 + length * 3);
            assertLeftChainsIntact(heap, array.get(), rooted.get(), n, length);
            heap.gc().fullMajor();
            heap.verify();
            assertLeftChainsIntact(heap, array.get(), rooted.get(), n, length);
        }
    }

    private static void assertLeftChainsIntact(Heap heap, long array, long rooted, int n, int length) {
        for (int i = 0; i < n; i++) {
            long v = heap.field(array, i);
            if (i % 2 == 0) {
                for (int k = length - 1; k >= 0; k--) {
                    assertThat(heap.size(v)).as("slot %d cell %d", i, k).isEqualTo(2);
                    assertThat(heap.field(v, 1)).as("slot %d cell %d", i, k).isEqualTo(Value.ofInt(i + k));
                    v = heap.field(v, 0);
                }
                assertThat(v).as("slot %d: the chain's end", i).isEqualTo(Value.UNIT);
            } else {
                long inner = heap.field(v, 0);
                assertThat(new long[] {heap.size(inner), heap.field(inner, 0), heap.field(inner, 1), heap.field(v, 1)})
                        .as("slot %d", i).containsExactly(2, Value.ofInt(i), Value.ofInt(-i), array);
            }
        }
        long v = rooted;
        for (int k = length - 1; k >= 0; k--) {
            assertThat(heap.field(v, 1)).as("rooted cell %d", k).isEqualTo(Value.ofInt(-k));
            v = heap.field(v, 0);
        }
        assertThat(v).as("the rooted chain's end").isEqualTo(Value.UNIT);
    }

    private static void assertSlotsIntact(Heap heap, long array, int n) {
        for (int i = 0; i < n; i++) {
            long v = heap.field(array, i);
            switch (i % 6) {
                case 0 -> assertThat(new long[] {heap.size(v), heap.field(v, 0), heap.field(v, 1)}).as("slot %d", i)
                        .containsExactly(2, Value.ofInt(i), Value.ofInt(-i));
                case 1 -> assertThat(new long[] {heap.size(v), heap.field(v, 0), heap.field(v, 1), heap.field(v, 2)})
                        .as("slot %d", i).containsExactly(3, Value.ofInt(i), Value.ofInt(-i), Value.ofInt(i));
                case 2 -> {
                    assertThat(heap.size(v)).as("slot %d", i).isEqualTo(12);
                    for (int f = 0; f < 12; f++) {
                        assertThat(heap.field(v, f)).as("slot %d field %d", i, f).isEqualTo(Value.ofInt(i + f));
                    }
                }
                case 3 -> {
                    int c = 0;
                    for (long cell = v; cell != Value.UNIT; cell = heap.field(cell, 1), c++) {
                        assertThat(heap.field(cell, 0)).as("slot %d cell %d", i, c).isEqualTo(Value.ofInt(i + c));
                    }
                    assertThat(c).as("slot %d: cells", i).isEqualTo(3);
                }
                case 4 -> assertThat(v).as("slot %d shares the block of the slot before", i)
                        .isEqualTo(heap.field(array, i - 1));
                default -> assertThat(v).as("slot %d", i).isEqualTo(Value.ofInt(-i));
            }
        }
    }

    @Test
    void stringsDoublesAndCustomBlocksRoundTrip() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle str = s.handle(heap.allocString("héllo, ephemera"));
            Handle d = s.handle(heap.allocDouble(-2.5));
            Handle arr = s.handle(heap.allocDoubleArray(new double[] {1.0, Double.NaN}));
            Handle c = s.handle(heap.allocCustom(42, 3));
            for (int i = 0; i < 8; i++) {
                heap.setRawField(c.get(), 1 + (i % 3), i);
                heap.gc().minor();
            }
            heap.gc().major();
            assertThat(heap.stringValue(str.get())).isEqualTo("héllo, ephemera");
            assertThat(heap.stringLength(str.get())).isEqualTo("héllo, ephemera".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(heap.doubleValue(d.get())).isEqualTo(-2.5);
            assertThat(heap.doubleField(arr.get(), 1)).isNaN();
            assertThat(heap.rawField(c.get(), 0)).isEqualTo(42);
            assertThat(heap.tag(str.get())).isEqualTo(Tag.STRING);
            for (int len = 0; len < 20; len++) {
                long v = heap.allocBytes(len);
                assertThat(heap.stringLength(v)).isEqualTo(len);
            }
        }
    }

    @Test
    void immediateWhereBlockNeededIsRejectedWithTheOperationName() {
        try (Heap heap = TestHeaps.tiny()) {
            assertThatThrownBy(() -> heap.field(Value.ofInt(3), 0))
                    .isInstanceOf(NotABlockException.class).hasMessageContaining("Heap.field").hasMessageContaining("3");
            long b = heap.allocBlock(0, 2);
            assertThatThrownBy(() -> heap.field(b, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("Heap.field").hasMessageContaining("index 2");
            long str = heap.allocString("x");
            assertThatThrownBy(() -> heap.field(str, 0)).isInstanceOf(WrongTagException.class);
            assertThatThrownBy(() -> heap.doubleValue(str)).isInstanceOf(WrongTagException.class)
                    .hasMessageContaining("Heap.doubleValue");
            heap.verify();
        }
    }

    @Test
    void stalePointerAfterMinorCollectionIsDetected() {
        try (Heap heap = TestHeaps.tiny()) {
            long v = heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
            heap.gc().minor();
            assertThatThrownBy(() -> heap.field(v, 0)).isInstanceOf(StalePointerException.class)
                    .hasMessageContaining("Heap.field");
        }
    }

    @Test
    void deepListIsMarkedWithoutJavaRecursion() {
        try (Heap heap = Heap.create(HeapConfig.defaults()); Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < 1_000_000; i++) {
                list.set(heap.alloc(0, Value.ofInt(i), list.get()));
            }
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).isEqualTo(3_000_000L);
        }
    }

    /** Regression: a 256-field block could never be allocated in a 256-word nursery. */
    @Test
    void aBlockLargerThanTheWholeNurseryGoesToTheMajorHeap() {
        try (Heap heap = TestHeaps.tiny(); Scope s = heap.openScope()) {
            Handle big = s.handle(heap.allocBlock(0, 256));
            heap.setField(big.get(), 255, Value.ofInt(7));
            heap.gc().fullMajor();
            assertThat(heap.field(big.get(), 255)).isEqualTo(Value.ofInt(7));
        }
    }

    @Test
    void aMinorCollectionWithoutFinalisersLeavesThemQueuedUntilTheNextSafePoint() {
        try (Heap heap = TestHeaps.tiny()) {
            heap.gc().minor();
            assertThat(heap.gc().minorHeapUsedWords()).isZero();
            int[] ran = {0};
            heap.gc().finaliseLast(() -> ran[0]++, heap.alloc(0, Value.ofInt(1)));
            assertThat(heap.gc().minorHeapUsedWords()).isEqualTo(2); // header and one field
            heap.gc().minorWithoutFinalisers("test");
            assertThat(heap.gc().minorHeapUsedWords()).isZero();
            assertThat(ran[0]).isZero();
            assertThat(heap.gc().pendingFinalisers()).isEqualTo(1);
            heap.poll();
            assertThat(ran[0]).isEqualTo(1);
            assertThatThrownBy(() -> heap.gc().minorWithoutFinalisers(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Gc.minorWithoutFinalisers");
            heap.gc().minor(); // still usable
        }
    }

    @Test
    void noFinaliserRunsAtAnAllocationInsideARegionWithoutSafePoints() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(1024).runFinalisersOnAllocation(true))) {
            int[] ran = {0};
            heap.gc().finaliseLast(() -> ran[0]++, heap.alloc(0, Value.ofInt(1)));
            heap.gc().beginNoSafePoints();
            heap.gc().beginNoSafePoints(); // regions nest
            heap.gc().minorWithoutFinalisers("test");
            for (int i = 0; i < 10_000; i++) { // allocations, and minor collections
                heap.alloc(0, Value.ofInt(i));
            }
            heap.gc().endNoSafePoints();
            for (int i = 0; i < 10_000; i++) {
                heap.alloc(0, Value.ofInt(i));
            }
            assertThat(ran[0]).isZero();
            heap.gc().endNoSafePoints();
            for (int i = 0; i < 10_000 && ran[0] == 0; i++) { // the next allocation that collects
                heap.alloc(0, Value.ofInt(i));
            }
            assertThat(ran[0]).isEqualTo(1);
            assertThatThrownBy(() -> heap.gc().endNoSafePoints())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Gc.endNoSafePoints");
            heap.gc().minor(); // still usable
        }
    }
}
