package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.Op;
import dev.ephemera.tables.layout.TableLayout;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Ephemeron hash tables with any number of keys per binding, all of one hashed type: OCaml's
 * {@code Ephemeron.Kn.Make (H)} and {@code Kn.MakeSeeded (H)}, key type {@code H.t array}
 * (passed here as a Java array of raw values). A binding is an ephemeron with all the keys; it
 * disappears when any of them dies. Keys of different lengths are never equal. The hash is
 * OCaml's: {@code h := H.hash seed k.(i) * 65599 + h} for each key in order. Otherwise as
 * {@link K1Table}.
 */
public final class KnTable extends TableModule {
    private KnTable(Heap heap, SeededHashedType hashed, boolean seeded) {
        super(heap, "Ephemeron.Kn", TableLayout.KIND_KN, 1 << TableLayout.KIND_KN, hashed, seeded);
    }

    /**
     * {@code Ephemeron.Kn.Make (H)}.
     *
     * @param heap the heap the tables live in
     * @param h the keys' hash and equality
     * @return the table module
     */
    public static KnTable make(Heap heap, HashedType h) {
        if (h == null) {
            throw new IllegalArgumentException("Ephemeron.Kn.Make: the hashed type is null");
        }
        return new KnTable(heap, SeededHashedType.ignoringSeed(h), false);
    }

    /**
     * {@code Ephemeron.Kn.MakeSeeded (H)}.
     *
     * @param heap the heap the tables live in
     * @param h the keys' seeded hash and equality
     * @return the table module
     */
    public static KnTable makeSeeded(Heap heap, SeededHashedType h) {
        return new KnTable(heap, h, true);
    }

    private long[] keys(Op op, long[] keys) {
        if (keys == null) {
            throw new IllegalArgumentException(op + ": the key array is null");
        }
        return keys;
    }

    /**
     * {@code add t keys d}.
     *
     * @param t a table of this module
     * @param keys the keys
     * @param data the data
     */
    public void add(long t, long[] keys, long data) {
        insert(opAdd, t, keys(opAdd, keys), keys.length, data, false);
    }

    /**
     * {@code replace t keys d}.
     *
     * @param t a table of this module
     * @param keys the keys
     * @param data the data
     */
    public void replace(long t, long[] keys, long data) {
        insert(opReplace, t, keys(opReplace, keys), keys.length, data, true);
    }

    /**
     * {@code remove t keys}.
     *
     * @param t a table of this module
     * @param keys the keys
     */
    public void remove(long t, long[] keys) {
        remove1(opRemove, t, keys(opRemove, keys), keys.length);
    }

    /**
     * {@code find t keys}.
     *
     * @param t a table of this module
     * @param keys the keys
     * @return the data of the most recent live binding of the keys (raw)
     * @throws NoSuchElementException if there is no live binding ({@code Not_found})
     */
    public long find(long t, long[] keys) {
        long d = lookup(opFind, t, keys(opFind, keys), keys.length, ChainedTable.Lookup.FIRST_DATA);
        if (d == Value.NONE) {
            throw new NoSuchElementException(opFind + ": no binding for " + Arrays.toString(keys) + " (Not_found)");
        }
        return d;
    }

    /**
     * {@code find_opt t keys}: the data, or NONE.
     *
     * @param t a table of this module
     * @param keys the keys
     * @return the data, or NONE if the keys have no live binding
     */
    public long findOpt(long t, long[] keys) {
        return lookup(opFindOpt, t, keys(opFindOpt, keys), keys.length, ChainedTable.Lookup.FIRST_DATA);
    }

    /**
     * {@code find_all t keys}: most recent first.
     *
     * @param t a table of this module
     * @param keys the keys
     * @return the data of every live binding of the keys (raw)
     */
    public long[] findAll(long t, long[] keys) {
        return lookupAll(opFindAll, t, keys(opFindAll, keys), keys.length);
    }

    /**
     * {@code mem t keys}.
     *
     * @param t a table of this module
     * @param keys the keys
     * @return true if the keys have a live binding
     */
    public boolean mem(long t, long[] keys) {
        return lookup(opMem, t, keys(opMem, keys), keys.length, ChainedTable.Lookup.MEMBERSHIP) == Value.TRUE;
    }

    /**
     * {@code iter f t}: {@code f} gets a fresh array of keys per binding.
     *
     * @param t a table of this module
     * @param f the function called with each live binding
     */
    public void iter(long t, Bindings.VisitorN f) {
        requireFunction(opIter, f);
        iterate(opIter, t, (k, n) -> f.visit(keysAt(k, n), roots.get(k + n)));
    }

    /**
     * {@code fold f t init}.
     *
     * @param <A> the accumulator's type
     * @param t a table of this module
     * @param f the function from a binding and the accumulator to the next accumulator
     * @param init the first accumulator
     * @return the last accumulator
     */
    public <A> A fold(long t, Bindings.FolderN<A> f, A init) {
        requireFunction(opFold, f);
        Object[] acc = {init};
        iterate(opFold, t, (k, n) -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = f.fold(keysAt(k, n), roots.get(k + n), a);
        });
        @SuppressWarnings("unchecked")
        A result = (A) acc[0];
        return result;
    }

    /**
     * {@code filter_map_inplace f t}.
     *
     * @param t a table of this module
     * @param f the function giving each binding's new data, or NONE to remove it
     */
    public void filterMapInplace(long t, Bindings.MapperN f) {
        requireFunction(opFilterMapInplace, f);
        filterMap(opFilterMapInplace, t, (k, n) -> f.map(keysAt(k, n), roots.get(k + n)));
    }
}
