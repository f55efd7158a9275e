package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.Op;
import java.util.NoSuchElementException;

/**
 * The key-dependent functions of the {@code S}/{@code SeededS} signature for tables with one
 * key per binding: {@link K1Table}, {@link GenHashTable} and {@link Hashtables}.
 */
abstract class SingleKeyModule extends TableModule {
    SingleKeyModule(Heap heap, String module, int kind, int kindMask, Object hashed, boolean seeded) {
        super(heap, module, kind, kindMask, hashed, seeded);
    }

    /**
     * {@code add t k d}: adds a binding, hiding (not removing) any previous binding of {@code k}.
     *
     * @param t a table of this module
     * @param key the key
     * @param data the data
     */
    public void add(long t, long key, long data) {
        insert1(opAdd, t, key, data, false);
    }

    /**
     * {@code replace t k d}: replaces the most recent binding of {@code k} in place (its
     * ephemeron gets the new key and data), or adds one.
     *
     * @param t a table of this module
     * @param key the key
     * @param data the data
     */
    public void replace(long t, long key, long data) {
        insert1(opReplace, t, key, data, true);
    }

    /**
     * {@code remove t k}: removes the most recent binding of {@code k}, if any.
     *
     * @param t a table of this module
     * @param key the key
     */
    public void remove(long t, long key) {
        removeKeys(opRemove, t, 1, key, Value.NONE);
    }

    /**
     * {@code find t k}: the data of the most recent live binding of {@code k}.
     *
     * @param t a table of this module
     * @param key the key
     * @return the data (raw)
     * @throws NoSuchElementException if there is none (OCaml's {@code Not_found})
     */
    public long find(long t, long key) {
        long d = lookup1(opFind, t, key, ChainedTable.Lookup.FIRST_DATA);
        if (d == Value.NONE) {
            throw new NoSuchElementException(opFind + ": no binding for " + Value.describe(key) + " (Not_found)");
        }
        return d;
    }

    /**
     * {@code find_opt t k}: the data of the most recent live binding of {@code k}, or NONE.
     *
     * @param t a table of this module
     * @param key the key
     * @return the data (raw), or NONE
     */
    public long findOpt(long t, long key) {
        return lookup1(opFindOpt, t, key, ChainedTable.Lookup.FIRST_DATA);
    }

    /**
     * {@code find_all t k}: the data of every live binding of {@code k}, most recent first.
     *
     * @param t a table of this module
     * @param key the key
     * @return the data of each binding (raw)
     */
    public long[] findAll(long t, long key) {
        return lookupAll(opFindAll, t, new long[] {key}, 1);
    }

    /**
     * {@code mem t k}: true if {@code k} has a binding whose key is alive.
     *
     * @param t a table of this module
     * @param key the key
     * @return true if {@code key} has a live binding
     */
    public boolean mem(long t, long key) {
        return lookup1(opMem, t, key, ChainedTable.Lookup.MEMBERSHIP) == Value.TRUE;
    }

    /**
     * {@code iter f t}: calls {@code f} on every live binding.
     *
     * @param t a table of this module
     * @param f the function called with each key and data
     */
    public void iter(long t, Bindings.Visitor f) {
        iter(t, f, opIter);
    }

    final void iter(long t, Bindings.Visitor f, Op op) {
        requireFunction(op, f);
        iterate(op, t, (k, n) -> f.visit(roots.get(k), roots.get(k + 1)));
    }

    /**
     * {@code fold f t init}, with a Java accumulator.
     *
     * @param <A> the accumulator's type
     * @param t a table of this module
     * @param f the function from a binding and the accumulator to the next accumulator
     * @param init the first accumulator
     * @return the last accumulator
     */
    public <A> A fold(long t, Bindings.Folder<A> f, A init) {
        return fold(t, f, init, opFold);
    }

    final <A> A fold(long t, Bindings.Folder<A> f, A init, Op op) {
        requireFunction(op, f);
        Object[] acc = {init};
        iterate(op, t, (k, n) -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = f.fold(roots.get(k), roots.get(k + 1), a);
        });
        @SuppressWarnings("unchecked")
        A result = (A) acc[0];
        return result;
    }

    /**
     * {@code fold f t init}, with a heap value as accumulator (rooted between calls).
     *
     * @param t a table of this module
     * @param f the function from a binding and the accumulator to the next accumulator
     * @param init the first accumulator, a heap value
     * @return the last accumulator (raw)
     */
    public long foldValue(long t, Bindings.ValueFolder f, long init) {
        return foldValue(t, f, init, opFold);
    }

    final long foldValue(long t, Bindings.ValueFolder f, long init, Op op) {
        requireFunction(op, f);
        int mark = roots.mark();
        try {
            int acc = roots.push(init);
            iterate(op, t, (k, n) -> roots.set(acc, f.fold(roots.get(k), roots.get(k + 1), roots.get(acc))));
            return roots.get(acc);
        } finally {
            roots.popTo(mark);
        }
    }

    /**
     * {@code filter_map_inplace f t}: new data for each binding, or NONE to remove it.
     *
     * @param t a table of this module
     * @param f the function giving each binding's new data, or NONE to remove it
     */
    public void filterMapInplace(long t, Bindings.Mapper f) {
        filterMapInplace(t, f, opFilterMapInplace);
    }

    final void filterMapInplace(long t, Bindings.Mapper f, Op op) {
        requireFunction(op, f);
        filterMap(op, t, (k, n) -> f.map(roots.get(k), roots.get(k + 1)));
    }
}
