package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.GenHashTable;
import dev.ephemera.tables.GenHashedType;
import dev.ephemera.tables.layout.TableLayout;

/**
 * The containers of a {@link GenHashTable}: whatever the client's {@link GenHashedType} makes,
 * in part 0 of the cell, operated on only through its functions. They are never recycled: the
 * client may hold on to its containers.
 */
final class GenericContainers extends Containers {
    static final GenericContainers INSTANCE = new GenericContainers();

    private GenericContainers() {
        super(1, false);
    }

    @Override
    public int arity() {
        return 1;
    }

    private static long container(Heap heap, long cell) {
        return heap.field(cell, TableLayout.PART0_FIELD);
    }

    @Override
    long hash(Heap heap, Object hashed, int seed, RootStack r, int keyBase, int keyCount) {
        return ((GenHashedType) hashed).seededHash(heap, seed, r.get(keyBase));
    }

    @Override
    GenHashTable.Equal equal(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount) {
        GenHashTable.Equal e = ((GenHashedType) hashed).equal(heap, container(heap, r.get(cellSlot)), r.get(keyBase));
        if (e == null) {
            throw new NullPointerException("Ephemeron.GenHashTable: the hashed type's equal returned null");
        }
        return e;
    }

    @Override
    void create(Heap heap, Object hashed, RootStack r, int keyBase, int keyCount, int dataSlot, int out) {
        long c = ((GenHashedType) hashed).create(heap, r.get(keyBase), r.get(dataSlot));
        if (c == Value.NONE) {
            throw new IllegalStateException("Ephemeron.GenHashTable: the hashed type's create returned none");
        }
        r.set(out, c);
    }

    @Override
    void setKeyData(Heap heap, Object hashed, RootStack r, int cellSlot, int keyBase, int keyCount, int dataSlot) {
        ((GenHashedType) hashed).setKeyData(heap, container(heap, r.get(cellSlot)), r.get(keyBase), r.get(dataSlot));
    }

    @Override
    boolean alive(Heap heap, Object hashed, long cell) {
        return ((GenHashedType) hashed).checkKey(heap, container(heap, cell));
    }

    @Override
    public int pushBinding(Heap heap, Object hashed, RootStack r, int cellSlot) {
        GenHashedType h = (GenHashedType) hashed;
        long k = h.getKey(heap, container(heap, r.get(cellSlot)));
        if (k == Value.NONE) {
            return -1;
        }
        int keySlot = r.push(k);
        long d = h.getData(heap, container(heap, r.get(cellSlot)));
        if (d == Value.NONE) {
            r.popTo(keySlot);
            return -1;
        }
        r.push(d);
        return 1;
    }
}
