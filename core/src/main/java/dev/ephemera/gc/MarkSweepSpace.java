package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.FreeCellLayout;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;

/**
 * The non-moving space of small old blocks: chunks of pages, each page holding cells of one
 * {@linkplain SizeClasses size class}, with one free list per class.
 *
 * <pre>
 *  chunk:  | page 0 | page 1 | ... |           page: | cell | cell | ... | cell | tail waste |
 *  cell:   | header | field 0 ... |              free cell: | BLUE header | next free cell | ... |
 * </pre>
 *
 * <p>Invariants, outside a sweep: every cell of an in-use page is either allocated (a header
 * that is not {@link Header#BLUE}) or free (BLUE, linked in its class's free list: {@link
 * FreeCellLayout}); pages with no allocated cell are in the free-page pool and belong to no class.
 *
 * <p>Sweeping is the {@linkplain PageSweeper sweeper}'s: lazy and incremental, it lists each
 * page's free cells again as it reaches it, and an allocation that finds its class's free list
 * empty first sweeps a few unswept pages of that class before it takes a free page. Blocks
 * allocated while the cycle marked or cleaned are black, and the sweep whitens them; a block
 * allocated during the sweep comes from a swept or fresh page and is white.
 */
final class MarkSweepSpace {
    static final byte CHUNK_KIND = 2;
    private static final int PAGE_FREE = -1;
    private static final int PAGE_RETIRED = -2;

    private final Arena arena;

    private int[] chunkIndex = new int[8];
    /** For an arena chunk index, 1 + its position in {@link #chunkIndex}, or 0 if not ours. */
    private int[] slotOfIndex = new int[64];
    private int[] chunkFirstPage = new int[8];
    private int[] chunkPageCount = new int[8];
    private int chunkCount;

    private final SegmentedInts pageClass = new SegmentedInts();
    private final SegmentedLongs pageBase = new SegmentedLongs();
    private int pageCount;

    /** Free pages, handed out lowest first (see {@link FreePagePool} for why). */
    private final FreePagePool freePages = new FreePagePool();

    /**
     * Unswept pages an allocation sweeps, at most, looking for a free cell of its class before
     * it takes a free page instead (see {@link #allocateSlow}).
     */
    private static final int LAZY_SWEEP_PAGES = 4;

    /** The sweeper of this space's pages (it shares the free lists and the page table). */
    private final PageSweeper sweeper;

    private final long[] freeHead = new long[SizeClasses.count()];
    /**
     * Per class, the bump region of the page being filled: cells in [cursor, limit) are not yet
     * formatted (except while the region is {@linkplain #leaseBumpRegion leased}: the lessee's
     * cursor is ahead). {@link #seal} formats them as free cells before anything walks the pages.
     */
    private final long[] bumpCursor = new long[SizeClasses.count()];
    private final long[] bumpLimit = new long[SizeClasses.count()];

    /** Words of all chunks. */
    private long chunkWords;
    /**
     * Words of chunk the space keeps even when they are empty: the initial heap, which (as
     * OCaml's first chunk, which holds its {@code h}) is never given back, except to the JVM
     * when it is short of memory or to a large block at the heap's maximum.
     */
    private long floorWords;
    /** Words (headers included) of allocated blocks; exact after a sweep, then grows with allocation. */
    private long allocatedWords;

    MarkSweepSpace(Arena arena) {
        this.arena = arena;
        this.sweeper = new PageSweeper(arena, this);
    }

    /**
     * Takes a cell for a block of {@code sizeWords} fields and returns the address of its header
     * word (still BLUE: the caller writes the header), or 0 if no cell is free and growing is
     * the caller's decision.
     */
    long allocate(int sizeWords) {
        int cls = SizeClasses.classOf(sizeWords);
        long cell = bumpCursor[cls];
        long next = cell + SizeClasses.CELL_WORDS[cls];
        if (freeHead[cls] == 0 && cell != 0 && next <= bumpLimit[cls]) {
            bumpCursor[cls] = next;
            allocatedWords += Header.blockWords(sizeWords);
            return cell;
        }
        return allocateSlow(cls, sizeWords);
    }

    /**
     * Leases class {@code cls}'s bump region to a caller that bumps a cursor of its own (the
     * minor collector promoting a chain: no store to this space per block): returns the region's
     * cursor, or 0 if the class has free-list cells (which {@link #allocate} hands out first: so
     * does a lease) or no region. The region ends at {@link #bumpLimit}. Until {@link #endLease}
     * the region is the caller's and this space's figures lag behind it: nothing else may
     * allocate in the class, {@linkplain #seal seal} the space, walk its pages, classify its
     * cells ({@link #isUnallocatedBumpCell}) or read its allocated words.
     */
    long leaseBumpRegion(int cls) {
        return freeHead[cls] == 0 ? bumpCursor[cls] : 0;
    }

    /** The end of class {@code cls}'s bump region (for a {@linkplain #leaseBumpRegion lease}). */
    long bumpLimit(int cls) {
        return bumpLimit[cls];
    }

    /**
     * Ends a {@linkplain #leaseBumpRegion lease}: the region's cursor is now {@code cursor}, and
     * the blocks allocated under the lease hold {@code words} words, headers included.
     */
    void endLease(int cls, long cursor, long words) {
        bumpCursor[cls] = cursor;
        allocatedWords += words;
    }

    /**
     * Free-list cells first (holes left by the sweeper), then — during a sweep — the free cells
     * of up to {@link #LAZY_SWEEP_PAGES} unswept pages of this class, then a fresh bump region;
     * 0 if none of these has a cell, even if unswept pages remain: the caller then grows the
     * heap, or, where it may not grow, calls {@link #allocateSweepingAll}.
     *
     * <p>The bound is what keeps an allocation's pause short: with a large live heap most
     * unswept pages are full, and sweeping them all to find one free cell took tens of
     * milliseconds (every page of a 10^7-cell list) inside a single allocation — or inside the
     * minor collection whose promotion needed a page, every time the heap grew. The pages left
     * unswept are swept by the cycle's slices, which the pacing already budgets for; growing
     * instead is what OCaml does too (its allocator never sweeps).
     */
    private long allocateSlow(int cls, int sizeWords) {
        sweeper.sweepForClass(cls, LAZY_SWEEP_PAGES);
        long cell = freeHead[cls];
        if (cell == 0) {
            cell = takeFreePage(cls);
            if (cell != 0) {
                bumpCursor[cls] = cell + SizeClasses.CELL_WORDS[cls];
                allocatedWords += Header.blockWords(sizeWords);
            }
            return cell;
        }
        return takeFreeCell(cls, sizeWords);
    }

    /**
     * Like {@link #allocate}, but sweeps every unswept page of the class before it gives up:
     * for when the heap may not grow (at its maximum, or the JVM short of memory), where the
     * free cells of unswept pages are the only room left.
     */
    long allocateSweepingAll(int sizeWords) {
        int cls = SizeClasses.classOf(sizeWords);
        sweeper.sweepForClass(cls, Integer.MAX_VALUE);
        return freeHead[cls] != 0 ? takeFreeCell(cls, sizeWords) : allocate(sizeWords);
    }

    private long takeFreeCell(int cls, int sizeWords) {
        long cell = freeHead[cls];
        freeHead[cls] = arena.read(FreeCellLayout.nextAddress(cell));
        allocatedWords += Header.blockWords(sizeWords);
        return cell;
    }

    /**
     * Gives a free page to class {@code cls} as its bump region and returns its first cell, or 0.
     * The rest of the region is formatted lazily ({@link #seal}), so promotion into a fresh page
     * writes each cell once, when it is allocated.
     */
    private long takeFreePage(int cls) {
        if (freePages.size() == 0) {
            return 0;
        }
        sealClass(cls);
        int page = freePages.popLowest();
        pageClass.set(page, cls);
        long base = pageBase.get(page);
        bumpCursor[cls] = base;
        bumpLimit[cls] = base + (long) SizeClasses.CELLS_PER_PAGE[cls] * SizeClasses.CELL_WORDS[cls];
        return base;
    }

    /**
     * Formats the unallocated rest of every bump region as free cells (on the free lists), so
     * that every in-use page is walkable. Called before sweeping and verification.
     */
    void seal() {
        for (int cls = 0; cls < bumpCursor.length; cls++) {
            sealClass(cls);
        }
    }

    private void sealClass(int cls) {
        long cursor = bumpCursor[cls];
        if (cursor == 0) {
            return;
        }
        int cw = SizeClasses.CELL_WORDS[cls];
        long limit = bumpLimit[cls];
        long free = FreeCellLayout.header(cw);
        long head = freeHead[cls];
        for (long c = limit - cw; c >= cursor; c -= cw) {
            arena.write(c, free);
            arena.write(FreeCellLayout.nextAddress(c), head);
            head = c;
        }
        freeHead[cls] = head;
        bumpCursor[cls] = 0;
        bumpLimit[cls] = 0;
    }

    /** Adds a chunk of at least {@code minWords} words (rounded up to whole pages). */
    void addChunk(long minWords) {
        int pages = (int) Math.max(1, (minWords + SizeClasses.PAGE_WORDS - 1) / SizeClasses.PAGE_WORDS);
        addChunk(new long[Math.multiplyExact(pages, SizeClasses.PAGE_WORDS)]);
    }

    /**
     * Adds {@code storage}, a zeroed array, as a chunk of as many whole pages as it holds (the
     * words past the last whole page are not used).
     */
    void addChunk(long[] storage) {
        int pages = storage.length / SizeClasses.PAGE_WORDS;
        int words = pages * SizeClasses.PAGE_WORDS;
        // Every array this needs is grown before anything changes, so that an OutOfMemoryError
        // (the JVM at its limit: the caller may report it as exhaustion) leaves the space as it was.
        if (chunkCount == chunkIndex.length) {
            int n = chunkCount * 2;
            int[] index = Arrays.copyOf(chunkIndex, n);
            int[] first = Arrays.copyOf(chunkFirstPage, n);
            int[] count = Arrays.copyOf(chunkPageCount, n);
            chunkIndex = index;
            chunkFirstPage = first;
            chunkPageCount = count;
        }
        ensurePageCapacity(pageCount + pages);
        // Room for every page the space will hold, not only for those free now: any page in
        // use may come free in a sweep, and a push that had to grow the pool there could fail
        // with a page already marked free and in no pool.
        freePages.ensureCapacity(pageCount + pages);
        long base = arena.mapChunk(storage, CHUNK_KIND);
        if (Arena.indexOf(base) >= slotOfIndex.length) {
            try {
                slotOfIndex = Arrays.copyOf(slotOfIndex, Math.max(Arena.indexOf(base) + 1, slotOfIndex.length * 2));
            } catch (OutOfMemoryError jvmLimit) {
                arena.release(Arena.indexOf(base));
                throw jvmLimit;
            }
        }
        chunkIndex[chunkCount] = Arena.indexOf(base);
        chunkFirstPage[chunkCount] = pageCount;
        chunkPageCount[chunkCount] = pages;
        chunkCount++;
        reindexSlots();
        ensurePageCapacity(pageCount + pages);
        for (int p = 0; p < pages; p++) {
            int page = pageCount++;
            pageBase.set(page, base + (long) p * SizeClasses.PAGE_WORDS);
            pageClass.set(page, PAGE_FREE);
        }
        for (int p = 0; p < pages; p++) {
            freePages.push(chunkFirstPage[chunkCount - 1] + p);
        }
        chunkWords += words;
    }

    private void reindexSlots() {
        Arrays.fill(slotOfIndex, 0);
        for (int ch = 0; ch < chunkCount; ch++) {
            slotOfIndex[chunkIndex[ch]] = ch + 1;
        }
    }

    private void ensurePageCapacity(int n) {
        sweeper.ensurePageCapacity(n);
        pageClass.ensureCapacity(n);
        pageBase.ensureCapacity(n);
    }

    // ------------------------------------------------------------------ sweeper support

    /** The sweeper: the per-page counts the compactor reads, the sparse-page tally. */
    PageSweeper sweeper() {
        return sweeper;
    }

    /** Empties every free list (a sweep lists the free cells again, page by page). */
    void clearFreeLists() {
        Arrays.fill(freeHead, 0);
    }

    /** True if class {@code cls}'s free list has a cell. */
    boolean hasFreeCell(int cls) {
        return freeHead[cls] != 0;
    }

    /** The sweep freed {@code words} words of dead blocks (headers included). */
    void freed(long words) {
        allocatedWords -= words;
    }

    /** A swept page in which nothing survived goes back to the free-page pool. */
    void returnFreePage(int page) {
        pageClass.set(page, PAGE_FREE);
        freePages.push(page);
    }

    /**
     * Puts the free cells of a swept page, already linked from {@code head} to {@code tail}, at
     * the head of class {@code cls}'s free list.
     */
    void prependFreeCells(int cls, long head, long tail) {
        arena.write(FreeCellLayout.nextAddress(tail), freeHead[cls]);
        freeHead[cls] = head;
    }

    /**
     * Starts a sweep (after marking): every in-use page becomes unswept and the free lists are
     * emptied — each page's free cells are listed again when it is swept.
     */
    void startSweep() {
        sweeper.start();
    }

    /** Sweeps unswept pages until {@code budget} is spent; returns true when the sweep is complete. */
    boolean sweepSlice(Budget budget) {
        return sweeper.slice(budget);
    }

    /** Sweeps everything at once (a stop-the-world sweep). */
    void sweep() {
        startSweep();
        sweepSlice(Budget.unlimited());
    }

    /** Sets the {@linkplain #floorWords() floor}: the chunk words the space has now, at creation. */
    void keepChunksAsFloor() {
        floorWords = chunkWords;
    }

    /** Lowers the {@linkplain #floorWords() floor} to at most {@code words} (a lowered maximum heap). */
    void lowerFloorTo(long words) {
        floorWords = Math.min(floorWords, words);
    }

    /**
     * {@return the chunk words the space keeps even when they are empty} Only {@link
     * #releaseEmptyChunksBelowFloor} goes below it; a compaction keeps it too.
     */
    long floorWords() {
        return floorWords;
    }

    /**
     * Releases chunks none of whose pages is in use, highest first, while the free words left
     * would stay at or above {@code keepFreeWords} and the chunk words at or above the {@linkplain
     * #floorWords() floor}. Called after {@link #sweep}: a page is free only while nothing is
     * allocated in it.
     */
    void releaseEmptyChunks(long keepFreeWords) {
        releaseEmptyChunks(keepFreeWords, floorWords);
    }

    /**
     * Releases every chunk none of whose pages is in use, the floor included: for the JVM when
     * it is short of memory, and for a large block at the heap's maximum (the room stays in the
     * heap).
     */
    void releaseEmptyChunksBelowFloor() {
        releaseEmptyChunks(0, 0);
    }

    private void releaseEmptyChunks(long keepFreeWords, long keepChunkWords) {
        boolean released = false;
        for (int ch = chunkCount - 1; ch >= 0; ch--) {
            long words = (long) chunkPageCount[ch] * SizeClasses.PAGE_WORDS;
            if (freeWords() - words < keepFreeWords || chunkWords - words < keepChunkWords) {
                continue;
            }
            int first = chunkFirstPage[ch];
            boolean empty = true;
            for (int p = first; p < first + chunkPageCount[ch]; p++) {
                if (pageClass.get(p) != PAGE_FREE) {
                    empty = false;
                    break;
                }
            }
            if (!empty) {
                continue;
            }
            for (int p = first; p < first + chunkPageCount[ch]; p++) {
                pageClass.set(p, PAGE_RETIRED);
            }
            arena.release(chunkIndex[ch]);
            chunkWords -= words;
            System.arraycopy(chunkIndex, ch + 1, chunkIndex, ch, chunkCount - ch - 1);
            System.arraycopy(chunkFirstPage, ch + 1, chunkFirstPage, ch, chunkCount - ch - 1);
            System.arraycopy(chunkPageCount, ch + 1, chunkPageCount, ch, chunkCount - ch - 1);
            chunkCount--;
            released = true;
            reindexSlots();
        }
        if (released) {
            freePages.retainIf(page -> pageClass.get(page) == PAGE_FREE);
        }
    }

    // ------------------------------------------------------------------ compaction support

    int chunkFirstPage(int ch) {
        return chunkFirstPage[ch];
    }

    int chunkPageCount(int ch) {
        return chunkPageCount[ch];
    }

    int chunkArenaIndex(int ch) {
        return chunkIndex[ch];
    }

    int pageCount() {
        return pageCount;
    }

    /** The class of a page: a size class, or negative for a free or retired page. */
    int pageClass(int page) {
        return pageClass.get(page);
    }

    long pageBase(int page) {
        return pageBase.get(page);
    }

    /** Pages the free-page pool can hold without allocating (tests: a sweep allocates nothing). */
    int freePagePoolCapacity() {
        return freePages.capacity();
    }

    /** True if {@code page} is in the free-page pool. */
    boolean isFreePage(int page) {
        return pageClass.get(page) == PAGE_FREE;
    }

    /**
     * Takes the free page {@code page} for class {@code cls}, every cell of it free (blue); it
     * leaves the pool at the next {@link #relist}.
     */
    void assignFreePage(int page, int cls) {
        pageClass.set(page, cls);
        int cw = SizeClasses.CELL_WORDS[cls];
        long free = FreeCellLayout.header(cw);
        for (int i = 0; i < SizeClasses.CELLS_PER_PAGE[cls]; i++) {
            arena.write(pageBase.get(page) + (long) i * cw, free);
        }
    }

    /** Returns {@code page}, emptied, to the pool (at the next {@link #relist}). */
    void freePage(int page) {
        pageClass.set(page, PAGE_FREE);
    }

    /** The chunk at position {@code ch} is now mapped at arena index {@code newIndex}. */
    void remapChunk(int ch, int newIndex) {
        long base = Arena.address(newIndex, 0);
        int first = chunkFirstPage[ch];
        for (int p = first; p < first + chunkPageCount[ch]; p++) {
            pageBase.set(p, base + (long) (p - first) * SizeClasses.PAGE_WORDS);
        }
        chunkIndex[ch] = newIndex;
        if (newIndex >= slotOfIndex.length) {
            slotOfIndex = Arrays.copyOf(slotOfIndex, Math.max(newIndex + 1, slotOfIndex.length * 2));
        }
        reindexSlots();
    }

    /** Drops the chunk at position {@code ch}, all of whose pages are empty; its index is retired. */
    void retireChunk(int ch) {
        int first = chunkFirstPage[ch];
        for (int p = first; p < first + chunkPageCount[ch]; p++) {
            pageClass.set(p, PAGE_RETIRED);
        }
        arena.retire(chunkIndex[ch]);
        chunkWords -= (long) chunkPageCount[ch] * SizeClasses.PAGE_WORDS;
        System.arraycopy(chunkIndex, ch + 1, chunkIndex, ch, chunkCount - ch - 1);
        System.arraycopy(chunkFirstPage, ch + 1, chunkFirstPage, ch, chunkCount - ch - 1);
        System.arraycopy(chunkPageCount, ch + 1, chunkPageCount, ch, chunkCount - ch - 1);
        chunkCount--;
        reindexSlots();
    }

    /**
     * Rebuilds the free-page pool and every free list from the pages as they are (after a
     * compaction moved cells around): pages in use list their blue cells, in address order.
     */
    void relist() {
        seal();
        Arrays.fill(freeHead, 0);
        long[] tail = new long[freeHead.length];
        freePages.clear();
        for (int ch = 0; ch < chunkCount; ch++) {
            int first = chunkFirstPage[ch];
            for (int page = first; page < first + chunkPageCount[ch]; page++) {
                int cls = pageClass.get(page);
                if (cls == PAGE_FREE) {
                    freePages.push(page);
                    continue;
                }
                if (cls < 0) {
                    continue;
                }
                int cw = SizeClasses.CELL_WORDS[cls];
                for (int i = 0; i < SizeClasses.CELLS_PER_PAGE[cls]; i++) {
                    long c = pageBase.get(page) + (long) i * cw;
                    if (!Header.isBlue(arena.read(c))) {
                        continue;
                    }
                    arena.write(FreeCellLayout.nextAddress(c), 0);
                    if (tail[cls] == 0) {
                        freeHead[cls] = c;
                    } else {
                        arena.write(FreeCellLayout.nextAddress(tail[cls]), c);
                    }
                    tail[cls] = c;
                }
            }
        }
    }

    /** Words of the pages in the free-page pool (any size class can take them). */
    long freePageWords() {
        return (long) freePages.size() * SizeClasses.PAGE_WORDS;
    }

    /** Words of all chunks of this space. */
    long chunkWords() {
        return chunkWords;
    }

    /** Words, headers included, of allocated blocks (live or not yet swept). */
    long allocatedWords() {
        return allocatedWords;
    }

    /** Words not held by an allocated block: free cells, free pages, page tails, cell slack. */
    long freeWords() {
        return chunkWords - allocatedWords;
    }

    int chunkCount() {
        return chunkCount;
    }

    /**
     * Visits every cell of every in-use page: {@code visitor.cell(headerAddress, cellWords,
     * swept)}, where {@code swept} is false for the pages of a sweep under way that it has not
     * reached yet (their white cells are dead, their black ones live, their free cells unlisted).
     */
    void forEachCell(CellVisitor visitor) {
        seal();
        for (int ch = 0; ch < chunkCount; ch++) {
            int first = chunkFirstPage[ch];
            for (int page = first; page < first + chunkPageCount[ch]; page++) {
                int cls = pageClass.get(page);
                if (cls < 0) {
                    continue;
                }
                int cw = SizeClasses.CELL_WORDS[cls];
                for (int i = 0; i < SizeClasses.CELLS_PER_PAGE[cls]; i++) {
                    visitor.cell(pageBase.get(page) + (long) i * cw, cw, !sweeper.isUnswept(page));
                }
            }
        }
    }

    /** Number of cells on all free lists (the free cells of swept and fresh pages). */
    long countFreeListCells() {
        seal();
        long n = 0;
        for (int cls = 0; cls < freeHead.length; cls++) {
            for (long c = freeHead[cls]; c != 0; c = arena.read(FreeCellLayout.nextAddress(c))) {
                n++;
            }
        }
        return n;
    }

    /**
     * True if {@code headerAddress} is the first word of a cell of an in-use page of this space.
     * Constant time; used by the verifier and by registration checks.
     */
    boolean isCellStart(long headerAddress) {
        int index = Arena.indexOf(headerAddress);
        if (index <= 0 || index >= slotOfIndex.length || slotOfIndex[index] == 0) {
            return false;
        }
        int ch = slotOfIndex[index] - 1;
        int offset = Arena.offsetOf(headerAddress);
        int page = chunkFirstPage[ch] + offset / SizeClasses.PAGE_WORDS;
        if (offset < 0 || page >= chunkFirstPage[ch] + chunkPageCount[ch]) {
            return false;
        }
        int cls = pageClass.get(page);
        if (cls < 0) {
            return false;
        }
        int inPage = offset % SizeClasses.PAGE_WORDS;
        int cw = SizeClasses.CELL_WORDS[cls];
        return inPage % cw == 0 && inPage / cw < SizeClasses.CELLS_PER_PAGE[cls];
    }

    /**
     * True if the cell at {@code headerAddress} (a {@linkplain #isCellStart cell start}) lies in
     * the unformatted rest of a bump region: never allocated since its page was taken, so its
     * words are whatever the page held before. For the pointer check of checked mode.
     */
    boolean isUnallocatedBumpCell(long headerAddress) {
        int cls = pageClassAt(headerAddress);
        return cls >= 0 && bumpCursor[cls] != 0 && headerAddress >= bumpCursor[cls]
                && headerAddress < bumpLimit[cls];
    }

    /**
     * True if the cell at {@code headerAddress} is in a page the sweep under way has not reached:
     * its colour is still the marking's (white: dead). For the pointer check of checked mode.
     */
    boolean isUnswept(long headerAddress) {
        int page = pageAt(headerAddress);
        return page >= 0 && sweeper.isUnswept(page);
    }

    /** The size class of the in-use page holding {@code address}, or -1. */
    private int pageClassAt(long address) {
        int page = pageAt(address);
        return page < 0 ? -1 : pageClass.get(page);
    }

    /** The page holding {@code address}, or -1 if it is not in a chunk of this space. */
    private int pageAt(long address) {
        int index = Arena.indexOf(address);
        if (index <= 0 || index >= slotOfIndex.length || slotOfIndex[index] == 0) {
            return -1;
        }
        int ch = slotOfIndex[index] - 1;
        int offset = Arena.offsetOf(address);
        int page = chunkFirstPage[ch] + offset / SizeClasses.PAGE_WORDS;
        if (offset < 0 || page >= chunkFirstPage[ch] + chunkPageCount[ch]) {
            return -1;
        }
        return page;
    }

    /** A visitor of cells. */
    interface CellVisitor {
        void cell(long headerAddress, int cellWords, boolean swept);
    }
}
