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
    /**
     * {@code H.hash seed key} ({@code seeded_hash}).
     *
     * @param heap the heap the key lives in
     * @param seed the table's seed
     * @param key the key (raw)
     * @return the key's hash, consistent with {@link #equal}
     */
    int seededHash(Heap heap, int seed, long key);

    /**
     * {@code H.equal container key}: {@link GenHashTable.Equal#DEAD} if the container's keys are
     * dead.
     *
     * @param heap the heap the values live in
     * @param container a container this type made
     * @param key the key to compare with the container's (raw)
     * @return whether the container holds {@code key}, does not, or has a dead key
     */
    GenHashTable.Equal equal(Heap heap, long container, long key);

    /**
     * {@code H.create key data}: a new container.
     *
     * @param heap the heap to allocate the container in
     * @param key the key (raw; rooted by the caller across the allocation)
     * @param data the data (raw; rooted by the caller across the allocation)
     * @return the new container (raw)
     */
    long create(Heap heap, long key, long data);

    /**
     * {@code H.get_key}: the key, or {@link dev.ephemera.object.Value#NONE} if some key is dead.
     *
     * @param heap the heap the container lives in
     * @param container a container this type made
     * @return the key, or {@link dev.ephemera.object.Value#NONE} if some key is dead
     */
    long getKey(Heap heap, long container);

    /**
     * {@code H.get_data}: the data, or {@link dev.ephemera.object.Value#NONE}.
     *
     * @param heap the heap the container lives in
     * @param container a container this type made
     * @return the data, or {@link dev.ephemera.object.Value#NONE}
     */
    long getData(Heap heap, long container);

    /**
     * {@code H.set_key_data}: stores a key and data in an existing container.
     *
     * @param heap the heap the container lives in
     * @param container a container this type made
     * @param key the new key (raw)
     * @param data the new data (raw)
     */
    void setKeyData(Heap heap, long container, long key, long data);

    /**
     * {@code H.check_key}: true if all the container's keys are alive.
     *
     * @param heap the heap the container lives in
     * @param container a container this type made
     * @return true if all the container's keys are alive
     */
    boolean checkKey(Heap heap, long container);
}
