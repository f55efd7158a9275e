package dev.ephemera.tables.engine;

import dev.ephemera.GcStat;
import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.tables.Weakness;
import dev.ephemera.tables.layout.BucketLayout;
import dev.ephemera.tables.layout.GuardLayout;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks the structure of a table, a weak set or a bucket at rest (no operation on it running)
 * against the invariants the engines keep, and throws {@link BrokenInvariant} naming the first
 * one broken: the tables' counterpart of the heap verifier, which the table tests run on every
 * table left in a heap after every test, as the heap verifier runs after every collection.
 *
 * <p>Every structure in the heap is held to the invariants, garbage included: a table that an
 * exception interrupted, or that its client dropped, is as well formed as a live one. So the
 * engines never leave a half-made structure behind (a copy's table block is allocated last, over
 * its filled buckets) nor let a garbage block share the parts of a live one (a weak set's resize
 * leaves the old arrays to its scratch set).
 *
 * <p>It reads the heap and allocates nothing, so raw values stay valid throughout; it calls no
 * client code (a generic container's liveness is not checked). Liveness is read through the
 * heap's accessors, which clean what they read while a cycle cleans — what the heap means.
 *
 * <p>Ephemeron hash tables ({@link TableLayout}, the engine {@link ChainedTable}):
 * <ol>
 * <li><b>shape</b> — the mark, a known kind, a foreign box for the hashed type, a bucket array
 *     whose length is a power of two between {@link Growth#MIN_BUCKETS} and
 *     {@link Growth#MAX_BUCKETS} and at least the initial size (also such a power of two), a seed
 *     of 30 bits;</li>
 * <li><b>at rest</b> — STATE holds only the flags (no iteration running), STAMP names a known
 *     operation;</li>
 * <li><b>chains</b> — every bucket is a chain of cells of the kind's size, each in the bucket
 *     its hash selects, none in two places, every part of the container present and of the
 *     kind's shape (an ephemeron or a weak array with the kind's number of keys);</li>
 * <li><b>size</b> — SIZE is the number of cells in the buckets;</li>
 * <li><b>purge</b> — PURGED_AT is not in the future; while it equals the heap's collection count,
 *     no cell of a built-in kind is dead (nothing can have died since the purge);</li>
 * <li><b>epochs</b> — no cell was filled in the future; a cell of a built-in kind filled at the
 *     current epoch is alive (the insertion's walk skips reading it);</li>
 * <li><b>free list</b> — only recyclable kinds of fixed arity have one; it is a chain of FREE_COUNT
 *     cells, at most {@link FreeList#capacity} of them, none also in a bucket, each dead, with
 *     its strong parts cleared.</li>
 * </ol>
 * Weak hash sets ({@link WeakSetLayout}, the engine {@link WeakSetEngine}): <b>shape</b> (the
 * mark, a foreign box, bucket and hash arrays of one length, at least
 * {@link WeakSetLayout#MIN_BUCKETS}); <b>buckets</b> (each bucket and its hashes both NONE or a
 * weak array and a block of immediates of one length; every element in the bucket its stored
 * hash selects); <b>limits</b> (LIMIT is OCaml's initial limit or lifted to {@code max_int},
 * OVERSIZE counts the buckets longer than LIMIT, the rover is a bucket — OVERSIZE may exceed a
 * {@link WeakSetLayout#OVER_LIMIT}th of the buckets after an addition whose resize ran out of
 * memory, so that is not checked); <b>at rest</b> (no
 * iteration running, STAMP names a known operation). Buckets ({@link BucketLayout}): the mark,
 * and a finite chain of cells holding ephemerons.
 */
public final class TableValidator {
    /** A broken invariant of a table's structure. */
    public static final class BrokenInvariant extends AssertionError {
        private static final long serialVersionUID = 1L;

        /** The invariant, named as in {@link TableValidator}'s list ("size", "free list", ...). */
        public final String invariant;

        BrokenInvariant(String invariant, String message) {
            super(message);
            this.invariant = invariant;
        }
    }

    private final Heap heap;
    private final long collections;

    private TableValidator(Heap heap) {
        this.heap = heap;
        GcStat st = heap.gc().stat();
        this.collections = st.minorCollections + st.majorSlices; // as CollectionClock counts
    }

    /**
     * Validates {@code v} if it is a table, a weak set or a bucket, and returns true; returns
     * false for any other value.
     *
     * @throws BrokenInvariant naming the first invariant {@code v} breaks
     */
    public static boolean validateIfTable(Heap heap, long v) {
        TableValidator validator = new TableValidator(heap);
        if (ChainedTable.isTable(heap, v)) {
            validator.table(v);
            return true;
        }
        if (WeakSetEngine.isSet(heap, v)) {
            validator.weakSet(v);
            return true;
        }
        if (isBucket(heap, v)) {
            validator.bucket(v);
            return true;
        }
        return false;
    }

    private static boolean isBucket(Heap heap, long v) {
        return Value.isBlock(v) && heap.tag(v) == BucketLayout.TAG && heap.size(v) == BucketLayout.SIZE_WORDS
                && heap.field(v, BucketLayout.MARK_FIELD) == BucketLayout.MARK;
    }

    // ================================================================== helpers

    private static BrokenInvariant broken(String invariant, String what, long v, String detail) {
        return new BrokenInvariant(invariant, "broken " + what + " invariant \"" + invariant + "\": " + what + " "
                + Value.describe(v) + " " + detail);
    }

    private long intField(long block, int field) {
        return Value.intOf(heap.field(block, field));
    }

    private boolean isBlockOf(long v, int tag) {
        return Value.isBlock(v) && heap.tag(v) == tag;
    }

    private static boolean isPowerOfTwo(long n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /** The at-rest invariants of STATE and STAMP ({@link GuardLayout}). */
    private void atRest(String what, long block, long state, long stamp) {
        if ((state & ~GuardLayout.FLAG_MASK) != 0) {
            throw broken("at rest", what, block, "has STATE " + state + ": an iteration is still counted as running"
                    + " (by " + Op.nameOf((int) ((state >>> GuardLayout.ITERATION_OP_SHIFT) & GuardLayout.OP_MASK)) + ")");
        }
        int op = (int) (stamp & GuardLayout.OP_MASK);
        if (stamp < 0 || (op != 0 && !Op.exists(op))) {
            throw broken("at rest", what, block, "has STAMP " + stamp + ", which names no operation");
        }
    }

    // ================================================================== ephemeron hash tables

    private void table(long t) {
        String what = "table";
        long kindWord = heap.field(t, TableLayout.KIND_FIELD);
        if (!Value.isInt(kindWord) || Value.intOf(kindWord) < 0 || Value.intOf(kindWord) >= TableLayout.KIND_COUNT) {
            throw broken("shape", what, t, "has kind " + Value.describe(kindWord));
        }
        int kind = (int) Value.intOf(kindWord);
        what = ChainedTable.describeKind(kind).replaceFirst("^an? ", "");
        Containers c = Containers.of(kind);
        long box = heap.field(t, TableLayout.HASHED_FIELD);
        if (!heap.isForeign(box)) {
            throw broken("shape", what, t, "holds " + Failures.describe(heap, box) + " where its hashed type's box belongs");
        }
        long buckets = heap.field(t, TableLayout.BUCKETS_FIELD);
        if (!isBlockOf(buckets, TableLayout.TAG)) {
            throw broken("shape", what, t, "has no bucket array: " + Failures.describe(heap, buckets));
        }
        int n = heap.size(buckets);
        long initial = intField(t, TableLayout.INITIAL_SIZE_FIELD);
        if (!isPowerOfTwo(n) || n < Growth.MIN_BUCKETS || n > Growth.MAX_BUCKETS || !isPowerOfTwo(initial)
                || initial < Growth.MIN_BUCKETS || initial > n) {
            throw broken("shape", what, t, "has " + n + " buckets and initial size " + initial
                    + " (both powers of two, 16 or more, the initial size at most the bucket count)");
        }
        long seed = intField(t, TableLayout.SEED_FIELD);
        if (seed < 0 || seed > TableLayout.SEED_MASK) {
            throw broken("shape", what, t, "has seed " + seed + " (30 bits)");
        }
        long state = intField(t, TableLayout.STATE_FIELD);
        atRest(what, t, state, intField(t, TableLayout.STAMP_FIELD));
        Object hashed = heap.foreign(box);
        boolean builtIn = c.recyclable();
        long purgedAt = intField(t, TableLayout.PURGED_AT_FIELD);
        if (purgedAt > collections) {
            throw broken("purge", what, t, "was purged at collection " + purgedAt + ", after the last one (" + collections + ")");
        }
        boolean purged = purgedAt == collections;
        long epoch = collections & TableLayout.EPOCH_MASK;

        Set<Long> seen = new HashSet<>();
        long cells = 0;
        for (int i = 0; i < n; i++) {
            for (long cell = heap.field(buckets, i); cell != Value.NONE; cell = heap.field(cell, TableLayout.NEXT_FIELD)) {
                String where = "bucket " + i + ", cell " + Value.describe(cell);
                cell(what, t, kind, c, cell, where, false);
                if (!seen.add(cell)) {
                    throw broken("chains", what, t, "reaches " + where + " twice (a cycle, or a cell in two chains)");
                }
                long word = heap.field(cell, TableLayout.HASH_FIELD);
                long index = TableLayout.bucketIndex(TableLayout.hashOf(word), n);
                if (index != i) {
                    throw broken("chains", what, t, "has " + where + " whose hash selects bucket " + index);
                }
                long cellEpoch = TableLayout.epochOf(word);
                if (cellEpoch > epoch) {
                    throw broken("epochs", what, t, "has " + where + " filled at epoch " + cellEpoch
                            + ", after the current one (" + epoch + ")");
                }
                if (builtIn && !c.alive(heap, hashed, cell)) {
                    if (purged) {
                        throw broken("purge", what, t, "counts as purged since collection " + purgedAt
                                + " but holds a dead cell: " + where);
                    }
                    if (cellEpoch == epoch) {
                        throw broken("epochs", what, t, "has " + where + " filled at the current epoch (" + epoch
                                + ") whose container is dead");
                    }
                }
                cells++;
            }
        }
        long size = intField(t, TableLayout.SIZE_FIELD);
        if (size != cells) {
            throw broken("size", what, t, "has SIZE " + size + " but " + cells + " cells in its buckets");
        }
        freeList(what, t, kind, c, hashed, n, seen);
    }

    /**
     * A cell's shape: its tag and size, and its container's parts — all present in a bucket; in
     * the free list, the part that held a value strongly ({@link #releasedPart}) is empty.
     */
    private void cell(String what, long t, int kind, Containers c, long cell, String where, boolean free) {
        if (!isBlockOf(cell, TableLayout.CELL_TAG) || heap.size(cell) != TableLayout.cellSizeWords(c.parts())) {
            throw broken("chains", what, t, "has " + where + " that is not a cell of " + c.parts() + " parts: "
                    + Failures.describe(heap, cell));
        }
        for (int p = 0; p < c.parts(); p++) {
            long part = heap.field(cell, TableLayout.PART0_FIELD + p);
            boolean released = free && TableLayout.PART0_FIELD + p == releasedPart(kind);
            if (released) {
                if (part != Value.NONE) {
                    throw broken("free list", what, t, "has " + where + " that still holds "
                            + Failures.describe(heap, part) + " strongly");
                }
                continue;
            }
            if (part == Value.NONE) {
                throw broken("chains", what, t, "has " + where + " whose part " + p + " is missing");
            }
            int keys = weakKeys(kind, p);
            if (keys != 0 && (!isBlockOf(part, Tag.EPHEMERON)
                    || (keys > 0 && heap.ephemerons().length(part) != keys)
                    || (keys < 0 && heap.ephemerons().length(part) < 1))) {
                throw broken("chains", what, t, "has " + where + " whose part " + p + " is not "
                        + (keys < 0 ? "an ephemeron" : "an ephemeron or weak array of " + keys + " keys") + ": "
                        + Failures.describe(heap, part));
            }
        }
    }

    /**
     * The field of a cell of {@code kind} that holds a key or value strongly beside a weak part,
     * which {@link Containers#release} empties when the cell goes to the free list; -1 if none.
     */
    private static int releasedPart(int kind) {
        if (kind < TableLayout.KIND_WEAKNESS) {
            return -1;
        }
        switch (Weakness.values()[kind - TableLayout.KIND_WEAKNESS]) {
            case WEAK_KEY: return TableLayout.PART1_FIELD;
            case WEAK_VALUE: return TableLayout.PART0_FIELD;
            default: return -1;
        }
    }

    /**
     * The number of keys of the ephemeron or weak array that part {@code p} of a cell of
     * {@code kind} is: -1 for any number, 0 if the part is a plain value (or a client's container).
     */
    private static int weakKeys(int kind, int p) {
        switch (kind) {
            case TableLayout.KIND_K1: return 1;
            case TableLayout.KIND_K2: return 2;
            case TableLayout.KIND_KN: return -1;
            case TableLayout.KIND_GENERIC: return 0;
            default:
                break;
        }
        switch (Weakness.values()[kind - TableLayout.KIND_WEAKNESS]) {
            case NONE: return 0;
            case WEAK_KEY: return p == 0 ? 1 : 0;
            case WEAK_VALUE: return p == 1 ? 1 : 0;
            case WEAK_KEY_AND_VALUE: return 2;
            default: return 1; // the ephemeral modes: one ephemeron per part
        }
    }

    private void freeList(String what, long t, int kind, Containers c, Object hashed, int n, Set<Long> inBuckets) {
        long head = heap.field(t, TableLayout.FREE_FIELD);
        long count = intField(t, TableLayout.FREE_COUNT_FIELD);
        if (!FreeList.keeps(c)) {
            if (head != Value.NONE || count != 0) {
                throw broken("free list", what, t, "keeps free cells (" + count + ", first " + Value.describe(head)
                        + ") though its containers are never recycled");
            }
            return;
        }
        if (count < 0 || count > FreeList.capacity(n)) {
            throw broken("free list", what, t, "counts " + count + " free cells; at most " + FreeList.capacity(n)
                    + " for " + n + " buckets");
        }
        Set<Long> seen = new HashSet<>();
        long found = 0;
        for (long cell = head; cell != Value.NONE; cell = heap.field(cell, TableLayout.NEXT_FIELD)) {
            String where = "free cell " + Value.describe(cell);
            if (found == count) {
                throw broken("free list", what, t, "counts " + count + " free cells but its list goes on, to " + where);
            }
            cell(what, t, kind, c, cell, where, true);
            if (inBuckets.contains(cell)) {
                throw broken("free list", what, t, "has " + where + " that is also in a bucket");
            }
            if (!seen.add(cell)) {
                throw broken("free list", what, t, "reaches " + where + " twice (a cycle)");
            }
            if (c.alive(heap, hashed, cell)) {
                throw broken("free list", what, t, "has " + where + " whose container is alive");
            }
            found++;
        }
        if (found != count) {
            throw broken("free list", what, t, "counts " + count + " free cells but its list has " + found);
        }
    }

    // ================================================================== weak hash sets

    private void weakSet(long s) {
        String what = "weak set";
        long box = heap.field(s, WeakSetLayout.HASHED_FIELD);
        if (!heap.isForeign(box)) {
            throw broken("shape", what, s, "holds " + Failures.describe(heap, box) + " where its hashed type's box belongs");
        }
        long table = heap.field(s, WeakSetLayout.TABLE_FIELD);
        long hashes = heap.field(s, WeakSetLayout.HASHES_FIELD);
        if (!isBlockOf(table, WeakSetLayout.TAG) || !isBlockOf(hashes, WeakSetLayout.TAG)
                || heap.size(table) != heap.size(hashes) || heap.size(table) < WeakSetLayout.MIN_BUCKETS) {
            throw broken("shape", what, s, "has bucket array " + Failures.describe(heap, table) + " and hash array "
                    + Failures.describe(heap, hashes) + " (blocks of one length, at least "
                    + WeakSetLayout.MIN_BUCKETS + ")");
        }
        atRest(what, s, intField(s, WeakSetLayout.STATE_FIELD), intField(s, WeakSetLayout.STAMP_FIELD));
        int n = heap.size(table);
        long limit = intField(s, WeakSetLayout.LIMIT_FIELD);
        if (limit != WeakSetLayout.INITIAL_LIMIT && limit != Value.MAX_INT) {
            throw broken("limits", what, s, "has LIMIT " + limit + " (" + WeakSetLayout.INITIAL_LIMIT
                    + ", or max_int once the set can grow no more)");
        }
        long oversize = 0;
        for (int j = 0; j < n; j++) {
            long bucket = heap.field(table, j);
            long hbucket = heap.field(hashes, j);
            String where = "bucket " + j;
            if (bucket == Value.NONE || hbucket == Value.NONE) {
                if (bucket != hbucket) {
                    throw broken("buckets", what, s, "has " + where + " empty in one array only");
                }
                continue;
            }
            if (!isBlockOf(bucket, Tag.EPHEMERON) || !isBlockOf(hbucket, WeakSetLayout.TAG)
                    || heap.weak().length(bucket) != heap.size(hbucket)) {
                throw broken("buckets", what, s, "has " + where + " that is not a weak array with its hashes: "
                        + Failures.describe(heap, bucket) + ", " + Failures.describe(heap, hbucket));
            }
            int len = heap.size(hbucket);
            for (int i = 0; i < len; i++) {
                long h = heap.field(hbucket, i);
                if (!Value.isInt(h)) {
                    throw broken("buckets", what, s, "has " + where + " whose hash " + i + " is "
                            + Failures.describe(heap, h));
                }
                if (heap.weak().check(bucket, i) && WeakSetEngine.indexOf(Value.intOf(h), n) != j) {
                    throw broken("buckets", what, s, "has an element in " + where + " whose hash selects bucket "
                            + WeakSetEngine.indexOf(Value.intOf(h), n));
                }
            }
            if (len > limit) {
                oversize++;
            }
        }
        long recorded = intField(s, WeakSetLayout.OVERSIZE_FIELD);
        if (recorded != oversize) {
            throw broken("limits", what, s, "has OVERSIZE " + recorded + " but " + oversize + " buckets longer than "
                    + limit);
        }
        long rover = intField(s, WeakSetLayout.ROVER_FIELD);
        if (rover < 0 || rover >= n) {
            throw broken("limits", what, s, "has ROVER " + rover + " outside its " + n + " buckets");
        }
    }

    // ================================================================== buckets

    private void bucket(long b) {
        Set<Long> seen = new HashSet<>();
        for (long cell = heap.field(b, BucketLayout.LIST_FIELD); cell != Value.NONE;
                cell = heap.field(cell, BucketLayout.CELL_NEXT_FIELD)) {
            if (!isBlockOf(cell, BucketLayout.CELL_TAG) || heap.size(cell) != BucketLayout.CELL_SIZE_WORDS
                    || !isBlockOf(heap.field(cell, BucketLayout.CELL_EPHEMERON_FIELD), Tag.EPHEMERON)) {
                throw broken("chains", "bucket", b, "has a cell that does not hold an ephemeron: "
                        + Failures.describe(heap, cell));
            }
            if (!seen.add(cell)) {
                throw broken("chains", "bucket", b, "reaches cell " + Value.describe(cell) + " twice (a cycle)");
            }
        }
    }
}
