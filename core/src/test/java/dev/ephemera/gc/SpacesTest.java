package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.Header;
import org.junit.jupiter.api.Test;

class SpacesTest {
    @Test
    void sizeClassesCoverEverySmallSizeWithBoundedWaste() {
        for (int size = 0; size < SizeClasses.MAX_CELL_WORDS; size++) {
            int cls = SizeClasses.classOf(size);
            int cell = SizeClasses.CELL_WORDS[cls];
            assertThat(cell).isGreaterThanOrEqualTo(Math.max(size + 1, SizeClasses.MIN_CELL_WORDS));
            if (cls > 0) {
                assertThat(SizeClasses.CELL_WORDS[cls - 1]).isLessThan(size + 1);
            }
            assertThat((double) cell / Math.max(size + 1, 2)).isLessThanOrEqualTo(1.125 + 1e-9);
            assertThat(SizeClasses.CELLS_PER_PAGE[cls]).isPositive();
        }
        assertThat(SizeClasses.isSmall(SizeClasses.MAX_CELL_WORDS)).isFalse();
    }

    @Test
    void markSweepSpaceAllocatesSweepsAndReusesCells() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        assertThat(space.allocate(2)).as("no chunk yet").isZero();
        space.addChunk(SizeClasses.PAGE_WORDS * 2L);
        long[] cells = new long[100];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = space.allocate(2);
            arena.write(cells[i], Header.make(2, 0, i % 2 == 0 ? Header.BLACK : Header.WHITE));
        }
        assertThat(space.allocatedWords()).isEqualTo(300);
        space.sweep();
        assertThat(space.allocatedWords()).as("only the black half survives").isEqualTo(150);
        for (int i = 0; i < cells.length; i += 2) {
            assertThat(Header.isWhite(arena.read(cells[i]))).isTrue();
        }
        assertThat(space.countFreeListCells()).isEqualTo(SizeClasses.CELLS_PER_PAGE[SizeClasses.classOf(2)] - 50);
        long reused = space.allocate(2);
        assertThat(reused).isEqualTo(cells[1]).as("the lowest free cell first");
        assertThat(space.isCellStart(cells[4])).isTrue();
        assertThat(space.isCellStart(cells[4] + 1)).isFalse();
    }

    /**
     * A space of more pages than one segment of its page tables holds, grown chunk by chunk:
     * every page is taken, swept and freed through the tables as in a one-segment space.
     */
    @Test
    void aSpaceOfManySegmentsOfPagesAllocatesAndSweepsEveryPage() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        int chunks = 3;
        int pagesPerChunk = SegmentedInts.SEGMENT - 5; // the tables' segments do not line up with the chunks
        for (int c = 0; c < chunks; c++) {
            space.addChunk((long) pagesPerChunk * SizeClasses.PAGE_WORDS);
        }
        int pages = chunks * pagesPerChunk;
        assertThat(space.pageCount()).isEqualTo(pages);
        assertThat(space.freeWords()).isEqualTo((long) pages * SizeClasses.PAGE_WORDS);
        assertThat(space.isFreePage(pages - 1)).isTrue();
        // the largest small blocks, a few to a page; those of every third page are kept
        int size = SizeClasses.MAX_CELL_WORDS - 1;
        int cls = SizeClasses.classOf(size);
        int perPage = SizeClasses.CELLS_PER_PAGE[cls];
        long[] blocks = new long[pages * perPage];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = space.allocate(size);
            assertThat(blocks[i]).as("block %d", i).isNotZero();
            arena.write(blocks[i], Header.make(size, 0, (i / perPage) % 3 == 0 ? Header.BLACK : Header.WHITE));
        }
        assertThat(space.allocate(size)).as("every page taken").isZero();
        assertThat(space.pageClass(pages - 1)).isEqualTo(cls);
        space.sweep();
        int kept = (pages + 2) / 3;
        assertThat(space.allocatedWords()).isEqualTo((long) kept * perPage * Header.blockWords(size));
        int free = 0;
        for (int p = 0; p < pages; p++) {
            free += space.isFreePage(p) ? 1 : 0;
        }
        assertThat(free).as("the pages of white blocks only are free again").isEqualTo(pages - kept);
        for (int i = 0; i < blocks.length; i += perPage * 3) {
            assertThat(Header.isWhite(arena.read(blocks[i]))).as("kept block %d, whitened", i).isTrue();
            assertThat(space.isCellStart(blocks[i])).isTrue();
        }
    }

    /**
     * Allocates cells of two fields until {@code allocate} gives none, marks them all, and
     * returns them in allocation order (lowest page first).
     */
    private static java.util.List<Long> fillMarked(Arena arena, java.util.function.LongSupplier allocate) {
        java.util.List<Long> cells = new java.util.ArrayList<>();
        for (long c; (c = allocate.getAsLong()) != 0; ) {
            cells.add(c);
            arena.write(c, Header.make(2, 0, Header.BLACK));
        }
        return cells;
    }

    /**
     * Pages a sweep empties go back to the pool in any order (the lazy sweep returns them as it
     * reaches them), but the pool hands out the lowest page first, so promotion fills memory
     * forwards as after an eager sweep.
     */
    @Test
    void freedPagesAreHandedOutLowestPageFirst() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(8L * SizeClasses.PAGE_WORDS);
        int cls = SizeClasses.classOf(2);
        int perPage = SizeClasses.CELLS_PER_PAGE[cls];
        for (int page = 0; page < 6; page++) {
            boolean survives = page == 1 || page == 3;
            for (int i = 0; i < perPage; i++) {
                long cell = space.allocate(2);
                assertThat(space.pageBase(page)).isLessThanOrEqualTo(cell);
                arena.write(cell, Header.make(2, 0, survives ? Header.BLACK : Header.WHITE));
            }
        }
        space.sweep();
        java.util.List<Long> taken = new java.util.ArrayList<>();
        for (int other = cls + 1; taken.size() < 6; other++) { // a block of a class with no page takes a page
            taken.add(space.allocate(SizeClasses.CELL_WORDS[other] - 1));
        }
        assertThat(taken).containsExactly(space.pageBase(0), space.pageBase(2), space.pageBase(4),
                space.pageBase(5), space.pageBase(6), space.pageBase(7));
    }

    @Test
    void anAllocationDuringASweepSweepsAFewPagesThenLeavesTheRestToTheSlices() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(16L * SizeClasses.PAGE_WORDS);
        java.util.List<Long> cells = fillMarked(arena, () -> space.allocate(2));
        long dead = cells.get(cells.size() - 1); // in the last page, swept last
        arena.write(dead, Header.make(2, 0, Header.WHITE));
        space.startSweep();
        assertThat(space.allocate(2))
                .as("the first pages swept are full: no cell, although an unswept page has one (the caller grows)")
                .isZero();
        assertThat(space.allocateSweepingAll(2)).as("sweeping every unswept page finds it").isEqualTo(dead);
        assertThat(space.allocateSweepingAll(2)).as("and nothing else is free").isZero();
    }

    /**
     * A sweep slice sweeps the pages its budget covers, a quarter of a page's words each, the
     * last one perhaps overrunning it; an unlimited budget (a stop-the-world cycle's) sweeps
     * them all.
     */
    @Test
    void aSweepSliceSweepsThePagesItsBudgetCoversAndAnUnlimitedOneSweepsAll() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(16L * SizeClasses.PAGE_WORDS);
        java.util.List<Long> cells = fillMarked(arena, () -> space.allocate(2));
        long pageCost = SizeClasses.PAGE_WORDS / 4;
        space.startSweep();
        Budget none = Budget.of(0);
        assertThat(space.sweepSlice(none)).isFalse();
        assertThat(none.spent()).as("an empty budget sweeps nothing").isZero();
        assertThat(unsweptCells(space, cells)).isEqualTo(cells.size());
        Budget twoAndABit = Budget.of(2 * pageCost + 1);
        assertThat(space.sweepSlice(twoAndABit)).as("16 pages to sweep: not done").isFalse();
        assertThat(twoAndABit.spent()).as("three pages: the third overruns the budget").isEqualTo(3 * pageCost);
        assertThat(unsweptCells(space, cells)).isEqualTo(cells.size() - 3 * SizeClasses.CELLS_PER_PAGE[SizeClasses.classOf(2)]);
        Budget exact = Budget.of(pageCost);
        assertThat(space.sweepSlice(exact)).isFalse();
        assertThat(exact.spent()).as("exactly one page").isEqualTo(pageCost);
        Budget unlimited = Budget.unlimited();
        assertThat(space.sweepSlice(unlimited)).as("the rest, in one go").isTrue();
        assertThat(unlimited.spent()).isEqualTo(12 * pageCost);
        assertThat(unsweptCells(space, cells)).isZero();
    }

    /**
     * The slices sweep in page order, whatever the class of each page, and an allocation's lazy
     * sweep of its class skips the pages the slices swept already (sweeping a page twice would
     * take its survivors, whitened by the first sweep, for dead).
     */
    @Test
    void aSliceSweepsInPageOrderAndAnAllocationSkipsThePagesItSwept() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(8L * SizeClasses.PAGE_WORDS);
        int a = 2;
        int clsA = SizeClasses.classOf(a);
        int b = SizeClasses.CELL_WORDS[clsA + 1] - 1; // fields of the next class's cells
        java.util.List<java.util.List<Long>> pages = fillWholePages(arena, space, a, b, a, b);
        long deadA = pages.get(2).get(5);
        arena.write(deadA, Header.make(a, 0, Header.WHITE));
        long liveWords = space.allocatedWords() - Header.blockWords(a);
        space.startSweep();

        long pageCost = SizeClasses.PAGE_WORDS / 4;
        assertThat(space.sweepSlice(Budget.of(2 * pageCost))).isFalse();
        assertThat(space.isUnswept(pages.get(0).get(0))).as("page 0 (A) swept").isFalse();
        assertThat(space.isUnswept(pages.get(1).get(0))).as("page 1 (B) swept: page order, not class order").isFalse();
        assertThat(space.isUnswept(pages.get(2).get(0))).isTrue();
        assertThat(space.isUnswept(pages.get(3).get(0))).isTrue();

        assertThat(space.allocate(a))
                .as("class A's lazy sweep passes over page 0, swept, and finds page 2's dead cell")
                .isEqualTo(deadA);
        arena.write(deadA, Header.make(a, 0, Header.WHITE));
        assertThat(space.isUnswept(pages.get(2).get(0))).isFalse();
        assertThat(space.sweepSlice(Budget.unlimited())).as("page 3 left; page 2 is not swept again").isTrue();
        assertThat(space.allocatedWords()).as("every survivor kept").isEqualTo(liveWords + Header.blockWords(a));
        assertThat(space.allocate(a)).as("no cell of class A was freed by a second sweep: a fresh page")
                .isEqualTo(space.pageBase(4));
    }

    /**
     * A page the slices' pointer freed goes back to the pool and may be taken by another class
     * while the sweep goes on; the first class's stack still names it, and its lazy sweep must
     * pass over it rather than sweep the other class's new cells as its own.
     */
    @Test
    void aPageThePointerFreedAndAnotherClassTookIsNotSweptAgainByItsFormerClass() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(8L * SizeClasses.PAGE_WORDS);
        int a = 2;
        int clsA = SizeClasses.classOf(a);
        int b = SizeClasses.CELL_WORDS[clsA + 1] - 1;
        int clsB = SizeClasses.classOf(b);
        java.util.List<java.util.List<Long>> pages = fillWholePages(arena, space, a, b, a);
        for (long cell : pages.get(0)) { // page 0 dies whole; one cell of page 2 dies
            arena.write(cell, Header.make(a, 0, Header.WHITE));
        }
        arena.write(pages.get(2).get(3), Header.make(a, 0, Header.WHITE));
        space.startSweep();
        assertThat(space.sweepSlice(Budget.of(SizeClasses.PAGE_WORDS / 4))).isFalse(); // page 0 only
        long taken = space.allocate(b);
        assertThat(taken).as("class B sweeps its page 1 (full), then takes the lowest free page: page 0")
                .isEqualTo(space.pageBase(0));
        arena.write(taken, Header.make(b, 0, Header.WHITE)); // allocated during the sweep: white
        long allocatedBefore = space.allocatedWords();
        assertThat(space.allocate(a))
                .as("class A passes over page 0 (now class B's) and finds page 2's dead cell")
                .isEqualTo(pages.get(2).get(3));
        assertThat(space.allocatedWords())
                .as("page 2's dead cell freed and taken again; class B's new cell not freed")
                .isEqualTo(allocatedBefore);
        assertThat(space.sweepSlice(Budget.unlimited())).isTrue();
        assertThat(space.allocate(b)).as("class B's next cell follows its first in page 0")
                .isEqualTo(taken + SizeClasses.CELL_WORDS[clsB]);
    }

    /**
     * A sweep never allocates: the free-page pool has room for every page of the space from the
     * moment a chunk is added, so a sweep that frees every page (here a chunk of 1,024 pages
     * filled and dying whole, and a second chunk added while all of the first was in use) pushes
     * them all without growing the pool. Had it to grow there, the JVM refusing the memory would
     * leave a page marked free and in no pool.
     */
    @Test
    void aSweepThatFreesEveryPageAllocatesNothingForTheFreePagePool() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        int firstPages = SegmentedInts.SEGMENT;
        space.addChunk((long) firstPages * SizeClasses.PAGE_WORDS);
        int size = SizeClasses.MAX_CELL_WORDS - Header.WORDS;
        java.util.List<Long> cells = new java.util.ArrayList<>();
        for (int page = 0; page < firstPages; page++) {
            for (int i = 0; i < SizeClasses.CELLS_PER_PAGE[SizeClasses.classOf(size)]; i++) {
                long cell = space.allocate(size);
                arena.write(cell, Header.make(size, 0, Header.WHITE));
                cells.add(cell);
            }
        }
        assertThat(space.freePageWords()).as("the first chunk wholly in use").isZero();
        space.addChunk(64L * SizeClasses.PAGE_WORDS);
        int capacity = space.freePagePoolCapacity();
        assertThat(capacity).as("room for every page, not only the free ones").isGreaterThanOrEqualTo(firstPages + 64);

        space.startSweep();
        assertThat(space.sweepSlice(Budget.unlimited())).isTrue();
        assertThat(space.freePageWords()).as("every page free again")
                .isEqualTo((long) (firstPages + 64) * SizeClasses.PAGE_WORDS);
        assertThat(space.freePagePoolCapacity()).as("the sweep grew the pool").isEqualTo(capacity);
        assertThat(space.allocate(size)).as("the lowest page is handed out first").isEqualTo(space.pageBase(0));
    }

    /**
     * Fills page {@code i} of a fresh space wholly with black blocks of {@code sizes[i]} fields
     * (a class takes the lowest free page when its own is full); returns each page's cells.
     */
    private static java.util.List<java.util.List<Long>> fillWholePages(Arena arena, MarkSweepSpace space, int... sizes) {
        java.util.List<java.util.List<Long>> pages = new java.util.ArrayList<>();
        for (int page = 0; page < sizes.length; page++) {
            java.util.List<Long> cells = new java.util.ArrayList<>();
            for (int i = 0; i < SizeClasses.CELLS_PER_PAGE[SizeClasses.classOf(sizes[page])]; i++) {
                long cell = space.allocate(sizes[page]);
                assertThat(cell).isBetween(space.pageBase(page), space.pageBase(page) + SizeClasses.PAGE_WORDS);
                arena.write(cell, Header.make(sizes[page], 0, Header.BLACK));
                cells.add(cell);
            }
            pages.add(cells);
        }
        return pages;
    }

    private static long unsweptCells(MarkSweepSpace space, java.util.List<Long> cells) {
        return cells.stream().filter(c -> space.isUnswept(c)).count();
    }

    @Test
    void atItsMaximumTheHeapSweepsEveryUnsweptPageBeforeItGivesUp() {
        Arena arena = new Arena();
        long max = 64L * SizeClasses.PAGE_WORDS;
        MajorHeap heap = new MajorHeap(arena, 8L * SizeClasses.PAGE_WORDS, max, 15, new MemoryReserve(4096));
        java.util.List<Long> cells = fillMarked(arena, () -> heap.allocate(2));
        assertThat(heap.heapWords()).as("filled to its maximum").isEqualTo(max);
        long dead = cells.get(cells.size() - 1);
        arena.write(dead, Header.make(2, 0, Header.WHITE));
        heap.startSweep();
        assertThat(heap.allocate(2)).as("the free cell of the last unswept page").isEqualTo(dead);
        assertThat(heap.heapWords()).isEqualTo(max);
        assertThat(heap.allocate(2)).as("full: exhaustion is the caller's to report").isZero();
    }

    @Test
    void emptyChunksAreReleasedOnlyBeyondTheFreeSpaceToKeep() {
        Arena arena = new Arena();
        MarkSweepSpace space = new MarkSweepSpace(arena);
        space.addChunk(SizeClasses.PAGE_WORDS);
        space.addChunk(SizeClasses.PAGE_WORDS);
        space.addChunk(SizeClasses.PAGE_WORDS);
        long c = space.allocate(10);
        arena.write(c, Header.make(10, 0, Header.BLACK));
        space.sweep();
        space.releaseEmptyChunks(SizeClasses.PAGE_WORDS);
        assertThat(space.chunkCount()).isEqualTo(2);
        assertThat(space.chunkWords()).isEqualTo(2L * SizeClasses.PAGE_WORDS);
        assertThat(space.isCellStart(c)).isTrue();
    }

    @Test
    void largeObjectsGetTheirOwnChunkAndDieWithIt() {
        Arena arena = new Arena();
        LargeObjectSpace los = new LargeObjectSpace(arena);
        long a = los.allocate(5000);
        long b = los.allocate(6000);
        arena.write(a, Header.make(5000, 0, Header.BLACK));
        arena.write(b, Header.make(6000, 0));
        assertThat(los.words()).isEqualTo(11002);
        los.sweep();
        assertThat(los.count()).isEqualTo(1);
        assertThat(los.words()).isEqualTo(5001);
        assertThat(arena.isMapped(b)).isFalse();
        assertThat(los.isBlockStart(a)).isTrue();
        assertThat(Header.isWhite(arena.read(a))).isTrue();
    }

    @Test
    void theNurseryMovesToAFreshChunkIndexEachTimeItIsEmptied() {
        Arena arena = new Arena();
        Nursery nursery = new Nursery(arena, 1024);
        int first = nursery.chunkIndex;
        long young = dev.ephemera.object.Value.ofAddress(nursery.base + 1);
        nursery.top = nursery.base + 10;
        assertThat(nursery.isYoung(young)).isTrue();
        assertThat(nursery.usedWords()).isEqualTo(10);
        nursery.reset();
        assertThat(nursery.chunkIndex).isNotEqualTo(first);
        assertThat(nursery.isYoung(young)).isFalse();
        assertThat(arena.chunk(first)).as("the old epoch is unmapped").isNull();
        assertThat(nursery.totalWordsAllocated()).isEqualTo(10);
        nursery.resize(2048);
        assertThat(nursery.sizeWords()).isEqualTo(2048);
    }

    @Test
    void thePolicyAsksForAMajorCollectionAfterSpaceOverheadOfLiveData() {
        CollectionPolicy p = new CollectionPolicy(100, 1000);
        p.addWork(999);
        assertThat(p.majorDue()).isFalse();
        p.addWork(1);
        assertThat(p.majorDue()).isTrue();
        p.cycleEnded(10_000);
        assertThat(p.majorDue()).isFalse();
        p.addWork(9_999);
        assertThat(p.majorDue()).isFalse();
        p.addWork(1);
        assertThat(p.majorDue()).isTrue();
        assertThat(p.keepFreeWords()).isEqualTo(10_000);
    }

    @Test
    void anIncrementalCycleStartsAsLateAsTheReferencePaceAllowsAndIsPacedToEndBeforeTheThreshold() {
        CollectionPolicy p = new CollectionPolicy(100, 1000);
        p.cycleEnded(100_000); // threshold 100,000 words
        // (100,000 live + 200,000/4 heap + 4,096) * 1.25 is 192,620 units: at 3 units a word, the
        // cycle needs the last 64,207 words of the threshold, so it starts after 35,793
        double estimate = (100_000 + 200_000 / 4.0 + 4096) * 1.25;
        assertCycleDueAfter(p, 100_000, 200_000, (long) (100_000 * (1 - estimate / CollectionPolicy.REFERENCE_PACE / 100_000)));
        p.cycleStarted(100_000, 200_000);
        // spread over the 64,207 words left: about the reference pace
        p.addWork(10_000);
        long budget = p.sliceBudget();
        assertThat(budget).isEqualTo((long) Math.ceil(10_000 * (estimate / (100_000 - 35_793))))
                .isBetween(29_990L, 30_010L);
        p.sliceDone(budget);
        assertThat(p.sliceBudget()).isZero();
        assertThat(p.cycleOutrun()).isFalse();
        p.addWork(200_000 - 45_793);
        assertThat(p.cycleOutrun()).as("twice the threshold added and the cycle not done").isTrue();
    }

    @Test
    void aCheapCycleStartsLateAndAnExpensiveOneEarlyWithinBounds() {
        CollectionPolicy cheap = new CollectionPolicy(100, 1000);
        cheap.cycleEnded(100_000);
        assertCycleDueAfter(cheap, 0, 0, (long) (100_000 * CollectionPolicy.LATEST_START));
        CollectionPolicy expensive = new CollectionPolicy(100, 1000);
        expensive.cycleEnded(100_000);
        // 10 times the threshold to mark: the earliest start, and a pace above the reference
        assertCycleDueAfter(expensive, 1_000_000, 1_000_000, (long) (100_000 * CollectionPolicy.EARLIEST_START));
        expensive.cycleStarted(1_000_000, 1_000_000);
        expensive.addWork(1_000);
        assertThat(expensive.sliceBudget()).isGreaterThan((long) (1_000 * CollectionPolicy.REFERENCE_PACE));
    }

    @Test
    void aCycleIsSpreadOverTwoNurseriesAtLeastEvenWhenItStartsLate() {
        CollectionPolicy p = new CollectionPolicy(100, 100_000); // a minimum threshold of 100,000 words
        p.cycleEnded(0);
        assertCycleDueAfter(p, 0, 0, (long) (100_000 * CollectionPolicy.LATEST_START));
        p.cycleStarted(0, 0);
        // 10,000 words left before the threshold, but the window is half the minimum: 50,000 words
        p.addWork(10_000);
        assertThat(p.sliceBudget()).isEqualTo((long) Math.ceil(10_000 * (4096 * 1.25 / 50_000)));
        p.addWork(99_999); // 199,999 words since the last cycle ended: not outrun yet
        assertThat(p.cycleOutrun()).isFalse();
        p.addWork(1);
        assertThat(p.cycleOutrun()).isTrue();
    }

    @Test
    void theNextCycleIsPacedByHowFarTheEstimateWasFromTheWorkTheLastOneDid() {
        CollectionPolicy p = new CollectionPolicy(100, 1000);
        p.cycleEnded(100_000); // threshold 100,000 words
        double raw = 100_000 + 200_000 / 4.0 + 4096;
        p.addWork(50_000);
        p.cycleStarted(100_000, 200_000);
        p.sliceDone((long) (raw / 4)); // the cycle did a quarter of the raw estimate
        p.cycleEnded(100_000); // calibration (1 + 0.5, the floor) / 2 = 0.75
        // the next cycle's estimate is three quarters of the raw one: it starts later
        double estimate = raw * 0.75 * 1.25;
        long start = (long) (100_000 * (1 - estimate / CollectionPolicy.REFERENCE_PACE / 100_000));
        assertCycleDueAfter(p, 100_000, 200_000, start);
        p.cycleStarted(100_000, 200_000);
        p.addWork(10_000);
        assertThat(p.sliceBudget()).isEqualTo((long) Math.ceil(10_000 * (estimate / (100_000 - start))));
        p.cycleEnded(100_000); // no work: the calibration goes on down, (0.75 + 0.5) / 2
        p.addWork(50_000);
        p.cycleStarted(100_000, 200_000);
        p.addWork(10_000);
        assertThat(p.sliceBudget()).isEqualTo((long) Math.ceil(10_000 * (raw * 0.625 * 1.25 / 50_000)));

        p.sliceDone(Long.MAX_VALUE / 4); // a cycle far over its estimate: the next starts earlier
        p.cycleEnded(100_000); // calibration (0.625 + 2, the ceiling) / 2 = 1.3125
        assertThat(1 - raw * 1.3125 * 1.25 / CollectionPolicy.REFERENCE_PACE / 100_000)
                .as("the reference pace would start it before the earliest start").isLessThan(CollectionPolicy.EARLIEST_START);
        assertCycleDueAfter(p, 100_000, 200_000, (long) (100_000 * CollectionPolicy.EARLIEST_START));
    }

    /**
     * Adds {@code words} to a policy between cycles, the heap holding {@code live} words in
     * {@code heap}: the next cycle is due at the last word, not before.
     */
    private static void assertCycleDueAfter(CollectionPolicy p, long live, long heap, long words) {
        p.addWork(words - 1);
        assertThat(p.cycleDue(live, heap)).isFalse();
        p.addWork(1);
        assertThat(p.cycleDue(live, heap)).isTrue();
    }
}
