package dev.ephemera.tables.engine;

import dev.ephemera.Ephemerons;
import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.Weak;
import dev.ephemera.object.Value;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.SeededHashedType;
import dev.ephemera.tables.Weakness;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The containers of a {@link Hashtables} table, one layout per {@link Weakness}: what holds the
 * key and the value, and so what keeps what alive.
 *
 * <pre>
 *   mode                     part 0                      part 1
 *   NONE                     key                         value
 *   WEAK_KEY                 weak array [key]            value
 *   WEAK_VALUE               key                         weak array [value]
 *   WEAK_KEY_AND_VALUE       weak array [key, value]     -
 *   EPHEMERAL_KEY            ephemeron key -> value      -
 *   EPHEMERAL_VALUE          ephemeron value -> key      -
 *   EPHEMERAL_KEY_AND_VALUE  ephemeron key -> value      ephemeron value -> key
 * </pre>
 * A binding is alive while neither its key nor its value has been emptied by the collector.
 * The hash is the hashed type's, on the key; equality is the hashed type's on the keys, after
 * {@code EDead} for a dead binding.
 */
final class WeaknessContainers extends Containers {
    private static final WeaknessContainers[] ALL = new WeaknessContainers[Weakness.values().length];

    static {
        for (Weakness w : Weakness.values()) {
            ALL[w.ordinal()] = new WeaknessContainers(w);
        }
    }

    private final Weakness weakness;

    private WeaknessContainers(Weakness weakness) {
        super(partsOf(weakness), true);
        this.weakness = weakness;
    }

    static WeaknessContainers of(Weakness w) {
        return ALL[w.ordinal()];
    }

    private static int partsOf(Weakness w) {
        switch (w) {
            case WEAK_KEY_AND_VALUE:
            case EPHEMERAL_KEY:
            case EPHEMERAL_VALUE:
                return 1;
            default:
                return 2;
        }
    }

    @Override
    public int arity() {
        return 1;
    }

    /** The key of the cell, or NONE if it was emptied. */
    long key(Heap heap, long cell) {
        long p0 = heap.field(cell, TableLayout.PART0_FIELD);
        switch (weakness) {
            case NONE:
            case WEAK_VALUE:
                return p0;
            case WEAK_KEY:
            case WEAK_KEY_AND_VALUE:
                return heap.weak().get(p0, 0);
            case EPHEMERAL_KEY:
            case EPHEMERAL_KEY_AND_VALUE:
                return heap.ephemerons().getKey(p0, 0);
            case EPHEMERAL_VALUE:
                return heap.ephemerons().getData(p0);
            default:
                throw new AssertionError(weakness);
        }
    }

    /** The value of the cell, or NONE if it was emptied. */
    long value(Heap heap, long cell) {
        long p0 = heap.field(cell, TableLayout.PART0_FIELD);
        switch (weakness) {
            case NONE:
            case WEAK_KEY:
                return heap.field(cell, TableLayout.PART1_FIELD);
            case WEAK_VALUE:
                return heap.weak().get(heap.field(cell, TableLayout.PART1_FIELD), 0);
            case WEAK_KEY_AND_VALUE:
                return heap.weak().get(p0, 1);
            case EPHEMERAL_KEY:
            case EPHEMERAL_KEY_AND_VALUE:
                return heap.ephemerons().getData(p0);
            case EPHEMERAL_VALUE:
                return heap.ephemerons().getKey(p0, 0);
            default:
                throw new AssertionError(weakness);
        }
    }

    @Override
    long hash(Heap heap, Object hashed, int seed, RootStack r, int keyBase, int keyCount) {
        return ((SeededHashedType) hashed).seededHash(heap, seed, r.get(keyBase));
    }

    @Override
    GenHashTable.Equal equal(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount) {
        long cell = r.get(cellSlot);
        if (!alive(heap, hashed, cell)) {
            return GenHashTable.Equal.DEAD;
        }
        return ((SeededHashedType) hashed).equal(heap, r.get(keyBase), key(heap, cell))
                ? GenHashTable.Equal.TRUE : GenHashTable.Equal.FALSE;
    }

    @Override
    void create(Heap heap, Object hashed, RootStack r, int keyBase, int keyCount, int dataSlot, int out) {
        Weak weak = heap.weak();
        switch (weakness) {
            case NONE:
                r.set(out, r.get(keyBase));
                r.set(out + 1, r.get(dataSlot));
                return;
            case WEAK_KEY: {
                long w = weak.create(1);
                weak.set(w, 0, r.get(keyBase));
                r.set(out, w);
                r.set(out + 1, r.get(dataSlot));
                return;
            }
            case WEAK_VALUE: {
                long w = weak.create(1);
                weak.set(w, 0, r.get(dataSlot));
                r.set(out, r.get(keyBase));
                r.set(out + 1, w);
                return;
            }
            case WEAK_KEY_AND_VALUE: {
                long w = weak.create(2);
                weak.set(w, 0, r.get(keyBase));
                weak.set(w, 1, r.get(dataSlot));
                r.set(out, w);
                return;
            }
            case EPHEMERAL_KEY:
                r.set(out, heap.ephemerons().k1().make(r.get(keyBase), r.get(dataSlot)));
                return;
            case EPHEMERAL_VALUE:
                r.set(out, heap.ephemerons().k1().make(r.get(dataSlot), r.get(keyBase)));
                return;
            case EPHEMERAL_KEY_AND_VALUE:
                r.set(out, heap.ephemerons().k1().make(r.get(keyBase), r.get(dataSlot)));
                r.set(out + 1, heap.ephemerons().k1().make(r.get(dataSlot), r.get(keyBase)));
                return;
            default:
                throw new AssertionError(weakness);
        }
    }

    @Override
    void setKeyData(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount, int dataSlot) {
        long cell = r.get(cellSlot);
        long key = r.get(keyBase);
        long value = r.get(dataSlot);
        long p0 = heap.field(cell, TableLayout.PART0_FIELD);
        Weak weak = heap.weak();
        Ephemerons eph = heap.ephemerons();
        switch (weakness) {
            case NONE:
                heap.setField(cell, TableLayout.PART0_FIELD, key);
                heap.setField(cell, TableLayout.PART1_FIELD, value);
                return;
            case WEAK_KEY:
                weak.set(p0, 0, key);
                heap.setField(cell, TableLayout.PART1_FIELD, value);
                return;
            case WEAK_VALUE:
                heap.setField(cell, TableLayout.PART0_FIELD, key);
                weak.set(heap.field(cell, TableLayout.PART1_FIELD), 0, value);
                return;
            case WEAK_KEY_AND_VALUE:
                weak.set(p0, 0, key);
                weak.set(p0, 1, value);
                return;
            case EPHEMERAL_KEY:
                setEphemeron(eph, p0, key, value);
                return;
            case EPHEMERAL_VALUE:
                setEphemeron(eph, p0, value, key);
                return;
            case EPHEMERAL_KEY_AND_VALUE:
                setEphemeron(eph, p0, key, value);
                setEphemeron(eph, heap.field(cell, TableLayout.PART1_FIELD), value, key);
                return;
            default:
                throw new AssertionError(weakness);
        }
    }

    private static void setEphemeron(Ephemerons eph, long e, long key, long data) {
        eph.setKey(e, 0, key);
        eph.setData(e, data);
    }

    @Override
    void release(Heap heap, long cell) {
        if (weakness == Weakness.WEAK_KEY) {
            heap.setField(cell, TableLayout.PART1_FIELD, Value.NONE);
        } else if (weakness == Weakness.WEAK_VALUE) {
            heap.setField(cell, TableLayout.PART0_FIELD, Value.NONE);
        }
    }

    @Override
    boolean alive(Heap heap, Object hashed, long cell) {
        // the check accessors, which keep nothing alive while a cycle marks (key and value
        // read with get would: a table cleaned once a cycle would never lose a binding)
        if (weakness == Weakness.NONE) {
            return true;
        }
        Weak weak = heap.weak();
        Ephemerons eph = heap.ephemerons();
        long p0 = heap.field(cell, TableLayout.PART0_FIELD);
        switch (weakness) {
            case WEAK_KEY:
                return weak.check(p0, 0);
            case WEAK_VALUE:
                return weak.check(heap.field(cell, TableLayout.PART1_FIELD), 0);
            case WEAK_KEY_AND_VALUE:
                return weak.check(p0, 0) && weak.check(p0, 1);
            case EPHEMERAL_KEY:
            case EPHEMERAL_VALUE:
                return eph.checkKey(p0, 0) && eph.checkData(p0);
            case EPHEMERAL_KEY_AND_VALUE:
                return eph.checkKey(p0, 0) && eph.checkKey(heap.field(cell, TableLayout.PART1_FIELD), 0);
            default:
                throw new AssertionError(weakness);
        }
    }

    @Override
    long data(Heap heap, Object hashed, RootStack r, int cellSlot) {
        long cell = r.get(cellSlot);
        return alive(heap, hashed, cell) ? value(heap, cell) : Value.NONE;
    }

    @Override
    public int pushBinding(Heap heap, Object hashed, RootStack r, int cellSlot) {
        long cell = r.get(cellSlot);
        if (!alive(heap, hashed, cell)) {
            return -1;
        }
        r.push(key(heap, cell));
        r.push(value(heap, cell));
        return 1;
    }
}
