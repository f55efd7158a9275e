package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.FreeCellLayout;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;

/**
 * The sweeper of the {@linkplain MarkSweepSpace mark-sweep space}: after marking, it visits
 * every page that was in use, frees its white cells, whitens its black ones, lists its free
 * cells on its class's free list and returns the page to the pool if nothing in it survived.
 *
 * <p>The sweep is lazy and incremental: {@link #start} empties the free lists and makes every
 * in-use page unswept; {@link #slice} sweeps pages a budget at a time, in page order behind a
 * sweep pointer, and an allocation that finds its class's free list empty first sweeps a few
 * unswept pages of that class ({@link #sweepForClass}). So every cell handed out during a sweep
 * comes from a swept page or a fresh one, and a block allocated then is white with no colour
 * rule to get wrong.
 *
 * <p>It also keeps what a sweep learns: each page's live cells — exact while {@link
 * #liveCountsExact} holds, which the compactor uses to skip a pass over the heap — and the free
 * words trapped in sparse pages.
 *
 * <p>Invariant: while a sweep is under way, an unswept page is at or above the sweep pointer
 * and on its class's unswept stack (which may also hold pages the pointer has swept since: an
 * allocation's sweep skips them); its colours are still the marking's (white: dead) and its
 * free cells unlisted.
 */
final class PageSweeper {
    /**
     * A page with at most this fraction of its cells live after a sweep is sparse: its free
     * cells serve only its own size class, so when that class stops allocating they are trapped.
     */
    static final int SPARSE_PAGE_FRACTION = 8;
    /** Budget units a page's sweep costs: a quarter of its words (a sweep reads one header per cell). */
    private static final long PAGE_COST = SizeClasses.PAGE_WORDS / 4;

    private final Arena arena;
    private final MarkSweepSpace space;

    /**
     * Free words in sparse pages, tallied by the sweep under way or the last one (allocation
     * since then may have used some of them: a slight overestimate, read at a cycle's end).
     */
    private long sparseFreeWords;

    /** Per page: 1 if it is in use and has not been swept in the sweep under way, else 0. */
    private final SegmentedInts pageUnswept = new SegmentedInts();

    /**
     * Per page: the live cells its last sweep found. Exact for every in-use page while {@link
     * #liveCountsExact} holds.
     */
    private final SegmentedInts pageLiveCells = new SegmentedInts();
    /** The space's allocated words when the sweep under way started, and the dead words freed since. */
    private long allocatedAtSweepStart;
    private long sweptDeadWords;
    /** The space's allocated words when the last sweep ended if nothing was allocated during it; else -1. */
    private long allocatedAtCleanSweepEnd = -1;

    /**
     * Per class, the pages of the sweep under way for that class's allocations to sweep (a
     * stack, lowest page on top), and how many; entries the slices have swept are skipped.
     */
    private final SegmentedInts[] unswept = new SegmentedInts[SizeClasses.count()];
    private final int[] unsweptCount = new int[SizeClasses.count()];
    /** A sweep is under way. */
    private boolean sweeping;
    /** The slices' sweep pointer: no page below it is unswept in the sweep under way. */
    private int sweepPointer;

    PageSweeper(Arena arena, MarkSweepSpace space) {
        this.arena = arena;
        this.space = space;
    }

    /** Grows the per-page arrays to hold at least {@code pages} pages, as the space's grow. */
    void ensurePageCapacity(int pages) {
        pageUnswept.ensureCapacity(pages);
        pageLiveCells.ensureCapacity(pages);
    }

    /**
     * Starts a sweep (after marking): every in-use page becomes unswept and the free lists are
     * emptied — each page's free cells are listed again when it is swept.
     */
    void start() {
        space.seal();
        space.clearFreeLists();
        sparseFreeWords = 0;
        allocatedAtSweepStart = space.allocatedWords();
        sweptDeadWords = 0;
        allocatedAtCleanSweepEnd = -1;
        Arrays.fill(unsweptCount, 0); // the stacks are rebuilt from nothing (a completed sweep emptied them)
        for (int ch = 0; ch < space.chunkCount(); ch++) {
            int first = space.chunkFirstPage(ch);
            for (int page = first; page < first + space.chunkPageCount(ch); page++) {
                int cls = space.pageClass(page);
                if (cls < 0) {
                    continue;
                }
                if (unswept[cls] == null) {
                    unswept[cls] = new SegmentedInts();
                }
                unswept[cls].ensureCapacity(unsweptCount[cls] + 1);
                // Pushed in ascending order, popped from the top: reverse first so that the
                // lowest pages are swept (and allocated from) first.
                unswept[cls].set(unsweptCount[cls]++, page);
                pageUnswept.set(page, 1);
            }
        }
        for (int cls = 0; cls < unswept.length; cls++) {
            SegmentedInts pages = unswept[cls];
            for (int i = 0, j = unsweptCount[cls] - 1; i < j; i++, j--) {
                int t = pages.get(i);
                pages.set(i, pages.get(j));
                pages.set(j, t);
            }
        }
        sweeping = true;
        sweepPointer = 0;
    }

    /**
     * Sweeps unswept pages in page order, from the sweep pointer on, until {@code budget} is
     * spent (a page costs a quarter of its words: a sweep reads one header per cell), skipping
     * the pages allocations have swept. Returns true when the sweep is complete. Pages are
     * numbered in the order their chunks were added (see {@link FreePagePool}).
     *
     * <p>Why page order, when allocations sweep class by class: the slices sweep most of the
     * heap, and memory read in the order it lies is what the hardware streams best. Class by
     * class (the slices' order until 2026-12-04), a full major's sweep of the forward
     * ephemeron chain cost 1.5–1.9 times as much CPU time in five JVMs of eight as in the other
     * three, for the same pages and cells (async-profiler: the page sweep's samples); in page
     * order it costs what the stop-the-world sweep did in every JVM measured (docs/benchmarks.md,
     * sixteenth session).
     */
    boolean slice(Budget budget) {
        int pages = space.pageCount();
        while (sweepPointer < pages) {
            if (pageUnswept.get(sweepPointer) == 0) { // free, or swept by an allocation
                sweepPointer++;
                continue;
            }
            if (budget.isExhausted()) {
                return false;
            }
            sweepPage(sweepPointer++);
            budget.spend(PAGE_COST);
        }
        Arrays.fill(unsweptCount, 0); // what the stacks still hold, the pointer has swept
        sweeping = false;
        // Nothing allocated while sweeping (allocation only ever adds to allocatedWords, the
        // sweep only subtracts what it freed): every page's count is what it holds now.
        long allocated = space.allocatedWords();
        allocatedAtCleanSweepEnd = allocated == allocatedAtSweepStart - sweptDeadWords ? allocated : -1;
        return true;
    }

    /**
     * Lazy sweeping for an allocation: sweeps unswept pages of class {@code cls}, at most
     * {@code maxPages} of them, until the class's free list has a cell or none is left. Entries
     * for pages the slices' pointer has swept since are dropped without a second sweep.
     *
     * <p>The per-cell work is {@link #sweepPage}'s, a method of its own, so that it is compiled
     * early whichever loop calls it: a loop in {@link #slice}, a method called a few times per
     * cycle, once held the cell loop too and ran it interpreted through a full major's sweep —
     * twice the sweep's time (40 ms against 18 for 80 million words) until the JIT compiled it
     * on the stack, cycles later.
     */
    void sweepForClass(int cls, int maxPages) {
        int swept = 0;
        while (swept < maxPages && unsweptCount[cls] > 0 && !space.hasFreeCell(cls)) {
            int page = unswept[cls].get(--unsweptCount[cls]);
            if (pageUnswept.get(page) != 0) {
                sweepPage(page);
                swept++;
            }
        }
    }

    /**
     * Sweeps one page: frees its white cells, whitens its black ones, and either lists its free
     * cells at the head of its class's free list or, if nothing survived, returns it to the pool.
     */
    private void sweepPage(int page) {
        pageUnswept.set(page, 0);
        int cls = space.pageClass(page);
        long base = space.pageBase(page);
        long[] words = arena.storage(Arena.indexOf(base));
        int cw = SizeClasses.CELL_WORDS[cls];
        int cells = SizeClasses.CELLS_PER_PAGE[cls];
        int off = Arena.offsetOf(base);
        long freeHeader = FreeCellLayout.header(cw);
        long localHead = 0;
        long localTail = 0;
        int live = 0;
        long deadWords = 0;
        for (int i = 0; i < cells; i++, off += cw) {
            long h = words[off];
            long colour = h & Header.COLOUR_MASK;
            if (colour == Header.BLACK) {
                words[off] = h & ~Header.COLOUR_MASK;
                live++;
                continue;
            }
            if (colour != Header.BLUE) {
                deadWords += Header.blockWords(Header.sizeWords(h));
                words[off] = freeHeader;
            }
            long c = base + (long) i * cw;
            if (localTail == 0) {
                localHead = c;
            } else {
                words[Arena.offsetOf(localTail) + FreeCellLayout.NEXT_OFFSET] = c;
            }
            localTail = c;
        }
        space.freed(deadWords);
        sweptDeadWords += deadWords;
        pageLiveCells.set(page, live);
        if (live == 0) {
            space.returnFreePage(page);
            return;
        }
        if (live <= cells / SPARSE_PAGE_FRACTION) {
            sparseFreeWords += (long) (cells - live) * cw;
        }
        if (localTail != 0) {
            space.prependFreeCells(cls, localHead, localTail);
        }
    }

    /** True if {@code page} is in use and the sweep under way has not reached it. */
    boolean isUnswept(int page) {
        return pageUnswept.get(page) != 0;
    }

    /**
     * True if the last sweep ran with no allocation during it and none since: then {@link
     * #sweptLiveCells} is exact for every in-use page. (Allocation adds to allocatedWords and
     * only the sweep takes from it, so equal totals mean no cell changed hands.)
     */
    boolean liveCountsExact() {
        return !sweeping && allocatedAtCleanSweepEnd == space.allocatedWords();
    }

    /** Live cells of in-use page {@code page} as the last sweep found them (see {@link #liveCountsExact}). */
    int sweptLiveCells(int page) {
        return pageLiveCells.get(page);
    }

    /** A compaction moved cells: the sweep's per-page counts no longer hold. */
    void forgetLiveCounts() {
        allocatedAtCleanSweepEnd = -1;
    }

    /**
     * Free words trapped in sparse pages (at most one live cell in {@value #SPARSE_PAGE_FRACTION})
     * as the last sweep found them: the fragmentation a size-segregated heap has and a free-list
     * heap like OCaml's does not, since these cells cannot hold blocks of another size.
     */
    long sparseFreeWords() {
        return sparseFreeWords;
    }
}
