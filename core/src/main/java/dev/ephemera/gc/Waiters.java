package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Who waits for whom during weak processing: for each key (a block not yet reached in this
 * collection) the list of ephemeron checks waiting for it. One instance per kind of collection:
 * the major cycle's waiting lasts across its slices, and a minor collection (with waiters of
 * its own, on young keys only) may run in between.
 *
 * <p>No hash table: the first time a key is waited on, its header is saved in {@link #saved}
 * at a fresh index {@code j} and replaced by a <em>waited header</em> ({@link
 * Header#waitedHeader}): the same size, colour and tag, the {@link Header#WAITED} bit, and
 * {@code j} where the identity hash was. Finding a key's waiters is then a header read; and
 * since size and tag are intact, the mutator can go on reading the header of a waited key
 * between slices (the identity hash it reads through {@link #savedHeader}). When the tracer
 * reaches a key with a waited header it calls {@link #take}, which returns the head of the
 * waiter list; the tracer writes the original header back ({@link #originalHeader}). A key
 * never reached is dead: its header keeps the W bit until the sweeper frees its cell, and
 * nothing else reads it.
 *
 * <p>Beyond {@code 2^22 - 1} keys in one collection the header has no room for the index;
 * those keys get {@link Header#WAITED_OVERFLOW} and are found by header address in an ordinary
 * map — slower, but only for the four-millionth waited key and beyond.
 *
 * <p>Every (check, key) pair creates one node, visited once: time linear in the number of such
 * pairs, with sequential access to the side arrays.
 */
final class Waiters {
    private static final int TAKEN = -2;

    private final Arena arena;
    /** Original header of waited key j (its identity hash kept up to date). */
    private long[] saved = new long[64];
    /** Address of the header of waited key j. */
    private long[] headerAddress = new long[64];
    /** First node of key j's waiter list, -1 if empty, {@link #TAKEN} once reached. */
    private int[] heads = new int[64];
    private int keyCount;
    /** Header address to key index, for keys whose waited header holds {@link Header#WAITED_OVERFLOW}. */
    private final Map<Long, Integer> overflow = new HashMap<>();

    /** Node n: what waits (an ephemeron, or a check record: the caller decides), and the next node. */
    private long[] nodeWaiter = new long[64];
    private int[] nodeNext = new int[64];
    private int nodeCount;
    /** The most keys and nodes in use at a {@link #clear} since the last {@link #trim}. */
    private int peakKeys;
    private int peakNodes;

    Waiters(Arena arena) {
        this.arena = arena;
    }

    /** Records that {@code waiter} waits for the block {@code key}, which is not yet reached. */
    void add(long key, long waiter) {
        long ha = Header.addressOf(Value.addressOf(key));
        long h = arena.read(ha);
        int j;
        if ((h & Header.WAITED) != 0) {
            j = indexOf(ha, h);
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
            int stored = j;
            if (j >= Header.WAITED_OVERFLOW) {
                stored = Header.WAITED_OVERFLOW;
                overflow.put(ha, j);
            }
            arena.write(ha, Header.waitedHeader(h, stored));
        }
        if (nodeCount == nodeWaiter.length) {
            nodeWaiter = Arrays.copyOf(nodeWaiter, nodeCount * 2);
            nodeNext = Arrays.copyOf(nodeNext, nodeCount * 2);
        }
        nodeWaiter[nodeCount] = waiter;
        nodeNext[nodeCount] = heads[j];
        heads[j] = nodeCount++;
    }

    private int indexOf(long headerAddress, long waitedHeader) {
        int j = Header.waitedIndex(waitedHeader);
        return j == Header.WAITED_OVERFLOW ? overflow.get(headerAddress) : j;
    }

    /**
     * The original header of the key whose header, at {@code headerAddress}, is the waited
     * header {@code waitedHeader}, with the colour bits of the waited header (the colour is
     * the one part the collector may change while a key is waited).
     */
    long originalHeader(long headerAddress, long waitedHeader) {
        long original = saved[indexOf(headerAddress, waitedHeader)];
        return (original & ~Header.COLOUR_MASK) | (waitedHeader & Header.COLOUR_MASK);
    }

    /** The saved header of a waited key: where its identity hash lives while it is waited. */
    long savedHeader(long headerAddress, long waitedHeader) {
        return saved[indexOf(headerAddress, waitedHeader)];
    }

    /** Stores a new identity hash for a waited key (written back with the header when reached). */
    void setSavedHash(long headerAddress, long waitedHeader, int hash) {
        int j = indexOf(headerAddress, waitedHeader);
        saved[j] = Header.withHash(saved[j], hash);
    }

    /**
     * The key whose header, at {@code headerAddress}, is the waited header {@code waitedHeader}
     * has been reached: returns the first node of its waiter list (walk it with {@link
     * #waiter} and {@link #next}; -1 ends it). The caller writes the original header back.
     */
    int take(long headerAddress, long waitedHeader) {
        int j = indexOf(headerAddress, waitedHeader);
        int head = heads[j];
        heads[j] = TAKEN;
        return head;
    }

    long waiter(int node) {
        return nodeWaiter[node];
    }

    int next(int node) {
        return nodeNext[node];
    }

    /**
     * Forgets everything; called when no key can be reached any more (the end of a minor
     * collection's ephemeron rule, of a cycle's marking). Keys never reached keep their waited
     * headers: they are dead, and their cells are freed by the sweeper (major) or die with the
     * nursery (minor). The arrays keep their capacity: {@link #trim}, once a major cycle, gives
     * back what the last cycle did not need.
     */
    void clear() {
        peakKeys = Math.max(peakKeys, keyCount);
        peakNodes = Math.max(peakNodes, nodeCount);
        overflow.clear();
        keyCount = 0;
        nodeCount = 0;
    }

    /**
     * Called as a major cycle starts (nothing is waited): shrinks the arrays to twice what the
     * last cycle, and the minor collections since, used at most, if that is under an eighth of
     * them. Judged once a cycle, not at every {@link #clear}: a minor collection's few waiters
     * made the arrays shrink after every cycle and grow again, by doubling, in the next.
     */
    void trim() {
        int n = LongStack.trimmedLength(saved.length, peakKeys, 64);
        if (n != saved.length) {
            saved = new long[n];
            headerAddress = new long[n];
            heads = new int[n];
        }
        int nodes = LongStack.trimmedLength(nodeWaiter.length, peakNodes, 64);
        if (nodes != nodeWaiter.length) {
            nodeWaiter = new long[nodes];
            nodeNext = new int[nodes];
        }
        peakKeys = 0;
        peakNodes = 0;
    }
}
