package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.NotABlockException;
import dev.ephemera.RootStack;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.Failures;
import dev.ephemera.tables.layout.BucketLayout;

/**
 * OCaml's {@code Ephemeron.K1.Bucket}, {@code K2.Bucket} and {@code Kn.Bucket} (4.14 and 5.x):
 * a mutable list of ephemerons, most recent first, matched by physical equality of the keys
 * ({@code query}) — the building block for hand-written ephemeron tables.
 *
 * <p>In the heap ({@code BucketLayout}) a bucket is a block {@code [MARK, list]}, and the list a
 * chain of cells {@code [ephemeron, next]} ending in {@link Value#NONE}: OCaml's
 * {@code ephemeron list ref}. {@link #length} counts dead ephemerons too ("an upper bound"),
 * as in OCaml. Keys and data are raw values; buckets are heap values.
 */
public final class Bucket {
    private final Heap heap;
    private final RootStack roots;
    /** 1, 2, or -1 for any number of keys. */
    private final int arity;
    private final String module;

    private Bucket(Heap heap, int arity, String module) {
        if (heap == null) {
            throw new IllegalArgumentException(module + ": the heap is null");
        }
        this.heap = heap;
        this.roots = heap.newRootStack();
        this.arity = arity;
        this.module = module;
    }

    /**
     * {@code Ephemeron.K1.Bucket}.
     *
     * @param heap the heap the buckets live in
     * @return the bucket module for one-key ephemerons
     */
    public static Bucket k1(Heap heap) {
        return new Bucket(heap, 1, "Ephemeron.K1.Bucket");
    }

    /**
     * {@code Ephemeron.K2.Bucket}.
     *
     * @param heap the heap the buckets live in
     * @return the bucket module for two-key ephemerons
     */
    public static Bucket k2(Heap heap) {
        return new Bucket(heap, 2, "Ephemeron.K2.Bucket");
    }

    /**
     * {@code Ephemeron.Kn.Bucket}.
     *
     * @param heap the heap the buckets live in
     * @return the bucket module for ephemerons with any number of keys
     */
    public static Bucket kn(Heap heap) {
        return new Bucket(heap, -1, "Ephemeron.Kn.Bucket");
    }

    /**
     * {@code make ()}: an empty bucket (raw value).
     *
     * @return a new empty bucket (raw: valid until the next allocation)
     */
    public long make() {
        return heap.alloc(BucketLayout.TAG, BucketLayout.MARK, Value.NONE); // MARK, LIST
    }

    /**
     * {@code add b k d} (K1).
     *
     * @param b a bucket of this module
     * @param key the key, a pointer to a block
     * @param data the data: any value
     */
    public void add(long b, long key, long data) {
        add(b, new long[] {key}, data);
    }

    /**
     * {@code add b (k1, k2) d} (K2).
     *
     * @param b a bucket of this module
     * @param key1 the first key, a pointer to a block
     * @param key2 the second key, a pointer to a block
     * @param data the data: any value
     */
    public void add(long b, long key1, long key2, long data) {
        add(b, new long[] {key1, key2}, data);
    }

    /**
     * {@code add b keys d}: prepends {@code make keys d}.
     *
     * @param b a bucket of this module
     * @param keys the keys, pointers to blocks
     * @param data the data: any value
     */
    public void add(long b, long[] keys, long data) {
        String op = module + ".add";
        check(op, b);
        checkKeys(op, keys);
        int mark = roots.mark();
        try {
            int bSlot = roots.push(b);
            long e = make(keys, data);
            long cell = heap.alloc(BucketLayout.CELL_TAG, e, heap.field(roots.get(bSlot), BucketLayout.LIST_FIELD)); // EPHEMERON, NEXT
            heap.setField(roots.get(bSlot), BucketLayout.LIST_FIELD, cell);
        } finally {
            roots.popTo(mark);
        }
    }

    private long make(long[] keys, long data) {
        switch (arity) {
            case 1:
                return heap.ephemerons().k1().make(keys[0], data);
            case 2:
                return heap.ephemerons().k2().make(keys[0], keys[1], data);
            default:
                return heap.ephemerons().kn().make(keys, data);
        }
    }

    private long query(long e, long[] keys) {
        switch (arity) {
            case 1:
                return heap.ephemerons().k1().query(e, keys[0]);
            case 2:
                return heap.ephemerons().k2().query(e, keys[0], keys[1]);
            default:
                return heap.ephemerons().kn().query(e, keys);
        }
    }

    /**
     * {@code remove b k} (K1).
     *
     * @param b a bucket of this module
     * @param key the key to remove, compared physically
     */
    public void remove(long b, long key) {
        remove(b, new long[] {key});
    }

    /**
     * {@code remove b (k1, k2)} (K2).
     *
     * @param b a bucket of this module
     * @param key1 the first key to remove, compared physically
     * @param key2 the second key to remove, compared physically
     */
    public void remove(long b, long key1, long key2) {
        remove(b, new long[] {key1, key2});
    }

    /**
     * {@code remove b keys}: removes the most recently added ephemeron whose keys are all
     * present and physically equal to {@code keys} (and whose data is present); nothing if none.
     *
     * @param b a bucket of this module
     * @param keys the keys to remove, compared physically
     */
    public void remove(long b, long[] keys) {
        String op = module + ".remove";
        check(op, b);
        checkKeys(op, keys);
        long prev = Value.NONE;
        for (long cell = heap.field(b, BucketLayout.LIST_FIELD); cell != Value.NONE; cell = heap.field(cell, BucketLayout.CELL_NEXT_FIELD)) {
            if (query(heap.field(cell, BucketLayout.CELL_EPHEMERON_FIELD), keys) != Value.NONE) {
                long next = heap.field(cell, BucketLayout.CELL_NEXT_FIELD);
                if (prev == Value.NONE) {
                    heap.setField(b, BucketLayout.LIST_FIELD, next);
                } else {
                    heap.setField(prev, BucketLayout.CELL_NEXT_FIELD, next);
                }
                return;
            }
            prev = cell;
        }
    }

    /**
     * {@code find b k} (K1): the data, or NONE.
     *
     * @param b a bucket of this module
     * @param key the key to find, compared physically
     * @return the data of the most recent ephemeron with that key, or NONE
     */
    public long find(long b, long key) {
        return find(b, new long[] {key});
    }

    /**
     * {@code find b (k1, k2)} (K2): the data, or NONE.
     *
     * @param b a bucket of this module
     * @param key1 the first key to find, compared physically
     * @param key2 the second key to find, compared physically
     * @return the data of the most recent ephemeron with those keys, or NONE
     */
    public long find(long b, long key1, long key2) {
        return find(b, new long[] {key1, key2});
    }

    /**
     * {@code find b keys}: the data of the most recent ephemeron that {@code query} accepts, or
     * NONE.
     *
     * @param b a bucket of this module
     * @param keys the keys to find, compared physically
     * @return the data, or NONE
     */
    public long find(long b, long[] keys) {
        String op = module + ".find";
        check(op, b);
        checkKeys(op, keys);
        for (long cell = heap.field(b, BucketLayout.LIST_FIELD); cell != Value.NONE; cell = heap.field(cell, BucketLayout.CELL_NEXT_FIELD)) {
            long d = query(heap.field(cell, BucketLayout.CELL_EPHEMERON_FIELD), keys);
            if (d != Value.NONE) {
                return d;
            }
        }
        return Value.NONE;
    }

    /**
     * {@code length b}: the number of ephemerons in the bucket, dead ones included (an upper
     * bound).
     *
     * @param b a bucket of this module
     * @return the number of ephemerons, dead ones included
     */
    public int length(long b) {
        check(module + ".length", b);
        int n = 0;
        for (long cell = heap.field(b, BucketLayout.LIST_FIELD); cell != Value.NONE; cell = heap.field(cell, BucketLayout.CELL_NEXT_FIELD)) {
            n++;
        }
        return n;
    }

    /**
     * {@code clear b}: empties the bucket.
     *
     * @param b a bucket of this module
     */
    public void clear(long b) {
        check(module + ".clear", b);
        heap.setField(b, BucketLayout.LIST_FIELD, Value.NONE);
    }

    private void check(String op, long b) {
        if (!Value.isBlock(b)) {
            throw new NotABlockException(op + ": expected a bucket, got " + Value.describe(b));
        }
        if (heap.tag(b) != BucketLayout.TAG || heap.size(b) != BucketLayout.SIZE_WORDS || heap.field(b, BucketLayout.MARK_FIELD) != BucketLayout.MARK) {
            throw new WrongTagException(op + ": expected a bucket, got " + Failures.describe(heap, b));
        }
    }

    private void checkKeys(String op, long[] keys) {
        if (keys == null) {
            throw new IllegalArgumentException(op + ": the key array is null");
        }
        if (arity >= 0 && keys.length != arity) {
            throw new IllegalArgumentException(op + ": expected " + arity + (arity == 1 ? " key" : " keys")
                    + ", got " + keys.length);
        }
    }
}
