package dev.ephemera.scheme.primitives;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.object.HashtableLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.Equality;
import dev.ephemera.scheme.runtime.SchemeHeap;
import dev.ephemera.scheme.runtime.Stack;

/**
 * SRFI 126 hashtables in the heap ({@link HashtableLayout}), with the seven weakness options.
 *
 * <h2>Design</h2>
 * Separate chaining; each entry stores its key's hash, so resizing never calls a hash function
 * and no table needs rehashing after a collection (identity hashes are stored in block headers,
 * never derived from addresses). Weak parts are the heap's weak arrays and ephemerons, so the
 * collector's own weak processing decides liveness — including the ephemeron fixpoint, which is
 * what makes {@code ephemeral-key} tables free an entry whose value refers to its key, where
 * {@code weak-key} tables (like {@code java.util.WeakHashMap}) keep it for ever.
 *
 * <h2>Dead entries</h2>
 * Lookups skip entries whose key or value was cleared. Operations that report on the whole table
 * ({@code size}, {@code keys}, ...) first purge: if a collection happened since the table's
 * epoch, dead entries are unlinked and the count corrected, so {@code hashtable-size} counts
 * exactly the live entries.
 *
 * <h2>Rooting</h2>
 * Custom hash and equivalence procedures are Scheme procedures run by a nested call, which may
 * allocate and collect; so the table, the key and the chain cursor are kept in stack slots and
 * re-read after every such call.
 */
final class Hashtables {
    static final String[] WEAKNESS = {
        null, "weak-key", "weak-value", "weak-key-and-value", "ephemeral-key", "ephemeral-value",
        "ephemeral-key-and-value"
    };
    static final int STRONG = 0;
    static final int WEAK_KEY = 1;
    static final int WEAK_VALUE = 2;
    static final int WEAK_BOTH = 3;
    static final int EPHEMERAL_KEY = 4;
    static final int EPHEMERAL_VALUE = 5;
    static final int EPHEMERAL_BOTH = 6;

    static final int EQ = 0;
    static final int EQV = 1;
    static final int EQUAL = 2;
    static final int STRING = 3;
    static final int CUSTOM = 4;

    private final Machine m;
    private final SchemeHeap h;
    private final Heap heap;
    private final Stack st;
    private final Equality eq;

    Hashtables(Machine m, Equality eq) {
        this.m = m;
        this.h = m.h;
        this.heap = m.heap;
        this.st = m.st;
        this.eq = eq;
    }

    // ------------------------------------------------------------------ creation

    /** A new table; the hash and equivalence procedures (or #f) are at the given stack slots. */
    long make(int kind, int weakness, int capacity, int hashSlot, int equivSlot) {
        int buckets = 8;
        while (buckets < capacity && buckets < (1 << 28)) {
            buckets <<= 1;
        }
        int base = st.sp();
        st.push(heap.allocBlock(SchemeTag.VECTOR, buckets));
        long t = heap.allocBlock(SchemeTag.HASHTABLE, HashtableLayout.SIZE_WORDS);
        heap.setField(t, HashtableLayout.BUCKETS_FIELD, st.get(base));
        heap.setField(t, HashtableLayout.COUNT_FIELD, Value.ofInt(0));
        heap.setField(t, HashtableLayout.WEAKNESS_FIELD, Value.ofInt(weakness));
        heap.setField(t, HashtableLayout.KIND_FIELD, Value.ofInt(kind));
        heap.setField(t, HashtableLayout.HASH_FIELD, hashSlot < 0 ? h.f() : st.get(hashSlot));
        heap.setField(t, HashtableLayout.EQUIV_FIELD, equivSlot < 0 ? h.f() : st.get(equivSlot));
        heap.setField(t, HashtableLayout.EPOCH_FIELD, Value.ofInt(epoch()));
        st.reset(base);
        return t;
    }

    private long epoch() {
        var s = heap.gc().quickStat();
        return s.minorCollections + s.majorCollections;
    }

    static int intField(Heap heap, long block, int field) {
        return (int) Value.intOf(heap.field(block, field));
    }

    int weakness(long t) {
        return intField(heap, t, HashtableLayout.WEAKNESS_FIELD);
    }

    // ------------------------------------------------------------------ entries

    /** The entry's key, or NONE if it was cleared. */
    long key(long t, long e) {
        long a = heap.field(e, HashtableLayout.ENTRY_A_FIELD);
        switch (weakness(t)) {
            case STRONG:
            case WEAK_VALUE:
                return a;
            case WEAK_KEY:
            case WEAK_BOTH:
                return heap.weak().get(a, 0);
            case EPHEMERAL_KEY:
                return heap.ephemerons().getKey(a, 0);
            case EPHEMERAL_VALUE:
                return heap.ephemerons().getData(a);
            default:
                return heap.ephemerons().getKey(a, 0);
        }
    }

    /** The entry's value, or NONE if it was cleared. */
    long value(long t, long e) {
        long a = heap.field(e, HashtableLayout.ENTRY_A_FIELD);
        long b = heap.field(e, HashtableLayout.ENTRY_B_FIELD);
        switch (weakness(t)) {
            case STRONG:
            case WEAK_KEY:
                return b;
            case WEAK_VALUE:
                return heap.weak().get(b, 0);
            case WEAK_BOTH:
                return heap.weak().get(a, 1);
            case EPHEMERAL_KEY:
                return heap.ephemerons().getData(a);
            case EPHEMERAL_VALUE:
                return heap.ephemerons().getKey(a, 0);
            default:
                return heap.ephemerons().getKey(a, 1);
        }
    }

    boolean live(long t, long e) {
        return key(t, e) != Value.NONE && value(t, e) != Value.NONE;
    }

    /** Replaces the value of a live entry (no allocation). */
    void setValue(long t, long e, long v) {
        long a = heap.field(e, HashtableLayout.ENTRY_A_FIELD);
        switch (weakness(t)) {
            case STRONG:
            case WEAK_KEY:
                heap.setField(e, HashtableLayout.ENTRY_B_FIELD, v);
                break;
            case WEAK_VALUE:
                heap.weak().set(heap.field(e, HashtableLayout.ENTRY_B_FIELD), 0, v);
                break;
            case WEAK_BOTH:
                heap.weak().set(a, 1, v);
                break;
            case EPHEMERAL_KEY:
                heap.ephemerons().setData(a, v);
                break;
            case EPHEMERAL_VALUE:
                heap.ephemerons().setKey(a, 0, v);
                break;
            default:
                heap.ephemerons().setKey(a, 1, v);
        }
    }

    /** A new entry for the key and value at the given slots (its next is NONE). */
    private long newEntry(int weakness, int hash, int keySlot, int valueSlot) {
        int base = st.sp();
        long a;
        long b = h.f();
        switch (weakness) {
            case STRONG:
                a = st.get(keySlot);
                b = st.get(valueSlot);
                break;
            case WEAK_KEY:
                a = heap.weak().create(1);
                heap.weak().set(a, 0, st.get(keySlot));
                b = st.get(valueSlot);
                break;
            case WEAK_VALUE:
                st.push(heap.weak().create(1));
                heap.weak().set(st.get(base), 0, st.get(valueSlot));
                b = st.get(base);
                a = st.get(keySlot);
                break;
            case WEAK_BOTH:
                a = heap.weak().create(2);
                heap.weak().set(a, 0, st.get(keySlot));
                heap.weak().set(a, 1, st.get(valueSlot));
                break;
            case EPHEMERAL_KEY:
                a = heap.ephemerons().k1().make(st.get(keySlot), st.get(valueSlot));
                break;
            case EPHEMERAL_VALUE:
                a = heap.ephemerons().k1().make(st.get(valueSlot), st.get(keySlot));
                break;
            default:
                a = heap.ephemerons().kn().make(new long[] {st.get(keySlot), st.get(valueSlot)}, Value.NONE);
                break;
        }
        long e = heap.allocFields(SchemeTag.TABLE_ENTRY, Value.NONE, Value.ofInt(hash), a, b);
        st.reset(base);
        return e;
    }

    // ------------------------------------------------------------------ hashing and equivalence

    /** The hash of the key at {@code keySlot} for the table at {@code tableSlot} (may run Scheme code). */
    int hash(int tableSlot, int keySlot, String proc) {
        long t = st.get(tableSlot);
        int kind = intField(heap, t, HashtableLayout.KIND_FIELD);
        long k = st.get(keySlot);
        switch (kind) {
            case EQ:
                return eqHash(k);
            case EQV:
                return eqvHash(k);
            case EQUAL:
                return equalHash(k);
            case STRING:
                if (!h.isString(k)) {
                    throw Args.wrongType(m, proc, "a string key", k);
                }
                return stringHash(k);
            default: {
                int mark = m.beginCall();
                st.push(heap.field(st.get(tableSlot), HashtableLayout.HASH_FIELD));
                st.push(st.get(keySlot));
                long r = m.finishCall(mark, 1);
                if (!Value.isInt(r)) {
                    throw new ErrorSignal("wrong-type", proc + ": the hash function returned "
                            + m.printer.write(r) + ", not an exact integer", r);
                }
                return (int) (Value.intOf(r) & 0x3FFFFFFF);
            }
        }
    }

    /** True if the key at {@code keySlot} is equivalent to {@code other} (valid now) for the table. */
    private boolean same(int tableSlot, int keySlot, long other) {
        long t = st.get(tableSlot);
        int kind = intField(heap, t, HashtableLayout.KIND_FIELD);
        long k = st.get(keySlot);
        switch (kind) {
            case EQ:
                return k == other;
            case EQV:
                return eq.eqv(k, other);
            case EQUAL:
                return eq.equal(k, other);
            case STRING:
                return h.isString(other) && eq.equal(k, other);
            default: {
                // beginCall pushes the registers without allocating, so other is still valid.
                int mark = m.beginCall();
                st.push(heap.field(st.get(tableSlot), HashtableLayout.EQUIV_FIELD));
                st.push(st.get(keySlot));
                st.push(other);
                return h.isTrue(m.finishCall(mark, 2));
            }
        }
    }

    int eqHash(long k) {
        if (Value.isInt(k)) {
            return mix(Value.intOf(k));
        }
        return heap.identityHash(k);
    }

    int eqvHash(long k) {
        if (h.isFlonum(k)) {
            return mix(Double.doubleToLongBits(h.flonumValue(k)));
        }
        if (h.isChar(k)) {
            return mix(h.charValue(k) * 31L + 7);
        }
        return eqHash(k);
    }

    int stringHash(long k) {
        long x = 0xcbf29ce484222325L;
        for (byte b : heap.bytes(k)) {
            x = (x ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return mix(x);
    }

    /** A structural hash: equal? objects get equal hashes. Bounded to the first 64 nodes. */
    int equalHash(long k) {
        long[] budget = {64};
        return mix(equalHash(k, budget, 0));
    }

    private long equalHash(long k, long[] budget, int depth) {
        if (--budget[0] < 0 || depth > 16) {
            return 17;
        }
        if (Value.isInt(k) || h.isFlonum(k) || h.isChar(k)) {
            return eqvHash(k);
        }
        int tag = heap.tag(k);
        if (tag == Tag.STRING) {
            return stringHash(k);
        }
        if (tag == SchemeTag.PAIR) {
            long x = 0x9E37;
            while (h.isPair(k) && budget[0] > 0) {
                x = x * 31 + equalHash(h.car(k), budget, depth + 1);
                k = h.cdr(k);
                budget[0]--;
            }
            return x * 31 + (h.isPair(k) ? 0 : equalHash(k, budget, depth + 1));
        }
        if (tag == SchemeTag.VECTOR) {
            long x = 0x7EC;
            int n = heap.size(k);
            for (int i = 0; i < n && budget[0] > 0; i++) {
                x = x * 31 + equalHash(heap.field(k, i), budget, depth + 1);
            }
            return x + n;
        }
        return eqHash(k);
    }

    static int mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return (int) (x & 0x3FFFFFFF);
    }

    // ------------------------------------------------------------------ operations

    /**
     * The live entry for the key at {@code keySlot}, or NONE. With {@code predSlot} &ge; 0, that
     * slot receives the entry before it in its chain (NONE if first).
     */
    long find(int tableSlot, int keySlot, int hash, int predSlot) {
        int base = st.sp();
        long buckets = heap.field(st.get(tableSlot), HashtableLayout.BUCKETS_FIELD);
        int cursor = st.push(heap.field(buckets, hash & (heap.size(buckets) - 1)));
        int pred = st.push(Value.NONE);
        try {
            while (st.get(cursor) != Value.NONE) {
                long e = st.get(cursor);
                if (intField(heap, e, HashtableLayout.ENTRY_HASH_FIELD) == hash) {
                    long t = st.get(tableSlot);
                    long k = key(t, e);
                    if (k != Value.NONE && value(t, e) != Value.NONE && same(tableSlot, keySlot, k)) {
                        if (predSlot >= 0) {
                            st.set(predSlot, st.get(pred));
                        }
                        return st.get(cursor);
                    }
                }
                st.set(pred, st.get(cursor));
                st.set(cursor, heap.field(st.get(cursor), HashtableLayout.ENTRY_NEXT_FIELD));
            }
            return Value.NONE;
        } finally {
            st.reset(base);
        }
    }

    /** Adds or replaces the binding of the key and value at the given slots. */
    void set(int tableSlot, int keySlot, int valueSlot, String proc) {
        int hash = hash(tableSlot, keySlot, proc);
        long e = find(tableSlot, keySlot, hash, -1);
        if (e != Value.NONE) {
            setValue(st.get(tableSlot), e, st.get(valueSlot));
            return;
        }
        purgeIfCollected(tableSlot);
        long t = st.get(tableSlot);
        int count = intField(heap, t, HashtableLayout.COUNT_FIELD);
        if (count + 1 > heap.size(heap.field(t, HashtableLayout.BUCKETS_FIELD))) {
            resize(tableSlot, heap.size(heap.field(t, HashtableLayout.BUCKETS_FIELD)) * 2);
        }
        long entry = newEntry(weakness(st.get(tableSlot)), hash, keySlot, valueSlot);
        t = st.get(tableSlot);
        long buckets = heap.field(t, HashtableLayout.BUCKETS_FIELD);
        int i = hash & (heap.size(buckets) - 1);
        heap.setField(entry, HashtableLayout.ENTRY_NEXT_FIELD, heap.field(buckets, i));
        heap.setField(buckets, i, entry);
        heap.setField(t, HashtableLayout.COUNT_FIELD,
                Value.ofInt(intField(heap, t, HashtableLayout.COUNT_FIELD) + 1));
    }

    /** Removes the binding of the key at {@code keySlot}, if any. */
    void delete(int tableSlot, int keySlot, String proc) {
        int hash = hash(tableSlot, keySlot, proc);
        int pred = st.push(Value.NONE);
        long e = find(tableSlot, keySlot, hash, pred);
        if (e != Value.NONE) {
            long next = heap.field(e, HashtableLayout.ENTRY_NEXT_FIELD);
            long p = st.get(pred);
            long t = st.get(tableSlot);
            if (p == Value.NONE) {
                long buckets = heap.field(t, HashtableLayout.BUCKETS_FIELD);
                heap.setField(buckets, hash & (heap.size(buckets) - 1), next);
            } else {
                heap.setField(p, HashtableLayout.ENTRY_NEXT_FIELD, next);
            }
            heap.setField(t, HashtableLayout.COUNT_FIELD,
                    Value.ofInt(intField(heap, t, HashtableLayout.COUNT_FIELD) - 1));
        }
        st.reset(pred);
    }

    /** Moves every live entry to a bucket vector of {@code size} (a power of two). No allocation but the vector. */
    private void resize(int tableSlot, int size) {
        long fresh = heap.allocBlock(SchemeTag.VECTOR, size);
        long t = st.get(tableSlot);
        long old = heap.field(t, HashtableLayout.BUCKETS_FIELD);
        int n = heap.size(old);
        int count = 0;
        for (int i = 0; i < n; i++) {
            long e = heap.field(old, i);
            while (e != Value.NONE) {
                long next = heap.field(e, HashtableLayout.ENTRY_NEXT_FIELD);
                if (live(t, e)) {
                    int j = intField(heap, e, HashtableLayout.ENTRY_HASH_FIELD) & (size - 1);
                    heap.setField(e, HashtableLayout.ENTRY_NEXT_FIELD, heap.field(fresh, j));
                    heap.setField(fresh, j, e);
                    count++;
                }
                e = next;
            }
        }
        heap.setField(t, HashtableLayout.BUCKETS_FIELD, fresh);
        heap.setField(t, HashtableLayout.COUNT_FIELD, Value.ofInt(count));
    }

    /** Unlinks dead entries if a collection happened since the last purge. No allocation. */
    void purgeIfCollected(int tableSlot) {
        long t = st.get(tableSlot);
        long now = epoch();
        if (weakness(t) == STRONG || Value.intOf(heap.field(t, HashtableLayout.EPOCH_FIELD)) == now) {
            return;
        }
        long buckets = heap.field(t, HashtableLayout.BUCKETS_FIELD);
        int n = heap.size(buckets);
        int count = 0;
        for (int i = 0; i < n; i++) {
            long pred = Value.NONE;
            long e = heap.field(buckets, i);
            while (e != Value.NONE) {
                long next = heap.field(e, HashtableLayout.ENTRY_NEXT_FIELD);
                if (live(t, e)) {
                    count++;
                    pred = e;
                } else if (pred == Value.NONE) {
                    heap.setField(buckets, i, next);
                } else {
                    heap.setField(pred, HashtableLayout.ENTRY_NEXT_FIELD, next);
                }
                e = next;
            }
        }
        heap.setField(t, HashtableLayout.COUNT_FIELD, Value.ofInt(count));
        heap.setField(t, HashtableLayout.EPOCH_FIELD, Value.ofInt(now));
    }

    /** Number of live entries. */
    int size(int tableSlot) {
        purgeIfCollected(tableSlot);
        return intField(heap, st.get(tableSlot), HashtableLayout.COUNT_FIELD);
    }

    /**
     * Pushes the live entries' keys and/or values onto the stack ({@code what}: 0 keys, 1 values,
     * 2 both as key,value pairs of slots); returns how many entries.
     */
    int pushContents(int tableSlot, int what) {
        purgeIfCollected(tableSlot);
        long t = st.get(tableSlot);
        long buckets = heap.field(t, HashtableLayout.BUCKETS_FIELD);
        int n = heap.size(buckets);
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (long e = heap.field(buckets, i); e != Value.NONE; e = heap.field(e, HashtableLayout.ENTRY_NEXT_FIELD)) {
                long k = key(t, e);
                long v = value(t, e);
                if (k == Value.NONE || v == Value.NONE) {
                    continue;
                }
                if (what != 1) {
                    st.push(k);
                }
                if (what != 0) {
                    st.push(v);
                }
                count++;
            }
        }
        return count;
    }

    void clear(int tableSlot, int capacity) {
        int buckets = 8;
        while (buckets < capacity && buckets < (1 << 28)) {
            buckets <<= 1;
        }
        long fresh = heap.allocBlock(SchemeTag.VECTOR, buckets);
        long t = st.get(tableSlot);
        heap.setField(t, HashtableLayout.BUCKETS_FIELD, fresh);
        heap.setField(t, HashtableLayout.COUNT_FIELD, Value.ofInt(0));
    }
}
