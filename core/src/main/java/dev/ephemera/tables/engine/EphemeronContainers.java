package dev.ephemera.tables.engine;

import dev.ephemera.Ephemerons;
import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.SeededHashedType;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The containers of {@code Ephemeron.K1}, {@code K2} and {@code Kn} tables: one ephemeron per
 * binding, whose keys are the binding's keys and whose data is its data, in part 0 of the cell
 * ({@code stdlib/ephemeron.ml}'s {@code MakeSeeded} instances). The data is kept alive only
 * while every key is; when a key dies the collector empties the key and the data together.
 *
 * <p>Hashes, as in OCaml: K1 {@code H.hash seed k}; K2
 * {@code H1.hash seed k1 + H2.hash seed k2 * 65599}; Kn {@code h := H.hash seed k.(i) * 65599 + h}
 * for i = 0 .. n-1 (computed on 64 bits; the low bits, which pick the bucket, are OCaml's).
 * Equality: {@code EDead} if a key is empty, else the hashed type's {@code equal (argument)
 * (stored)} on each key (Kn: from the last key to the first, after comparing lengths).
 */
final class EphemeronContainers extends Containers {
    static final EphemeronContainers K1 = new EphemeronContainers(1);
    static final EphemeronContainers K2 = new EphemeronContainers(2);
    static final EphemeronContainers KN = new EphemeronContainers(-1);

    private static final long MULTIPLIER = 65599;

    private final int arity;

    private EphemeronContainers(int arity) {
        super(1, true);
        this.arity = arity;
    }

    @Override
    public int arity() {
        return arity;
    }

    @Override
    long hash(Heap heap, Object hashed, int seed, RootStack r, int keyBase, int keyCount) {
        if (arity == 1) {
            return ((SeededHashedType) hashed).seededHash(heap, seed, r.get(keyBase));
        }
        if (arity == 2) {
            HashedPair h = (HashedPair) hashed;
            long h1 = h.first().seededHash(heap, seed, r.get(keyBase));
            long h2 = h.second().seededHash(heap, seed, r.get(keyBase + 1));
            return h1 + h2 * MULTIPLIER;
        }
        SeededHashedType h = (SeededHashedType) hashed;
        long acc = 0;
        for (int i = 0; i < keyCount; i++) {
            acc = h.seededHash(heap, seed, r.get(keyBase + i)) * MULTIPLIER + acc;
        }
        return acc;
    }

    @Override
    GenHashTable.Equal equal(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount) {
        Ephemerons eph = heap.ephemerons();
        long e = heap.field(r.get(cellSlot), TableLayout.PART0_FIELD);
        if (arity == 1) {
            long k = eph.getKey(e, 0);
            if (k == Value.NONE) {
                return GenHashTable.Equal.DEAD;
            }
            return ((SeededHashedType) hashed).equal(heap, r.get(keyBase), k)
                    ? GenHashTable.Equal.TRUE : GenHashTable.Equal.FALSE;
        }
        if (arity == 2) {
            long k1 = eph.getKey(e, 0);
            long k2 = eph.getKey(e, 1);
            if (k1 == Value.NONE || k2 == Value.NONE) {
                return GenHashTable.Equal.DEAD;
            }
            // OCaml's get_key1/get_key2 hold both stored keys for the whole comparison: so do we
            int k2Slot = r.push(k2);
            HashedPair h = (HashedPair) hashed;
            boolean equal = h.first().equal(heap, r.get(keyBase), k1)
                    && h.second().equal(heap, r.get(keyBase + 1), r.get(k2Slot));
            r.popTo(k2Slot);
            return equal ? GenHashTable.Equal.TRUE : GenHashTable.Equal.FALSE;
        }
        if (eph.length(e) != keyCount) {
            return GenHashTable.Equal.FALSE;
        }
        SeededHashedType h = (SeededHashedType) hashed;
        for (int i = keyCount - 1; i >= 0; i--) {
            e = heap.field(r.get(cellSlot), TableLayout.PART0_FIELD);
            long k = eph.getKey(e, i);
            if (k == Value.NONE) {
                return GenHashTable.Equal.DEAD;
            }
            if (!h.equal(heap, r.get(keyBase + i), k)) {
                return GenHashTable.Equal.FALSE;
            }
        }
        return GenHashTable.Equal.TRUE;
    }

    @Override
    void create(Heap heap, Object hashed, RootStack r, int keyBase, int keyCount, int dataSlot, int out) {
        long e;
        if (arity == 1) {
            e = heap.ephemerons().k1().make(r.get(keyBase), r.get(dataSlot));
        } else if (arity == 2) {
            e = heap.ephemerons().k2().make(r.get(keyBase), r.get(keyBase + 1), r.get(dataSlot));
        } else {
            long[] keys = new long[keyCount];
            for (int i = 0; i < keyCount; i++) {
                keys[i] = r.get(keyBase + i);
            }
            e = heap.ephemerons().kn().make(keys, r.get(dataSlot)); // roots its arguments
        }
        r.set(out, e);
    }

    @Override
    void setKeyData(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount, int dataSlot) {
        Ephemerons eph = heap.ephemerons();
        long e = heap.field(r.get(cellSlot), TableLayout.PART0_FIELD);
        // OCaml unsets the data first, for its incremental marker; no collection can run here
        for (int i = 0; i < keyCount; i++) {
            eph.setKey(e, i, r.get(keyBase + i));
        }
        eph.setData(e, r.get(dataSlot));
    }

    @Override
    boolean canRefill(Heap heap, long cell, int keyCount) {
        return arity >= 0 || heap.ephemerons().length(heap.field(cell, TableLayout.PART0_FIELD)) == keyCount;
    }

    @Override
    boolean alive(Heap heap, Object hashed, long cell) {
        // check_key, not get_key: a liveness test must not keep the key alive while a cycle
        // marks, or a table cleaned (or copied, or counted) once a cycle would never lose a key
        Ephemerons eph = heap.ephemerons();
        long e = heap.field(cell, TableLayout.PART0_FIELD);
        if (arity == 1) {
            return eph.checkKey(e, 0);
        }
        for (int i = 0, n = eph.length(e); i < n; i++) {
            if (!eph.checkKey(e, i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    long data(Heap heap, Object hashed, RootStack r, int cellSlot) {
        return heap.ephemerons().getData(heap.field(r.get(cellSlot), TableLayout.PART0_FIELD));
    }

    @Override
    public int pushBinding(Heap heap, Object hashed, RootStack r, int cellSlot) {
        Ephemerons eph = heap.ephemerons();
        long e = heap.field(r.get(cellSlot), TableLayout.PART0_FIELD);
        long d = eph.getData(e);
        int n = eph.length(e);
        if (d == Value.NONE) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (eph.getKey(e, i) == Value.NONE) {
                return -1;
            }
        }
        for (int i = 0; i < n; i++) {
            r.push(eph.getKey(e, i));
        }
        r.push(d);
        return n;
    }
}
