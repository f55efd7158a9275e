package dev.ephemera.tables;

import dev.ephemera.Heap;

/**
 * The argument of {@code Ephemeron.GenHashTable.MakeSeeded} (OCaml 4.14): a key type with a
 * seeded hash, and a <em>container</em> type holding keys and data — typically an ephemeron —
 * whose equality with a key answers {@linkplain GenHashTable.Equal three ways}: equal, not
 * equal, or dead (the container's keys were collected).
 *
 * <p>The functions receive raw values, valid until the next allocation. {@link #create} may
 * allocate: like {@link Heap#alloc} it must root its arguments itself if it allocates more than
 * once. Every function may run client code, but must not modify the table it is called for.
 */
public interface GenHashedType {
    /** {@code H.hash seed key} ({@code seeded_hash}). */
    int seededHash(Heap heap, int seed, long key);

    /** {@code H.equal container key}: {@link GenHashTable.Equal#DEAD} if the container's keys are dead. */
    GenHashTable.Equal equal(Heap heap, long container, long key);

    /** {@code H.create key data}: a new container. */
    long create(Heap heap, long key, long data);

    /** {@code H.get_key}: the key, or {@link dev.ephemera.object.Value#NONE} if some key is dead. */
    long getKey(Heap heap, long container);

    /** {@code H.get_data}: the data, or {@link dev.ephemera.object.Value#NONE}. */
    long getData(Heap heap, long container);

    /** {@code H.set_key_data}: stores a key and data in an existing container. */
    void setKeyData(Heap heap, long container, long key, long data);

    /** {@code H.check_key}: true if all the container's keys are alive. */
    boolean checkKey(Heap heap, long container);
}
