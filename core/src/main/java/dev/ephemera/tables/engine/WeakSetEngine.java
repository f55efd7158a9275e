package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.NotABlockException;
import dev.ephemera.RootStack;
import dev.ephemera.Weak;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.util.function.LongConsumer;

/**
 * The weak hash set engine: OCaml's {@code stdlib/weak.ml} ({@code Weak.Make}) over sets that
 * live in the heap ({@link WeakSetLayout}), behind {@code WeakHashSet}.
 *
 * <p>An array of buckets, each a weak array of elements with a parallel array of their hashes;
 * a new element takes the first empty slot of its bucket (slots emptied by the collector are
 * reused); a full bucket grows by half ({@code 0 → 3 → 7 → 13 → 22 ...}); each time a bucket
 * grows past the limit, {@code test_shrink_bucket} compacts three buckets in turn, and when more
 * than half the buckets are over the limit the bucket array grows by half ({@code resize}).
 * Lookups compare stored hashes first, then call {@code H.equal} on the element itself (OCaml
 * 5.1+, #12131; 4.14 compared a shallow copy), so a physical equality works.
 *
 * <p>Why this design and not a faster open-addressing one (OCaml #14979 proposes one): the
 * observable behaviour — {@code stats}, which element {@code find} returns among duplicates,
 * {@code find_all}'s order — is then OCaml's exactly, and the weak arrays reuse the collector's
 * clearing without any extra machinery. Dead elements are never seen: every lookup and iteration
 * reads the slot, which the collector has emptied, and {@link #count} is exact.
 *
 * <p>The hashed type is client code: the engine keeps what it holds in root slots across each
 * call, and a call that modified the set raises ({@link ModificationGuard}, shared with the
 * tables). Invariants ({@link TableValidator}): both arrays have the same length, at least
 * {@link WeakSetLayout#MIN_BUCKETS}; a bucket and its hashes are both NONE or have the same
 * length; every element sits in the bucket its stored hash selects; OVERSIZE counts the buckets
 * longer than LIMIT and is at most a {@link WeakSetLayout#OVER_LIMIT}th of them; the rover is a
 * bucket index.
 */
public final class WeakSetEngine {
    /** {@code Sys.max_array_length} for the bucket array. */
    private static final long MAX_ARRAY = Header.MAX_SIZE_WORDS;
    /** The largest bucket: {@code Sys.max_array_length - additional_values}. */
    private static final long MAX_BUCKET = EphemeronLayout.MAX_KEYS;

    private static final ModificationGuard GUARD = ModificationGuard.WEAK_SETS;

    private final Heap heap;
    private final Weak weak;
    private final RootStack roots;

    /** The engine of one {@code Weak.Make} module of {@code heap}; it registers a root stack there. */
    public WeakSetEngine(Heap heap) {
        this.heap = heap;
        this.weak = heap.weak();
        this.roots = heap.newRootStack();
    }

    // ================================================================== fields

    private long field(long block, int i) {
        return heap.field(block, i);
    }

    private long intField(long t, int i) {
        return Value.intOf(heap.field(t, i));
    }

    private void setIntField(long t, int i, long n) {
        heap.setField(t, i, Value.ofInt(n));
    }

    private long table(long t) {
        return field(t, WeakSetLayout.TABLE_FIELD);
    }

    private long hashes(long t) {
        return field(t, WeakSetLayout.HASHES_FIELD);
    }

    private int bucketLength(long bucket) {
        return bucket == Value.NONE ? 0 : weak.length(bucket);
    }

    /** OCaml's {@code get_index}: {@code (h land max_int) mod (Array.length t.table)}. */
    private int index(long t, long h) {
        return indexOf(h, heap.size(table(t)));
    }

    /** The bucket of an element of hash {@code h} among {@code buckets}. */
    static int indexOf(long h, int buckets) {
        long x = h & Value.MAX_INT;
        // the same remainder; Hashtbl.hash is below 2^30, and an int division costs a fraction of a long one
        return x <= Integer.MAX_VALUE ? (int) x % buckets : (int) (x % buckets);
    }

    private HashedType hashedOf(long t) {
        return (HashedType) heap.foreign(field(t, WeakSetLayout.HASHED_FIELD));
    }

    // ================================================================== checks

    /** Checks that {@code t} is a weak hash set. */
    public void check(Op op, long t) {
        heap.checkArgument(op.name, t); // closed heap, other thread, stale or forged set: named by op
        if (!Value.isBlock(t)) {
            throw new NotABlockException(op + ": expected a weak hash set, got " + Value.describe(t));
        }
        if (!isSet(heap, t)) {
            throw new WrongTagException(op + ": expected a weak hash set, got " + Failures.describe(heap, t));
        }
    }

    /** True if {@code v} is a weak hash set of {@code heap}. */
    public static boolean isSet(Heap heap, long v) {
        return Value.isBlock(v) && heap.tag(v) == WeakSetLayout.TAG && heap.size(v) == WeakSetLayout.SIZE_WORDS
                && heap.field(v, WeakSetLayout.MARK_FIELD) == WeakSetLayout.MARK;
    }

    /** Checks an element argument: not NONE (an empty slot), a valid pointer. */
    public void checkElement(Op op, long d) {
        if (d == Value.NONE) {
            throw new IllegalArgumentException(op + ": the element is none (empty slots cannot be elements)");
        }
        heap.checkArgument(op.name, d);
    }

    // ================================================================== creation

    /**
     * {@code create n}: an empty set hashed by {@code hashed}, with {@code n} buckets (at least
     * {@link WeakSetLayout#MIN_BUCKETS}); a raw value.
     */
    public long create(Op op, long n, HashedType hashed) {
        heap.checkUsable(op.name);
        long sz = Math.min(Math.max(n, WeakSetLayout.MIN_BUCKETS), MAX_ARRAY);
        int mark = roots.mark();
        try {
            int box = roots.push(heap.allocForeign(hashed));
            int table = roots.push(heap.allocArray((int) sz, Value.NONE));
            int hashes = roots.push(heap.allocArray((int) sz, Value.NONE));
            // the fields in WeakSetLayout's order
            return heap.allocFields(WeakSetLayout.TAG, WeakSetLayout.MARK, roots.get(box), roots.get(table),
                    roots.get(hashes), Value.ofInt(WeakSetLayout.INITIAL_LIMIT), Value.ofInt(0), Value.ofInt(0),
                    Value.ofInt(0), Value.ofInt(0));
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /** {@code clear}: removes every element; keeps the bucket count. */
    public void clear(Op op, long t) {
        check(op, t);
        GUARD.beginModify(heap, op, t);
        long table = table(t);
        long hashes = hashes(t);
        for (int i = 0, n = heap.size(table); i < n; i++) {
            heap.setField(table, i, Value.NONE);
            heap.setField(hashes, i, Value.NONE);
        }
        setIntField(t, WeakSetLayout.LIMIT_FIELD, WeakSetLayout.INITIAL_LIMIT);
        setIntField(t, WeakSetLayout.OVERSIZE_FIELD, 0);
        GUARD.touch(heap, op, t);
    }

    // ================================================================== lookup

    /**
     * {@code H.hash d} of the element in root slot {@code dSlot}, for the set in root slot
     * {@code tSlot}, whose hashed type is {@code h}: the hash function is client code, so the set
     * must come back unmodified.
     */
    private long hashOf(Op op, HashedType h, int tSlot, int dSlot) {
        long stamp = GUARD.stamp(heap, roots.get(tSlot));
        long hd = h.hash(heap, roots.get(dSlot)); // calls out
        GUARD.reloadUnchanged(heap, roots, op, tSlot, stamp, "the hashed type's hash function");
        return hd;
    }

    /**
     * OCaml's {@code find_aux}: the slot of the first element of the bucket of hash {@code hd}
     * with that hash that {@code H.equal} accepts against the element in root slot {@code dSlot},
     * as {@code index << 32 | slot}, or -1. The element found is left in root slot
     * {@code foundSlot}. The bucket is still {@code hd}'s when this returns, so a caller may
     * compute it again ({@link #index}): only an operation on the set moves elements, and the
     * guard rejects one made by the equality. (No array carries the hash and the bucket out:
     * this method is too large to be inlined, so such an array would be a real allocation on
     * every lookup — 32 bytes of the JVM's young generation per {@code merge}.)
     */
    private long findAux(Op op, HashedType h, int tSlot, int dSlot, int foundSlot, long hd) {
        long t = roots.get(tSlot);
        long stamp = GUARD.stamp(heap, t);
        int index = index(t, hd);
        long hdImm = Value.ofInt(hd);
        long bucket = field(table(t), index);
        long hashes = field(hashes(t), index);
        int sz = bucketLength(bucket);
        for (int i = 0; i < sz; i++) {
            if (field(hashes, i) == hdImm) {
                long v = weak.get(bucket, i);
                if (v != Value.NONE) {
                    roots.set(foundSlot, v); // OCaml's get: the element stays alive while compared
                    boolean equal = h.equal(heap, v, roots.get(dSlot)); // calls out
                    t = roots.get(tSlot);
                    GUARD.checkUnchanged(heap, op, t, stamp, "the hashed type's equality");
                    if (equal) {
                        return ((long) index << 32) | i;
                    }
                    bucket = field(table(t), index); // the equality may have allocated
                    hashes = field(hashes(t), index);
                }
            }
        }
        roots.set(foundSlot, Value.NONE);
        return -1;
    }

    /** {@link #hashOf} then {@link #findAux}: the element in root slot {@code dSlot} looked up. */
    private long hashAndFind(Op op, HashedType h, int tSlot, int dSlot, int foundSlot) {
        return findAux(op, h, tSlot, dSlot, foundSlot, hashOf(op, h, tSlot, dSlot));
    }

    /** What a lookup returns. */
    public enum Lookup {
        /** {@code find}, {@code find_opt}: the element found, or NONE. */
        ELEMENT,
        /** {@code mem}: {@code Value.TRUE} or {@code Value.FALSE}. */
        MEMBERSHIP
    }

    /** {@code find}/{@code find_opt}/{@code mem} of {@code x} in {@code t}. */
    public long lookup(Op op, long t, long x, Lookup what) {
        check(op, t);
        checkElement(op, x);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            int foundSlot = roots.push(Value.NONE);
            long position = hashAndFind(op, hashedOf(t), tSlot, dSlot, foundSlot);
            if (what == Lookup.MEMBERSHIP) {
                return position >= 0 ? Value.TRUE : Value.FALSE;
            }
            return roots.get(foundSlot);
        } finally {
            roots.popTo(mark);
        }
    }

    /** {@code merge t x}: an element equal to {@code x} if there is one, else {@code x}, after adding it. */
    public long merge(Op op, long t, long x) {
        check(op, t);
        checkElement(op, x);
        GUARD.beginModify(heap, op, t);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the set while this changes it
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            int foundSlot = roots.push(Value.NONE);
            HashedType h = hashedOf(t);
            long hd = hashOf(op, h, tSlot, dSlot);
            if (findAux(op, h, tSlot, dSlot, foundSlot, hd) >= 0) {
                return roots.get(foundSlot);
            }
            addAux(op, tSlot, dSlot, -1, 0, hd, index(roots.get(tSlot), hd));
            GUARD.touch(heap, op, roots.get(tSlot));
            return roots.get(dSlot);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** {@code add t x}: adds {@code x}, even if an equal element is there already. */
    public void add(Op op, long t, long x) {
        check(op, t);
        checkElement(op, x);
        long stamp = GUARD.beginModify(heap, op, t);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the set while this changes it
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            long h = hashedOf(t).hash(heap, x); // calls out
            GUARD.reloadUnchanged(heap, roots, op, tSlot, stamp, "the hashed type's hash function");
            addAux(op, tSlot, dSlot, -1, 0, h, index(roots.get(tSlot), h));
            GUARD.touch(heap, op, roots.get(tSlot));
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /** {@code remove t x}: removes one element equal to {@code x}, if any. */
    public void remove(Op op, long t, long x) {
        check(op, t);
        GUARD.beginModify(heap, op, t);
        checkElement(op, x);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            int foundSlot = roots.push(Value.NONE);
            long position = hashAndFind(op, hashedOf(t), tSlot, dSlot, foundSlot);
            if (position >= 0) {
                long set = roots.get(tSlot);
                weak.set(field(table(set), (int) (position >>> 32)), (int) position, Value.NONE);
                GUARD.touch(heap, op, set);
            }
        } finally {
            roots.popTo(mark);
        }
    }

    /** {@code find_all t x}: every element equal to {@code x} (raw values; last slot first, as OCaml). */
    public long[] findAll(Op op, long t, long x) {
        check(op, t);
        checkElement(op, x);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            long stamp = GUARD.stamp(heap, t);
            HashedType h = hashedOf(t);
            long hd = h.hash(heap, x); // calls out
            GUARD.reloadUnchanged(heap, roots, op, tSlot, stamp, "the hashed type's hash function");
            int index = index(roots.get(tSlot), hd);
            int sz = bucketLength(field(table(roots.get(tSlot)), index));
            int results = roots.mark();
            for (int i = 0; i < sz; i++) {
                long set = roots.get(tSlot);
                if (field(field(hashes(set), index), i) == Value.ofInt(hd)) {
                    long v = weak.get(field(table(set), index), i);
                    if (v != Value.NONE) {
                        int vSlot = roots.push(v);
                        boolean equal = h.equal(heap, v, roots.get(dSlot)); // calls out
                        GUARD.reloadUnchanged(heap, roots, op, tSlot, stamp, "the hashed type's equality");
                        if (!equal) {
                            roots.popTo(vSlot);
                        }
                    }
                }
            }
            long[] found = new long[roots.mark() - results];
            for (int i = 0; i < found.length; i++) {
                found[i] = roots.get(roots.mark() - 1 - i); // OCaml conses: the last slot comes first
            }
            return found;
        } finally {
            roots.popTo(mark);
        }
    }

    // ================================================================== insertion, OCaml's add_aux

    /**
     * OCaml's {@code add_aux t setter d h index}: stores the element (from root slot
     * {@code valueSlot}, or copied without resurrection from slot {@code srcIndex} of the weak
     * array in root slot {@code srcSlot} when {@code valueSlot < 0}) in the first empty slot of
     * bucket {@code index}, growing the bucket if it is full — and then perhaps shrinking others
     * and resizing.
     */
    private void addAux(Op op, int tSlot, int valueSlot, int srcSlot, int srcIndex, long h, int index) {
        long t = roots.get(tSlot);
        long bucket = field(table(t), index);
        int sz = bucketLength(bucket);
        for (int i = 0; i < sz; i++) {
            if (!weak.check(bucket, i)) { // OCaml's check: a full slot's element is not darkened
                store(bucket, i, valueSlot, srcSlot, srcIndex);
                heap.setField(field(hashes(t), index), i, Value.ofInt(h));
                return;
            }
        }
        long newsz = Math.min(3L * sz / 2 + 3, MAX_BUCKET);
        if (newsz <= sz) {
            throw new IllegalStateException(op + ": Weak.Make: hash bucket cannot grow more (Failure)");
        }
        int mark = roots.mark();
        try {
            int nbSlot = roots.push(weak.create((int) newsz));
            int nhSlot = roots.push(heap.allocArray((int) newsz, Value.ofInt(0)));
            t = roots.get(tSlot);
            long nb = roots.get(nbSlot);
            long nh = roots.get(nhSlot);
            if (sz > 0) {
                weak.blit(field(table(t), index), 0, nb, 0, sz);
                long oh = field(hashes(t), index);
                for (int i = 0; i < sz; i++) {
                    heap.setField(nh, i, field(oh, i));
                }
            }
            store(nb, sz, valueSlot, srcSlot, srcIndex);
            heap.setField(nh, sz, Value.ofInt(h));
            heap.setField(table(t), index, nb);
            heap.setField(hashes(t), index, nh);
        } finally {
            roots.popTo(mark);
        }
        t = roots.get(tSlot);
        long limit = intField(t, WeakSetLayout.LIMIT_FIELD);
        if (sz <= limit && newsz > limit) {
            setIntField(t, WeakSetLayout.OVERSIZE_FIELD, intField(t, WeakSetLayout.OVERSIZE_FIELD) + 1);
            for (int k = 0; k <= WeakSetLayout.OVER_LIMIT; k++) {
                testShrinkBucket(tSlot);
            }
        }
        t = roots.get(tSlot);
        if (intField(t, WeakSetLayout.OVERSIZE_FIELD) > heap.size(table(t)) / WeakSetLayout.OVER_LIMIT) {
            resize(op, tSlot);
        }
    }

    private void store(long bucket, int i, int valueSlot, int srcSlot, int srcIndex) {
        if (valueSlot >= 0) {
            weak.set(bucket, i, roots.get(valueSlot));
        } else {
            weak.blit(roots.get(srcSlot), srcIndex, bucket, i, 1);
        }
    }

    /**
     * OCaml's {@code test_shrink_bucket}: if the bucket at the rover has few enough live
     * elements, moves them to its front and truncates it by a third (or empties it).
     */
    private void testShrinkBucket(int tSlot) {
        long t = roots.get(tSlot);
        int rover = (int) intField(t, WeakSetLayout.ROVER_FIELD);
        long bucket = field(table(t), rover);
        long hbucket = field(hashes(t), rover);
        int len = bucketLength(bucket);
        int prevLen = ((len - 3) * 2 + 2) / 3;
        int live = 0;
        for (int i = 0; i < len; i++) {
            if (weak.check(bucket, i)) {
                live++;
            }
        }
        if (live <= prevLen) {
            int i = 0;
            int j = len - 1;
            while (j >= prevLen) {
                if (weak.check(bucket, i)) {
                    i++;
                } else if (weak.check(bucket, j)) {
                    weak.blit(bucket, j, bucket, i, 1);
                    heap.setField(hbucket, i, field(hbucket, j));
                    i++;
                    j--;
                } else {
                    j--;
                }
            }
            if (prevLen == 0) {
                heap.setField(table(t), rover, Value.NONE);
                heap.setField(hashes(t), rover, Value.NONE);
            } else {
                int mark = roots.mark();
                try {
                    int nbSlot = roots.push(weak.create(prevLen));
                    int nhSlot = roots.push(heap.allocArray(prevLen, Value.ofInt(0)));
                    t = roots.get(tSlot);
                    weak.blit(field(table(t), rover), 0, roots.get(nbSlot), 0, prevLen);
                    long oh = field(hashes(t), rover);
                    long nh = roots.get(nhSlot);
                    for (int k = 0; k < prevLen; k++) {
                        heap.setField(nh, k, field(oh, k));
                    }
                    heap.setField(table(t), rover, roots.get(nbSlot));
                    heap.setField(hashes(t), rover, nh);
                } finally {
                    roots.popTo(mark);
                }
            }
            t = roots.get(tSlot);
            long limit = intField(t, WeakSetLayout.LIMIT_FIELD);
            if (len > limit && prevLen <= limit) {
                setIntField(t, WeakSetLayout.OVERSIZE_FIELD, intField(t, WeakSetLayout.OVERSIZE_FIELD) - 1);
            }
        }
        t = roots.get(tSlot);
        setIntField(t, WeakSetLayout.ROVER_FIELD, (rover + 1) % heap.size(table(t)));
    }

    /**
     * OCaml's {@code resize}: a new bucket array half again as long, filled by re-adding every
     * live element with its stored hash ({@code blit}, so nothing is resurrected); at the
     * maximum size, the limit is lifted instead.
     */
    private void resize(Op op, int tSlot) {
        long t = roots.get(tSlot);
        int oldLen = heap.size(table(t));
        long newLen = Math.min(3L * oldLen / 2 + 3, MAX_ARRAY);
        if (newLen <= oldLen) {
            setIntField(t, WeakSetLayout.LIMIT_FIELD, Value.MAX_INT);
            setIntField(t, WeakSetLayout.OVERSIZE_FIELD, 0);
            return;
        }
        int mark = roots.mark();
        try {
            int newSlot = roots.push(create(op, newLen, hashedOf(t)));
            int obSlot = roots.push(Value.NONE);
            for (int j = 0; j < oldLen; j++) {
                t = roots.get(tSlot);
                roots.set(obSlot, field(table(t), j));
                int len = bucketLength(roots.get(obSlot));
                for (int i = 0; i < len; i++) {
                    if (weak.check(roots.get(obSlot), i)) {
                        long h = Value.intOf(field(field(hashes(roots.get(tSlot)), j), i));
                        addAux(op, newSlot, -1, obSlot, i, h, index(roots.get(newSlot), h));
                    }
                }
            }
            t = roots.get(tSlot);
            long fresh = roots.get(newSlot);
            int rover = (int) (intField(t, WeakSetLayout.ROVER_FIELD) % heap.size(table(fresh)));
            // t takes the new arrays, and the scratch set the old ones: no set, even garbage,
            // shares the arrays of another
            swap(t, fresh, WeakSetLayout.TABLE_FIELD);
            swap(t, fresh, WeakSetLayout.HASHES_FIELD);
            swap(t, fresh, WeakSetLayout.LIMIT_FIELD);
            swap(t, fresh, WeakSetLayout.OVERSIZE_FIELD);
            swap(t, fresh, WeakSetLayout.ROVER_FIELD);
            setIntField(t, WeakSetLayout.ROVER_FIELD, rover);
        } finally {
            roots.popTo(mark);
        }
    }

    private void swap(long a, long b, int field) {
        long x = field(a, field);
        heap.setField(a, field, field(b, field));
        heap.setField(b, field, x);
    }

    // ================================================================== iteration and counts

    /**
     * Visits every element, buckets in ascending order ({@code iter}) or descending ({@code fold}),
     * slots in order. The visitor must not modify the set.
     */
    public void walk(Op op, long t, boolean ascending, LongConsumer visitor) {
        check(op, t);
        if (visitor == null) {
            throw new IllegalArgumentException(op + ": the function is null");
        }
        int mark = roots.mark();
        int tSlot = roots.push(t);
        GUARD.enterIteration(heap, op, t);
        try {
            int vSlot = roots.push(Value.NONE);
            int n = heap.size(table(t));
            for (int k = 0; k < n; k++) {
                int j = ascending ? k : n - 1 - k;
                int len = bucketLength(field(table(roots.get(tSlot)), j));
                for (int i = 0; i < len; i++) {
                    long v = weak.get(field(table(roots.get(tSlot)), j), i);
                    if (v != Value.NONE) {
                        roots.set(vSlot, v);
                        visitor.accept(v);
                    }
                }
            }
        } finally {
            GUARD.exitIteration(heap, roots.get(tSlot));
            roots.popTo(mark);
        }
    }

    /** {@code count t}: the number of elements, exact; keeps nothing alive ({@code check}, not {@code get}). */
    public long count(Op op, long t) {
        check(op, t);
        long table = table(t);
        long count = 0;
        for (int j = 0, n = heap.size(table); j < n; j++) {
            long bucket = field(table, j);
            for (int i = 0, len = bucketLength(bucket); i < len; i++) {
                if (weak.check(bucket, i)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** The capacity of every bucket, in bucket order ({@code stats}). */
    public int[] bucketLengths(Op op, long t) {
        check(op, t);
        long table = table(t);
        int[] lengths = new int[heap.size(table)];
        for (int j = 0; j < lengths.length; j++) {
            lengths[j] = bucketLength(field(table, j));
        }
        return lengths;
    }
}
