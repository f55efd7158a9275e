package dev.ephemera.gc;

import java.util.Arrays;

/**
 * Who waits for whom during weak processing: a multimap from a key (a block not yet reached in
 * this collection) to the ephemerons that have it as a full key. An open-addressing hash table
 * from key to the head of a singly linked list of nodes, nodes stored in parallel arrays.
 *
 * <p>Each key is added with {@link #add} any number of times but {@linkplain #take taken} at most
 * once, when it is reached (the caller clears the key's {@code WAITED} header bit then), so
 * every node is created once and visited once: the whole structure costs time linear in the
 * number of (ephemeron, unreached key) pairs.
 */
final class Waiters {
    private static final int EMPTY_NODE = -1;

    private long[] keys = new long[64];
    private int[] heads = new int[64];
    private int mask = 63;
    private int keyCount;

    private long[] nodeEphemeron = new long[64];
    private int[] nodeNext = new int[64];
    private int nodeCount;

    /** Records that {@code ephemeron} waits for {@code key} ({@code key} is never 0). */
    void add(long key, long ephemeron) {
        if ((keyCount + 1) * 2 > keys.length) {
            grow();
        }
        int i = indexFor(key);
        while (keys[i] != 0L && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0L) {
            keys[i] = key;
            heads[i] = EMPTY_NODE;
            keyCount++;
        }
        if (nodeCount == nodeEphemeron.length) {
            nodeEphemeron = Arrays.copyOf(nodeEphemeron, nodeCount * 2);
            nodeNext = Arrays.copyOf(nodeNext, nodeCount * 2);
        }
        nodeEphemeron[nodeCount] = ephemeron;
        nodeNext[nodeCount] = heads[i];
        heads[i] = nodeCount++;
    }

    /**
     * Removes the waiters of {@code key} and returns the first node of their list ({@code -1}
     * if none); walk it with {@link #ephemeron} and {@link #next}.
     */
    int take(long key) {
        int i = indexFor(key);
        while (keys[i] != 0L) {
            if (keys[i] == key) {
                int head = heads[i];
                heads[i] = EMPTY_NODE;
                return head;
            }
            i = (i + 1) & mask;
        }
        return EMPTY_NODE;
    }

    long ephemeron(int node) {
        return nodeEphemeron[node];
    }

    int next(int node) {
        return nodeNext[node];
    }

    boolean isEmpty() {
        return keyCount == 0;
    }

    /** Forgets everything; called once per collection. */
    void clear() {
        if (keyCount > 0) {
            if (keys.length > 4096 && keyCount * 8 < keys.length) {
                keys = new long[64];
                heads = new int[64];
                mask = 63;
            } else {
                Arrays.fill(keys, 0L);
            }
        }
        keyCount = 0;
        nodeCount = 0;
        if (nodeEphemeron.length > 4096) {
            nodeEphemeron = new long[64];
            nodeNext = new int[64];
        }
    }

    private int indexFor(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldHeads = heads;
        keys = new long[oldKeys.length * 2];
        heads = new int[oldKeys.length * 2];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != 0L) {
                int i = indexFor(k);
                while (keys[i] != 0L) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                heads[i] = oldHeads[j];
            }
        }
    }
}
