package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.Containers;
import dev.ephemera.tables.engine.ModificationGuard;
import dev.ephemera.tables.engine.Op;
import dev.ephemera.tables.engine.TableFields;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * A lazy walk over the live bindings of a table: OCaml's {@code to_seq}, {@code to_seq_keys}
 * and {@code to_seq_values} ({@code Seq.t}), as a cursor.
 *
 * <pre>{@code
 * try (TableCursor c = k1.toSeq(table)) {
 *     while (c.next()) {
 *         use(c.key(), c.data());      // raw values, valid until the next allocation
 *     }
 * }
 * }</pre>
 *
 * <p>The cursor keeps the table and its current binding alive in a root stack of its own, so
 * the client may allocate between steps. It is released when the walk ends; close it if you
 * stop early. Bindings whose keys die before the cursor reaches them are skipped. If the table
 * is modified after the cursor was created, the next step raises
 * {@link ConcurrentModificationException} (OCaml leaves this unspecified).
 */
public final class TableCursor implements AutoCloseable {
    private static final int TABLE_SLOT = 0;
    private static final int BUCKETS_SLOT = 1;
    private static final int CELL_SLOT = 2;
    private static final int BINDING_SLOT = 3;

    private final Heap heap;
    private final ChainedTable engine;
    private final Containers containers;
    private final Object hashed;
    private final Op op;
    private final long stamp;
    private final int bucketCount;
    private RootStack roots;
    private int bucket = -1;
    private int keyCount = -1;

    TableCursor(ChainedTable engine, Op op, int tSlot) {
        this.engine = engine;
        this.heap = engine.heap();
        this.op = op;
        engine.purge(op, tSlot);
        long t = engine.roots().get(tSlot);
        this.containers = Containers.of(TableFields.kind(heap, t));
        this.hashed = engine.hashed(t);
        this.stamp = engine.stamp(t);
        long buckets = TableFields.buckets(heap, t);
        this.bucketCount = heap.size(buckets);
        this.roots = heap.newRootStack();
        roots.push(t);
        roots.push(buckets);
        roots.push(Value.NONE);
    }

    /**
     * Moves to the next live binding; false at the end (the cursor is then closed).
     *
     * @return true if the cursor is on a binding, false at the end
     * @throws ConcurrentModificationException if the table was modified since the cursor was made
     */
    public boolean next() {
        if (roots == null) {
            return false;
        }
        long now = engine.stamp(roots.get(TABLE_SLOT));
        if (now != stamp) {
            close();
            throw new ConcurrentModificationException(op + ": the table was modified (by "
                    + ModificationGuard.lastModifier(now) + ") after the sequence was made");
        }
        roots.popTo(BINDING_SLOT);
        keyCount = -1;
        while (true) {
            long cell = roots.get(CELL_SLOT);
            cell = cell == Value.NONE ? Value.NONE : TableFields.next(heap, cell);
            while (cell == Value.NONE) {
                if (++bucket >= bucketCount) {
                    close();
                    return false;
                }
                cell = heap.field(roots.get(BUCKETS_SLOT), bucket);
            }
            roots.set(CELL_SLOT, cell);
            int keys = containers.pushBinding(heap, hashed, roots, CELL_SLOT);
            if (keys >= 0) {
                keyCount = keys;
                return true;
            }
        }
    }

    /** {@return the number of keys of the current binding (1 except for Kn tables)} */
    public int keyCount() {
        current("TableCursor.keyCount");
        return keyCount;
    }

    /**
     * {@return the (first) key of the current binding: a raw value, valid until the next
     * allocation}
     */
    public long key() {
        return key(0);
    }

    /**
     * {@return key {@code i} of the current binding}
     *
     * @param i the key's index, in [0, keyCount())
     */
    public long key(int i) {
        current("TableCursor.key");
        if (i < 0 || i >= keyCount) {
            throw new IndexOutOfBoundsException("TableCursor.key: key index " + i + " out of range [0, " + keyCount + ")");
        }
        return roots.get(BINDING_SLOT + i);
    }

    /** {@return the keys of the current binding} */
    public long[] keys() {
        current("TableCursor.keys");
        long[] keys = new long[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = roots.get(BINDING_SLOT + i);
        }
        return keys;
    }

    /** {@return the data of the current binding: a raw value, valid until the next allocation} */
    public long data() {
        current("TableCursor.data");
        return roots.get(BINDING_SLOT + keyCount);
    }

    /** {@return true until the walk has ended or the cursor was closed} */
    public boolean isOpen() {
        return roots != null;
    }

    /** Releases the cursor's roots. Closing twice is harmless. */
    @Override
    public void close() {
        if (roots != null) {
            RootStack r = roots;
            roots = null;
            keyCount = -1;
            r.close();
        }
    }

    private void current(String what) {
        if (roots == null || keyCount < 0) {
            throw new NoSuchElementException(what + ": no current binding (call next() first; the cursor "
                    + (roots == null ? "is closed" : "is before its first binding") + ")");
        }
    }
}
