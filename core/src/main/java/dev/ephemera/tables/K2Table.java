package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.ChainedTable;
import dev.ephemera.tables.engine.HashedPair;
import dev.ephemera.tables.layout.TableLayout;
import java.util.NoSuchElementException;

/**
 * Ephemeron hash tables with two keys per binding: OCaml's {@code Ephemeron.K2.Make (H1) (H2)}
 * and {@code K2.MakeSeeded (H1) (H2)}, key type {@code H1.t * H2.t} (passed here as two
 * arguments). A binding is an ephemeron with both keys: its data is kept alive only while both
 * keys are, and it disappears when either dies. The hash is
 * {@code H1.hash seed k1 + H2.hash seed k2 * 65599}, as in OCaml. Otherwise as {@link K1Table}.
 */
public final class K2Table extends TableModule {
    private K2Table(Heap heap, HashedPair hashed, boolean seeded) {
        super(heap, "Ephemeron.K2", TableLayout.KIND_K2, 1 << TableLayout.KIND_K2, hashed, seeded);
    }

    /**
     * {@code Ephemeron.K2.Make (H1) (H2)}.
     *
     * @param heap the heap the tables live in
     * @param h1 the first keys' hash and equality
     * @param h2 the second keys' hash and equality
     * @return the table module
     */
    public static K2Table make(Heap heap, HashedType h1, HashedType h2) {
        if (h1 == null || h2 == null) {
            throw new IllegalArgumentException("Ephemeron.K2.Make: a hashed type is null");
        }
        return new K2Table(heap, new HashedPair(SeededHashedType.ignoringSeed(h1), SeededHashedType.ignoringSeed(h2)), false);
    }

    /**
     * {@code Ephemeron.K2.MakeSeeded (H1) (H2)}.
     *
     * @param heap the heap the tables live in
     * @param h1 the first keys' seeded hash and equality
     * @param h2 the second keys' seeded hash and equality
     * @return the table module
     */
    public static K2Table makeSeeded(Heap heap, SeededHashedType h1, SeededHashedType h2) {
        if (h1 == null || h2 == null) {
            throw new IllegalArgumentException("Ephemeron.K2.MakeSeeded: a hashed type is null");
        }
        return new K2Table(heap, new HashedPair(h1, h2), true);
    }

    /**
     * {@code add t (k1, k2) d}.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @param data the data
     */
    public void add(long t, long key1, long key2, long data) {
        insertKeys(opAdd, t, 2, key1, key2, data, false);
    }

    /**
     * {@code replace t (k1, k2) d}.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @param data the data
     */
    public void replace(long t, long key1, long key2, long data) {
        insertKeys(opReplace, t, 2, key1, key2, data, true);
    }

    /**
     * {@code remove t (k1, k2)}.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     */
    public void remove(long t, long key1, long key2) {
        removeKeys(opRemove, t, 2, key1, key2);
    }

    /**
     * {@code find t (k1, k2)}.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @return the data of the most recent live binding of the keys (raw)
     * @throws NoSuchElementException if there is no live binding ({@code Not_found})
     */
    public long find(long t, long key1, long key2) {
        long d = lookupKeys(opFind, t, 2, key1, key2, ChainedTable.Lookup.FIRST_DATA);
        if (d == Value.NONE) {
            throw new NoSuchElementException(opFind + ": no binding for (" + Value.describe(key1) + ", "
                    + Value.describe(key2) + ") (Not_found)");
        }
        return d;
    }

    /**
     * {@code find_opt t (k1, k2)}: the data, or NONE.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @return the data, or NONE if the keys have no live binding
     */
    public long findOpt(long t, long key1, long key2) {
        return lookupKeys(opFindOpt, t, 2, key1, key2, ChainedTable.Lookup.FIRST_DATA);
    }

    /**
     * {@code find_all t (k1, k2)}: most recent first.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @return the data of every live binding of the keys (raw)
     */
    public long[] findAll(long t, long key1, long key2) {
        return lookupAll(opFindAll, t, new long[] {key1, key2}, 2);
    }

    /**
     * {@code mem t (k1, k2)}.
     *
     * @param t a table of this module
     * @param key1 the first key
     * @param key2 the second key
     * @return true if the keys have a live binding
     */
    public boolean mem(long t, long key1, long key2) {
        return lookupKeys(opMem, t, 2, key1, key2, ChainedTable.Lookup.MEMBERSHIP) == Value.TRUE;
    }

    /**
     * {@code iter f t}.
     *
     * @param t a table of this module
     * @param f the function called with each live binding
     */
    public void iter(long t, Bindings.Visitor2 f) {
        requireFunction(opIter, f);
        iterate(opIter, t, (k, n) -> f.visit(roots.get(k), roots.get(k + 1), roots.get(k + 2)));
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
    public <A> A fold(long t, Bindings.Folder2<A> f, A init) {
        requireFunction(opFold, f);
        Object[] acc = {init};
        iterate(opFold, t, (k, n) -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = f.fold(roots.get(k), roots.get(k + 1), roots.get(k + 2), a);
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
    public void filterMapInplace(long t, Bindings.Mapper2 f) {
        requireFunction(opFilterMapInplace, f);
        filterMap(opFilterMapInplace, t, (k, n) -> f.map(roots.get(k), roots.get(k + 1), roots.get(k + 2)));
    }
}
