package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.TableLayout;

/**
 * Ephemeron hash tables with one key per binding: OCaml's {@code Ephemeron.K1.Make (H)}
 * ({@link #make}) and {@code Ephemeron.K1.MakeSeeded (H)} ({@link #makeSeeded}), the whole
 * {@code S}/{@code SeededS} signature of OCaml 4.14 (OCaml 5 keeps the same names, minus
 * {@code iter}, {@code fold}, {@code filter_map_inplace} and {@code to_seq*}).
 *
 * <p>Each binding is an ephemeron keyed by the key, with the data as its data: the table keeps
 * the data alive only while the key is alive, and a data that refers to its own key does not
 * keep it alive. After a collection, bindings whose keys died are never found, iterated or
 * counted by {@link #liveLength}; {@link #length} stays OCaml's upper bound. See
 * {@code engine.ChainedTable} for the design and {@code docs/tables.md} for the OCaml → Java mapping.
 *
 * <pre>{@code
 * K1Table memo = K1Table.make(heap, HashedTypes.equal());      // Ephemeron.K1.Make (H)
 * try (GlobalRoot table = heap.newGlobalRoot(memo.create(16))) {
 *     memo.replace(table.get(), key, data);
 *     long d = memo.findOpt(table.get(), key);                    // NONE if absent
 * }
 * }</pre>
 *
 * <p>Tables are heap values: {@code create} returns a raw pointer, valid until the next
 * allocation; keep it in a root. Keys and data may not be {@link Value#NONE}. Errors name the
 * OCaml function ({@code "Ephemeron.K1.replace: ..."}).
 */
public final class K1Table extends SingleKeyModule {
    private K1Table(Heap heap, Object hashed, boolean seeded) {
        super(heap, "Ephemeron.K1", TableLayout.KIND_K1, 1 << TableLayout.KIND_K1, hashed, seeded);
    }

    /**
     * {@return {@code Ephemeron.K1.Make (H)}: tables hashed with {@code h}, never randomised}
     *
     * @param heap the heap the tables live in
     * @param h the keys' hash and equality
     */
    public static K1Table make(Heap heap, HashedType h) {
        if (h == null) {
            throw new IllegalArgumentException("Ephemeron.K1.Make: the hashed type is null");
        }
        return new K1Table(heap, SeededHashedType.ignoringSeed(h), false);
    }

    /**
     * {@code Ephemeron.K1.MakeSeeded (H)}.
     *
     * @param heap the heap the tables live in
     * @param h the keys' seeded hash and equality
     * @return the table module
     */
    public static K1Table makeSeeded(Heap heap, SeededHashedType h) {
        return new K1Table(heap, h, true);
    }
}
