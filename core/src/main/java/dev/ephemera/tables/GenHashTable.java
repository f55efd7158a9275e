package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.tables.layout.TableLayout;

/**
 * OCaml 4.14's {@code Ephemeron.GenHashTable}: hash tables over containers of the client's
 * making. {@link #makeSeeded} is {@code GenHashTable.MakeSeeded (H)}; the result has the whole
 * {@code SeededS} signature with one key per binding (as {@link K1Table}, which is this functor
 * applied to K1 ephemerons).
 *
 * <p>The container's equality answers three ways ({@link Equal}): a {@link Equal#DEAD}
 * container is never found, is skipped by iterations, and is unlinked by {@code remove} (when
 * met with the key's hash), {@code clean}, resizing and the purges described in
 * {@code engine.ChainedTable}. Containers are created with {@code H.create} and refilled in place by
 * {@code replace} ({@code H.set_key_data}); they are never recycled for another key.
 */
public final class GenHashTable extends SingleKeyModule {
    /** OCaml's {@code GenHashTable.equal}: the answer of a container's equality with a key. */
    public enum Equal {
        /** {@code ETrue}: the container's keys are alive and equal to the key. */
        TRUE,
        /** {@code EFalse}: the container's keys are alive and not equal to the key. */
        FALSE,
        /** {@code EDead}: some key of the container was collected. */
        DEAD
    }

    private GenHashTable(Heap heap, GenHashedType h) {
        super(heap, "Ephemeron.GenHashTable", TableLayout.KIND_GENERIC, 1 << TableLayout.KIND_GENERIC, h, true);
    }

    /**
     * {@code Ephemeron.GenHashTable.MakeSeeded (H)}.
     *
     * @param heap the heap the tables live in
     * @param h the hashed type: the keys' hash and equality, and the containers
     * @return the table module
     */
    public static GenHashTable makeSeeded(Heap heap, GenHashedType h) {
        if (h == null) {
            throw new IllegalArgumentException("Ephemeron.GenHashTable.MakeSeeded: the hashed type is null");
        }
        return new GenHashTable(heap, h);
    }
}
