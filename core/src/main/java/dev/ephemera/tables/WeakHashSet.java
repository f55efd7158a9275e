package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.NotABlockException;
import dev.ephemera.Weak;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * Weak hash sets: OCaml's {@code Weak.Make (H)} ({@link #make}), a set whose elements are held
 * weakly — an element that nothing else keeps alive disappears at the next collection that
 * finds it dead. The classic use is hash-consing ({@link #merge}).
 *
 * <p>The implementation is {@code stdlib/weak.ml}'s, in the heap ({@link WeakSetLayout}): an
 * array of buckets, each a weak array of elements with a parallel array of their hashes; a new
 * element takes the first empty slot of its bucket (slots emptied by the collector are reused);
 * a full bucket grows by half ({@code 0 → 3 → 7 → 13 → 22 ...}); each time a bucket grows past
 * the limit, {@code test_shrink_bucket} compacts three buckets in turn, and when more than half
 * the buckets are over the limit the bucket array grows by half ({@code resize}). Lookups
 * compare stored hashes first, then call {@code H.equal} on the element itself (OCaml 5.1+,
 * #12131; 4.14 compared a shallow copy), so a physical equality works.
 *
 * <p>Why this design and not a faster open-addressing one (OCaml #14979 proposes one): the
 * observable behaviour — {@link #stats}, which element {@code find} returns among duplicates,
 * {@code find_all}'s order — is then OCaml's exactly, and the weak arrays reuse the collector's
 * clearing without any extra machinery. Dead elements are never seen: every lookup and
 * iteration reads the slot, which the collector has emptied, and {@link #count} is exact.
 *
 * <p>Sets are heap values; elements are raw values (valid until the next allocation) and may
 * not be {@link Value#NONE}. Modifying a set from inside {@link #iter} or {@link #fold} raises
 * {@link ConcurrentModificationException}. Errors name the OCaml function.
 */
public final class WeakHashSet {
    private static final int LIMIT = 7;
    private static final int OVER_LIMIT = 2;
    /** {@code Sys.max_array_length} for the bucket array. */
    private static final long MAX_ARRAY = Header.MAX_SIZE_WORDS;
    /** The largest bucket: {@code Sys.max_array_length - additional_values}. */
    private static final long MAX_BUCKET = EphemeronLayout.MAX_KEYS;

    private final Heap heap;
    private final Weak weak;
    private final RootStack roots;
    private final HashedType hashed;

    private final Op opCreate = Op.named("Weak.Make.create");
    private final Op opClear = Op.named("Weak.Make.clear");
    private final Op opMerge = Op.named("Weak.Make.merge");
    private final Op opAdd = Op.named("Weak.Make.add");
    private final Op opRemove = Op.named("Weak.Make.remove");
    private final Op opFind = Op.named("Weak.Make.find");
    private final Op opFindOpt = Op.named("Weak.Make.find_opt");
    private final Op opFindAll = Op.named("Weak.Make.find_all");
    private final Op opMem = Op.named("Weak.Make.mem");
    private final Op opIter = Op.named("Weak.Make.iter");
    private final Op opFold = Op.named("Weak.Make.fold");
    private final Op opCount = Op.named("Weak.Make.count");
    private final Op opStats = Op.named("Weak.Make.stats");

    private WeakHashSet(Heap heap, HashedType hashed) {
        this.heap = heap;
        this.weak = heap.weak();
        this.roots = new RootStack(heap);
        this.hashed = hashed;
    }

    /**
     * {@code Weak.Make (H)}. The module registers a small root area with the heap: make one per
     * heap and hashed type and keep it.
     *
     * @param heap the heap the sets live in
     * @param h the elements' hash and equality
     * @return the set module
     */
    public static WeakHashSet make(Heap heap, HashedType h) {
        if (heap == null || h == null) {
            throw new IllegalArgumentException("Weak.Make: the heap and the hashed type must not be null");
        }
        return new WeakHashSet(heap, h);
    }

    /** {@code iter}'s function. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called with each element.
         *
         * @param element the element (raw)
         */
        void visit(long element);
    }

    /**
     * {@code fold}'s function.
     *
     * @param <A> the accumulator's type
     */
    @FunctionalInterface
    public interface Folder<A> {
        /**
         * {@return the accumulator after this element}
         *
         * @param element the element (raw)
         * @param acc the accumulator so far
         */
        A fold(long element, A acc);
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
        return (int) ((h & Value.MAX_INT) % heap.size(table(t)));
    }

    private void check(Op op, long t) {
        heap.checkArgument(op.name, t); // closed heap, other thread, stale or forged set: named by op
        if (!Value.isBlock(t)) {
            throw new NotABlockException(op + ": expected a weak hash set, got " + Value.describe(t));
        }
        if (!isSet(t)) {
            throw new WrongTagException(op + ": expected a weak hash set, got " + HashedTypes.describe(heap, t));
        }
    }

    /**
     * {@return true if {@code v} is a weak hash set}
     *
     * @param v any value
     */
    public boolean isSet(long v) {
        return Value.isBlock(v) && heap.tag(v) == WeakSetLayout.TAG && heap.size(v) == WeakSetLayout.SIZE_WORDS
                && heap.field(v, WeakSetLayout.MARK_FIELD) == WeakSetLayout.MARK;
    }

    private void checkElement(Op op, long d) {
        if (d == Value.NONE) {
            throw new IllegalArgumentException(op + ": the element is none (empty slots cannot be elements)");
        }
        heap.checkArgument(op.name, d);
    }

    private long beginModify(Op op, long t) {
        long iterating = intField(t, WeakSetLayout.ITERATING_FIELD);
        if (iterating != 0) {
            throw new ConcurrentModificationException(op + ": the set is being iterated (by "
                    + Op.nameOf((int) (iterating & TableLayout.OP_MASK)) + "); it cannot be modified during the iteration");
        }
        return intField(t, WeakSetLayout.STAMP_FIELD);
    }

    private void touch(long t, Op op) {
        long count = (intField(t, WeakSetLayout.STAMP_FIELD) >>> TableLayout.OP_BITS) + 1;
        setIntField(t, WeakSetLayout.STAMP_FIELD, (count << TableLayout.OP_BITS) | op.code);
    }

    private void checkStamp(Op op, long t, long expected, String during) {
        long now = intField(t, WeakSetLayout.STAMP_FIELD);
        if (now != expected) {
            throw new ConcurrentModificationException(op + ": the set was modified (by "
                    + Op.nameOf((int) (now & TableLayout.OP_MASK)) + ") while " + during + " ran");
        }
    }

    // ================================================================== creation

    /**
     * {@code create n}: an empty set with {@code n} buckets (at least 7). The result is a raw
     * value: root it before allocating.
     *
     * @param n the number of buckets
     * @return the new set (raw: valid until the next allocation)
     */
    public long create(int n) {
        return create(opCreate, n);
    }

    private long create(Op op, long n) {
        heap.checkUsable(op.name);
        long sz = Math.min(Math.max(n, 7), MAX_ARRAY);
        int mark = roots.mark();
        try {
            int box = roots.push(heap.allocForeign(hashed));
            int table = roots.push(heap.allocArray((int) sz, Value.NONE));
            int hashes = roots.push(heap.allocArray((int) sz, Value.NONE));
            return heap.allocFields(WeakSetLayout.TAG, WeakSetLayout.MARK, roots.get(box), roots.get(table),
                    roots.get(hashes), Value.ofInt(LIMIT), Value.ofInt(0), Value.ofInt(0), Value.ofInt(0), Value.ofInt(0));
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(op, e);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code clear}: removes every element; keeps the bucket count.
     *
     * @param t a set of this module
     */
    public void clear(long t) {
        check(opClear, t);
        beginModify(opClear, t);
        long table = table(t);
        long hashes = hashes(t);
        for (int i = 0, n = heap.size(table); i < n; i++) {
            heap.setField(table, i, Value.NONE);
            heap.setField(hashes, i, Value.NONE);
        }
        setIntField(t, WeakSetLayout.LIMIT_FIELD, LIMIT);
        setIntField(t, WeakSetLayout.OVERSIZE_FIELD, 0);
        touch(t, opClear);
    }

    // ================================================================== lookup

    private HashedType hashedOf(long t) {
        return (HashedType) heap.foreign(field(t, WeakSetLayout.HASHED_FIELD));
    }

    /**
     * OCaml's {@code find_aux}: the slot of the first element of the bucket of {@code d} with
     * {@code d}'s hash that {@code H.equal} accepts, as {@code index << 32 | slot}, or -1. The
     * element found is left in root slot {@code foundSlot}; {@code d}'s hash in {@code hash[0]}.
     */
    private long findAux(Op op, int tSlot, int dSlot, int foundSlot, long[] hash) {
        long t = roots.get(tSlot);
        long stamp = intField(t, WeakSetLayout.STAMP_FIELD);
        HashedType h = hashedOf(t);
        long hd = h.hash(heap, roots.get(dSlot));
        t = roots.get(tSlot);
        checkStamp(op, t, stamp, "the hashed type's hash function");
        hash[0] = hd;
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
                    boolean equal = h.equal(heap, v, roots.get(dSlot));
                    t = roots.get(tSlot);
                    checkStamp(op, t, stamp, "the hashed type's equality");
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

    private interface SlotFunction<R> {
        R apply(int tSlot, int dSlot, int foundSlot, long position, long hash);
    }

    private <R> R withLookup(Op op, long t, long d, SlotFunction<R> f) {
        check(op, t);
        checkElement(op, d);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(d);
            int foundSlot = roots.push(Value.NONE);
            long[] hash = new long[1];
            long position = findAux(op, tSlot, dSlot, foundSlot, hash);
            return f.apply(tSlot, dSlot, foundSlot, position, hash[0]);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code merge t x}: an element of the set equal to {@code x} if there is one, else
     * {@code x}, after adding it. Hash-consing: {@code merge t x == x} tells a new value.
     *
     * @param t a set of this module
     * @param x the value to find or add
     * @return the element equal to {@code x} (raw), which is {@code x} itself if it was added
     */
    public long merge(long t, long x) {
        check(opMerge, t);
        checkElement(opMerge, x);
        beginModify(opMerge, t);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the set while this changes it
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            int foundSlot = roots.push(Value.NONE);
            long[] hash = new long[1];
            if (findAux(opMerge, tSlot, dSlot, foundSlot, hash) >= 0) {
                return roots.get(foundSlot);
            }
            addAux(opMerge, tSlot, dSlot, -1, 0, hash[0], index(roots.get(tSlot), hash[0]));
            touch(roots.get(tSlot), opMerge);
            return roots.get(dSlot);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(opMerge, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /**
     * {@code add t x}: adds {@code x}, even if an equal element is there already.
     *
     * @param t a set of this module
     * @param x the value to add
     */
    public void add(long t, long x) {
        check(opAdd, t);
        checkElement(opAdd, x);
        long stamp = beginModify(opAdd, t);
        int mark = roots.mark();
        heap.gc().beginNoSafePoints(); // no finaliser may change the set while this changes it
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            long h = hashedOf(t).hash(heap, x);
            checkStamp(opAdd, roots.get(tSlot), stamp, "the hashed type's hash function");
            addAux(opAdd, tSlot, dSlot, -1, 0, h, index(roots.get(tSlot), h));
            touch(roots.get(tSlot), opAdd);
        } catch (HeapExhaustedException e) {
            throw Failures.exhausted(opAdd, e);
        } finally {
            heap.gc().endNoSafePoints();
            roots.popTo(mark);
        }
    }

    /**
     * {@code remove t x}: removes one element equal to {@code x}, if any.
     *
     * @param t a set of this module
     * @param x the value to remove an equal of
     */
    public void remove(long t, long x) {
        check(opRemove, t);
        beginModify(opRemove, t);
        withLookup(opRemove, t, x, (tSlot, dSlot, foundSlot, position, h) -> {
            if (position >= 0) {
                long set = roots.get(tSlot);
                weak.set(field(table(set), (int) (position >>> 32)), (int) position, Value.NONE);
                touch(set, opRemove);
            }
            return null;
        });
    }

    /**
     * {@code find t x}: an element equal to {@code x}.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the element (raw)
     * @throws NoSuchElementException if there is none ({@code Not_found})
     */
    public long find(long t, long x) {
        long v = withLookup(opFind, t, x, (tSlot, dSlot, foundSlot, position, h) -> roots.get(foundSlot));
        if (v == Value.NONE) {
            throw new NoSuchElementException(opFind + ": no element equal to " + Value.describe(x) + " (Not_found)");
        }
        return v;
    }

    /**
     * {@code find_opt t x}: an element equal to {@code x}, or NONE.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the element (raw), or NONE
     */
    public long findOpt(long t, long x) {
        return withLookup(opFindOpt, t, x, (tSlot, dSlot, foundSlot, position, h) -> roots.get(foundSlot));
    }

    /**
     * {@code mem t x}: true if an element equal to {@code x} is in the set.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return true if the set holds an element equal to {@code x}
     */
    public boolean mem(long t, long x) {
        return withLookup(opMem, t, x, (tSlot, dSlot, foundSlot, position, h) -> position >= 0);
    }

    /**
     * {@code find_all t x}: every element equal to {@code x} (raw values; last slot first, as
     * OCaml).
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the elements (raw)
     */
    public long[] findAll(long t, long x) {
        check(opFindAll, t);
        checkElement(opFindAll, x);
        int mark = roots.mark();
        try {
            int tSlot = roots.push(t);
            int dSlot = roots.push(x);
            long stamp = intField(t, WeakSetLayout.STAMP_FIELD);
            HashedType h = hashedOf(t);
            long hd = h.hash(heap, x);
            checkStamp(opFindAll, roots.get(tSlot), stamp, "the hashed type's hash function");
            int index = index(roots.get(tSlot), hd);
            int sz = bucketLength(field(table(roots.get(tSlot)), index));
            int results = roots.mark();
            for (int i = 0; i < sz; i++) {
                long set = roots.get(tSlot);
                if (field(field(hashes(set), index), i) == Value.ofInt(hd)) {
                    long v = weak.get(field(table(set), index), i);
                    if (v != Value.NONE) {
                        int vSlot = roots.push(v);
                        boolean equal = h.equal(heap, v, roots.get(dSlot));
                        checkStamp(opFindAll, roots.get(tSlot), stamp, "the hashed type's equality");
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
            if (weak.get(bucket, i) == Value.NONE) {
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
            for (int k = 0; k <= OVER_LIMIT; k++) {
                testShrinkBucket(tSlot);
            }
        }
        t = roots.get(tSlot);
        if (intField(t, WeakSetLayout.OVERSIZE_FIELD) > heap.size(table(t)) / OVER_LIMIT) {
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
            int newSlot = roots.push(create(op, newLen));
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
            heap.setField(t, WeakSetLayout.TABLE_FIELD, table(fresh));
            heap.setField(t, WeakSetLayout.HASHES_FIELD, hashes(fresh));
            heap.setField(t, WeakSetLayout.LIMIT_FIELD, field(fresh, WeakSetLayout.LIMIT_FIELD));
            heap.setField(t, WeakSetLayout.OVERSIZE_FIELD, field(fresh, WeakSetLayout.OVERSIZE_FIELD));
            setIntField(t, WeakSetLayout.ROVER_FIELD, intField(t, WeakSetLayout.ROVER_FIELD) % heap.size(table(fresh)));
        } finally {
            roots.popTo(mark);
        }
    }

    // ================================================================== iteration and counts

    private void enterIteration(long t, Op op) {
        long it = intField(t, WeakSetLayout.ITERATING_FIELD);
        setIntField(t, WeakSetLayout.ITERATING_FIELD, it == 0 ? (1L << TableLayout.OP_BITS) | op.code
                : it + (1L << TableLayout.OP_BITS));
    }

    private void exitIteration(long t) {
        long it = intField(t, WeakSetLayout.ITERATING_FIELD) - (1L << TableLayout.OP_BITS);
        setIntField(t, WeakSetLayout.ITERATING_FIELD, (it >>> TableLayout.OP_BITS) == 0 ? 0 : it);
    }

    /** Visits every element, buckets in {@code order} (ascending for iter, descending for fold). */
    private void walk(Op op, long t, boolean ascending, Visitor f) {
        check(op, t);
        if (f == null) {
            throw new IllegalArgumentException(op + ": the function is null");
        }
        int mark = roots.mark();
        int tSlot = roots.push(t);
        enterIteration(t, op);
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
                        f.visit(v);
                    }
                }
            }
        } finally {
            exitIteration(roots.get(tSlot));
            roots.popTo(mark);
        }
    }

    /**
     * {@code iter f t}: calls {@code f} on every element (buckets in order, then slots).
     *
     * @param t a set of this module
     * @param f the function called with each element
     */
    public void iter(long t, Visitor f) {
        walk(opIter, t, true, f);
    }

    /**
     * {@code fold f t init}: OCaml's order (buckets from the last, slots in order).
     *
     * @param <A> the accumulator's type
     * @param t a set of this module
     * @param f the function from an element and the accumulator to the next accumulator
     * @param init the first accumulator
     * @return the last accumulator
     */
    public <A> A fold(long t, Folder<A> f, A init) {
        if (f == null) {
            throw new IllegalArgumentException(opFold + ": the function is null");
        }
        Object[] acc = {init};
        walk(opFold, t, false, v -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = f.fold(v, a);
        });
        @SuppressWarnings("unchecked")
        A result = (A) acc[0];
        return result;
    }

    /**
     * {@code count t}: the number of elements, exact; keeps nothing alive ({@code check}, not
     * {@code get}).
     *
     * @param t a set of this module
     * @return the number of live elements
     */
    public long count(long t) {
        check(opCount, t);
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

    /**
     * {@code stats t}: (table length, number of elements, sum of bucket lengths, smallest bucket,
     * median bucket, biggest bucket); bucket lengths are capacities.
     *
     * @param t a set of this module
     * @return the six numbers
     */
    public WeakSetStatistics stats(long t) {
        check(opStats, t);
        long table = table(t);
        int n = heap.size(table);
        int[] lengths = new int[n];
        long total = 0;
        for (int j = 0; j < n; j++) {
            lengths[j] = bucketLength(field(table, j));
            total += lengths[j];
        }
        java.util.Arrays.sort(lengths);
        return new WeakSetStatistics(n, count(t), total, lengths[0], lengths[n / 2], lengths[n - 1]);
    }
}
