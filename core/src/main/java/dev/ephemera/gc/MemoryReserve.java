package dev.ephemera.gc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the collector does when the JVM runs out of memory: an {@code OutOfMemoryError} from
 * allocating a chunk must leave the heap consistent and be reported as exhaustion
 * ({@code HeapExhaustedException}), never escape in the middle of a collection.
 *
 * <p>The JVM keeps a reserve — one array for all the heaps of the JVM, whose memory they share:
 * the largest nursery of any heap, {@link #RESERVE_PAGES} pages and a 2 MiB cushion — and a heap
 * lets go of it ({@link #spend}) the first time the JVM refuses it a chunk:
 * <ul>
 * <li><b>outside a collection</b> (a large block, an ephemeron, the heap growing for an old
 *     allocation) nothing has changed when {@code new long[]} fails; the allocation is treated
 *     as at the heap's limit — a full collection, one more try, then exhaustion — and what the
 *     reserve frees is what that collection's own bookkeeping, and the client, run in;</li>
 * <li><b>during promotion</b>, inside a minor collection, which must not fail half-way, the
 *     space then grows by one chunk of the nursery's size and a few pages in the memory just
 *     freed (then, if need be, a page at a time); the collection completes, and the allocation
 *     that caused it reports exhaustion unless a full collection frees enough for the reserve to
 *     be taken back.</li>
 * </ul>
 * A chunk the JVM does give is not taken if it leaves the JVM less than the cushion for
 * anything else ({@link #hasHeadroom}): the client, and the collector's own tables, must still be
 * able to allocate, and an {@code OutOfMemoryError} would otherwise land on whoever allocates
 * next. <b>While the reserve is spent</b> no new chunk is asked for outside a collection, and the
 * nursery is capped at what the major heap's free pages can take ({@link #nurseryCap}), so no
 * promotion needs one either. After every collection the reserve is asked for again (empty
 * chunks are given back to the JVM first if need be); once the JVM gives it, all is as before.
 *
 * <p>The default maximum heap ({@link GcConfig#defaultMaxHeapWords}) leaves the JVM room enough
 * that this is the exception: it matters for a heap made unlimited on purpose, several heaps in
 * one JVM, or a client that fills the JVM itself. Not covered: an {@code OutOfMemoryError} while
 * the collector's own tables (mark stack, remembered set) grow by more than the cushion.
 *
 * <p>The reserve is shared because the memory is: heaps on different threads spend and retake it
 * atomically, and a heap whose nursery is larger than any before grows it.
 */
final class MemoryReserve {
    /** Pages beyond the nursery's size in the reserve: promotion leaves a page per size class it uses partly full. */
    static final int RESERVE_PAGES = 16;
    /**
     * Words of the reserve beyond what promotion may take (2 MiB): what the collector's own
     * tables (the mark stack, the collection's bookkeeping) and the client run in once the JVM
     * is full of live blocks.
     */
    static final int CUSHION_WORDS = 256 * 1024;
    /** Words the free pages must keep beyond the nursery cap: a partly used page per size class. */
    private static final long SLACK_WORDS = 64L * SizeClasses.PAGE_WORDS;

    /** The JVM-wide reserve; null while spent. */
    private static final AtomicReference<long[]> SHARED = new AtomicReference<>();
    /** The words the shared reserve should have: the most any heap has needed. */
    private static final AtomicInteger SHARED_WORDS = new AtomicInteger();

    /** Words a promotion of this heap may take of the memory the reserve frees. */
    private int promotionWords;
    /** Where {@link #hasHeadroom} puts its trial array (a field, so that it is really allocated). */
    private long[] probe;

    MemoryReserve(int nurseryWords) {
        nurseryResized(nurseryWords);
    }

    /** The nursery now has {@code nurseryWords} words: the reserve must cover its promotion. */
    void nurseryResized(int nurseryWords) {
        promotionWords = nurseryWords + RESERVE_PAGES * SizeClasses.PAGE_WORDS;
        int wanted = SHARED_WORDS.accumulateAndGet(promotionWords + CUSHION_WORDS, Math::max);
        long[] r = SHARED.get();
        if (r == null || r.length < wanted) {
            try {
                long[] grown = new long[wanted];
                if (!SHARED.compareAndSet(r, grown) && SHARED.get() == null) {
                    SHARED.compareAndSet(null, grown);
                }
            } catch (OutOfMemoryError jvmFull) {
                // stays as it is; a heap that meets the JVM's limit finds it spent (or too small)
            }
        }
    }

    /**
     * The JVM refused a chunk: lets go of the reserve, so that its collector finds that much
     * memory for what must still run. Returns false if the reserve was already spent.
     */
    boolean spend() {
        return SHARED.getAndSet(null) != null;
    }

    /** Words a promotion may take once the reserve is spent: the nursery's and {@link #RESERVE_PAGES} pages. */
    int promotionWords() {
        return promotionWords;
    }

    /**
     * After a chunk was allocated: true if the JVM still has room for a cushion's worth of other
     * objects. Cheap while the JVM has plenty of unused memory; near its maximum (where free
     * memory as the JVM reports it may be garbage not yet collected, or fragments it cannot use)
     * it asks for a cushion-sized array and drops it at once.
     */
    boolean hasHeadroom() {
        Runtime rt = Runtime.getRuntime();
        long unused = rt.maxMemory() - rt.totalMemory() + rt.freeMemory();
        if (unused >= 8L * CUSHION_WORDS * 8) {
            return true;
        }
        try {
            probe = new long[CUSHION_WORDS];
            return true;
        } catch (OutOfMemoryError full) {
            return false;
        } finally {
            probe = null;
        }
    }

    /** True while the reserve is spent: collections must not need new chunks. */
    boolean isSpent() {
        return SHARED.get() == null;
    }

    /** True if the JVM refused a chunk and the reserve has not been taken back since. */
    boolean jvmRefused() {
        return isSpent();
    }

    /**
     * After a collection: takes the reserve back if the JVM can give it (giving the space's
     * empty chunks back to the JVM first if need be), and returns the most words the nursery may
     * hold — unlimited with the reserve, else what the major heap's free pages can absorb (minus a
     * page per size class that promotion may leave partly used).
     */
    long nurseryCap(MarkSweepSpace small) {
        if (isSpent() && !retake()) {
            // empty chunks kept for later growth hold memory the JVM needs now
            small.releaseEmptyChunksBelowFloor();
            if (!retake()) {
                return Math.max(0, small.freePageWords() * 3 / 4 - SLACK_WORDS);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Takes the reserve back if the JVM can give it and still have the cushion to spare. */
    private boolean retake() {
        long[] r;
        try {
            r = new long[SHARED_WORDS.get()];
        } catch (OutOfMemoryError stillShort) {
            return false;
        }
        if (!hasHeadroom()) {
            return false; // taking it would leave the JVM nothing for anything else: stay short
        }
        SHARED.compareAndSet(null, r);
        return true;
    }
}
