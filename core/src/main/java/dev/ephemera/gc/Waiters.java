package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Header;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * Who waits for whom during weak processing: for each key (a block not yet reached in this
 * collection) the list of ephemerons that have it as a full key.
 *
 * <p>No hash table: the first time a key is waited on, its header is saved in {@link #saved}
 * at a fresh index {@code j}, and replaced by a <em>waited header</em> — the same colour bits,
 * the {@link Header#WAITED} bit, and {@code j} in the bits above ({@link Header#waitedHeader}).
 * Finding a key's waiters is then a header read, and the lists are built in parallel arrays
 * in the order keys are first waited on. When the tracer reaches a key with a waited header
 * it calls {@link #take}, which returns the original header (to be written back, marked) and
 * the head of the waiter list. At the end of weak processing {@link #restoreUnreached} writes
 * the original header back into every key that was never reached, so nothing outside the
 * collector ever sees a waited header.
 *
 * <p>Every (ephemeron, key) pair creates one node, visited once: time linear in the number of
 * such pairs, with sequential access to the side arrays.
 */
final class Waiters {
    private static final int TAKEN = -2;

    private final Arena arena;
    /** Original header of waited key j. */
    private long[] saved = new long[64];
    /** Address of the header of waited key j. */
    private long[] headerAddress = new long[64];
    /** First node of key j's waiter list, -1 if empty, {@link #TAKEN} once reached. */
    private int[] heads = new int[64];
    private int keyCount;

    private long[] nodeEphemeron = new long[64];
    private int[] nodeNext = new int[64];
    private int nodeCount;

    Waiters(Arena arena) {
        this.arena = arena;
    }

    /** Records that {@code ephemeron} waits for the block {@code key}, which is not yet reached. */
    void add(long key, long ephemeron) {
        long ha = Value.addressOf(key) - 1;
        long h = arena.read(ha);
        int j;
        if ((h & Header.WAITED) != 0) {
            j = Header.waitedIndex(h);
        } else {
            if (keyCount == saved.length) {
                int n = keyCount * 2;
                saved = Arrays.copyOf(saved, n);
                headerAddress = Arrays.copyOf(headerAddress, n);
                heads = Arrays.copyOf(heads, n);
            }
            j = keyCount++;
            saved[j] = h;
            headerAddress[j] = ha;
            heads[j] = -1;
            arena.write(ha, Header.waitedHeader(h, j));
        }
        if (nodeCount == nodeEphemeron.length) {
            nodeEphemeron = Arrays.copyOf(nodeEphemeron, nodeCount * 2);
            nodeNext = Arrays.copyOf(nodeNext, nodeCount * 2);
        }
        nodeEphemeron[nodeCount] = ephemeron;
        nodeNext[nodeCount] = heads[j];
        heads[j] = nodeCount++;
    }

    /** The original header behind the waited header {@code waitedHeader}. */
    long originalHeader(long waitedHeader) {
        return saved[Header.waitedIndex(waitedHeader)];
    }

    /**
     * The key with waited header {@code waitedHeader} has been reached: returns the first node
     * of its waiter list (walk it with {@link #ephemeron} and {@link #next}; -1 ends it). The
     * caller writes the original header back.
     */
    int take(long waitedHeader) {
        int j = Header.waitedIndex(waitedHeader);
        int head = heads[j];
        heads[j] = TAKEN;
        return head;
    }

    long ephemeron(int node) {
        return nodeEphemeron[node];
    }

    int next(int node) {
        return nodeNext[node];
    }

    /** Writes back the original header of every key that was waited on and never reached. */
    void restoreUnreached() {
        for (int j = 0; j < keyCount; j++) {
            if (heads[j] != TAKEN) {
                arena.write(headerAddress[j], saved[j]);
            }
        }
    }

    /**
     * Forgets everything; called once per collection, after {@link #restoreUnreached}. The
     * arrays keep their capacity (collections of a steady program need the same again) unless
     * it exceeds eight times what this collection used, when they shrink to twice that.
     */
    void clear() {
        if (saved.length > 4096 && saved.length > 8 * keyCount) {
            int n = Math.max(64, 2 * keyCount);
            saved = new long[n];
            headerAddress = new long[n];
            heads = new int[n];
        }
        if (nodeEphemeron.length > 4096 && nodeEphemeron.length > 8 * nodeCount) {
            int n = Math.max(64, 2 * nodeCount);
            nodeEphemeron = new long[n];
            nodeNext = new int[n];
        }
        keyCount = 0;
        nodeCount = 0;
    }
}
