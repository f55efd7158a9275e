package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.DoubleLayout;
import dev.ephemera.tables.hash.HashMix;
import dev.ephemera.tables.layout.OcamlFormats;
import java.util.Arrays;

/**
 * OCaml 4.13's structural hash ({@code runtime/hash.c}, {@code caml_hash}) over heap values:
 * the same numbers as {@code Hashtbl.hash}, {@code Hashtbl.seeded_hash},
 * {@code Hashtbl.hash_param} and {@code Hashtbl.seeded_hash_param} give for the same data.
 *
 * <p>The value is walked breadth-first through a bounded queue. {@code meaningful} limits the
 * number of "meaningful" values mixed (immediates, strings, doubles, each element of a double
 * array, object ids); {@code total} limits the number of queue insertions (root included, at
 * most 256). Each ordinary block mixes its header {@code (size << 10) | tag} for free, then
 * enqueues its fields. The mixing is MurmurHash3's 32-bit step and its final mix; the result
 * is a non-negative 30-bit number.
 *
 * <p>How heap values map to OCaml's cases: an immediate is mixed as its tagged word (our
 * encoding is OCaml's); {@link Value#NONE} is mixed as an out-of-heap pointer with address 0;
 * {@link Tag#EPHEMERON} blocks are OCaml's {@code Abstract_tag} (nothing mixed, not counted);
 * {@link Tag#CUSTOM} blocks, foreign boxes included, are custom blocks without a hash function
 * (nothing mixed, not counted); {@link Tag#FORWARD} chains are followed up to 1000 links;
 * {@link Tag#OBJECT} blocks mix their object id (field 1, untagged). Nothing allocates, and
 * since no address is ever mixed, a value hashes the same before and after it moves.
 *
 * <p>The algorithm is written down in {@code bench/peers/README.md} and checked against the
 * vectors of {@code core/src/test/resources/ocaml-hash-vectors.tsv}, produced by OCaml 4.13.1.
 */
public final class OcamlHash {
    /** {@code Hashtbl.hash}'s limit on meaningful values. */
    public static final int DEFAULT_MEANINGFUL = 10;
    /** {@code Hashtbl.hash}'s limit on total values (100 in 4.13, not 256). */
    public static final int DEFAULT_TOTAL = 100;
    /** {@code HASH_QUEUE_SIZE}: the most values ever queued. */
    private static final int QUEUE_SIZE = 256;
    /** {@code MAX_FORWARD_DEREFERENCE}. */
    private static final int MAX_FORWARD = 1000;

    private OcamlHash() {}

    /**
     * {@code Hashtbl.hash v}: {@code seeded_hash_param 10 100 0 v}.
     *
     * @param heap the heap {@code v} lives in
     * @param v the value to hash
     * @return OCaml's hash of {@code v}, in [0, 2<sup>30</sup>)
     */
    public static int hash(Heap heap, long v) {
        if (Value.isInt(v)) {
            return HashMix.finish(HashMix.mixIntnat(0, v));
        }
        requireHeap("Hashtbl.hash", heap);
        int h = smallFlatBlock(heap, v);
        return h != -1 ? h : seededHashParam(heap, DEFAULT_MEANINGFUL, DEFAULT_TOTAL, 0, v);
    }

    private static void requireHeap(String op, Heap heap) {
        if (heap == null) {
            throw new IllegalArgumentException(op + ": the heap is null");
        }
    }

    /**
     * The fast path of {@code Hashtbl.hash} for the commonest keys — an ordinary block of at
     * most 8 fields, all immediates (a tuple of ints): the same walk without a queue. Returns -1
     * (never a hash: hashes are non-negative) for anything else.
     */
    private static int smallFlatBlock(Heap heap, long v) {
        if (!Value.isBlock(v)) {
            return -1;
        }
        int tag = heap.tag(v);
        if (tag >= Tag.OBJECT) { // objects, forwards and raw blocks take the general path
            return -1;
        }
        int size = heap.size(v);
        if (size > 8) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (!Value.isInt(heap.field(v, i))) {
                return -1;
            }
        }
        int h = HashMix.mix(0, OcamlFormats.cleanHeader(size, tag));
        for (int i = 0; i < size; i++) { // at most 8 meaningful values: within the limit of 10
            h = HashMix.mixIntnat(h, heap.field(v, i));
        }
        return HashMix.finish(h);
    }

    /**
     * {@code Hashtbl.seeded_hash seed v}; only the low 32 bits of {@code seed} matter.
     *
     * @param heap the heap {@code v} lives in
     * @param seed the seed
     * @param v the value to hash
     * @return OCaml's seeded hash of {@code v}, in [0, 2<sup>30</sup>)
     */
    public static int seededHash(Heap heap, long seed, long v) {
        return seededHashParam(heap, DEFAULT_MEANINGFUL, DEFAULT_TOTAL, seed, v);
    }

    /**
     * {@code Hashtbl.hash_param meaningful total v}.
     *
     * @param heap the heap {@code v} lives in
     * @param meaningful how many meaningful values (integers, strings, doubles) to mix, at most
     * @param total how many values to visit, at most
     * @param v the value to hash
     * @return OCaml's hash of {@code v}, in [0, 2<sup>30</sup>)
     */
    public static int hashParam(Heap heap, int meaningful, int total, long v) {
        return seededHashParam(heap, meaningful, total, 0, v);
    }

    /**
     * {@code Hashtbl.seeded_hash_param meaningful total seed v}. As in OCaml no argument is
     * rejected: a {@code meaningful} of 0 or less mixes nothing, a {@code total} out of
     * [0, 256] means 256.
     *
     * @param heap the heap {@code v} lives in
     * @param meaningful how many meaningful values (integers, strings, doubles) to mix, at most
     * @param total how many values to visit, at most
     * @param seed the seed
     * @param v the value to hash
     * @return OCaml's seeded hash of {@code v}, in [0, 2<sup>30</sup>)
     */
    public static int seededHashParam(Heap heap, int meaningful, int total, long seed, long v) {
        requireHeap("Hashtbl.seeded_hash_param", heap);
        int sz = total < 0 || total > QUEUE_SIZE ? QUEUE_SIZE : total;
        int num = meaningful;
        int h = (int) seed;
        long[] queue = new long[Math.max(1, Math.min(sz, 16))];
        queue[0] = v;
        int rd = 0;
        int wr = 1;
        while (rd < wr && num > 0) {
            v = queue[rd++];
            again:
            while (true) {
                if (!Value.isBlock(v)) {
                    // an immediate (its tagged word) or NONE (an out-of-heap pointer, address 0)
                    h = HashMix.mixIntnat(h, v);
                    num--;
                    break;
                }
                int tag = heap.tag(v);
                switch (tag) {
                    case Tag.STRING:
                        h = HashMix.mixString(heap, h, v);
                        num--;
                        break again;
                    case Tag.DOUBLE:
                        h = HashMix.mixDouble(h, heap.rawField(v, DoubleLayout.BITS_FIELD));
                        num--;
                        break again;
                    case Tag.DOUBLE_ARRAY: {
                        int len = heap.size(v);
                        for (int i = 0; i < len; i++) {
                            h = HashMix.mixDouble(h, heap.rawField(v, i));
                            num--;
                            if (num <= 0) {
                                break;
                            }
                        }
                        break again;
                    }
                    case Tag.EPHEMERON: // OCaml's Abstract_tag
                    case Tag.CUSTOM:    // custom blocks without a hash function
                        break again;
                    case Tag.FORWARD: {
                        for (int i = 0; i < MAX_FORWARD; i++) {
                            v = heap.field(v, OcamlFormats.FORWARD_VALUE_FIELD);
                            if (!Value.isBlock(v) || heap.tag(v) != Tag.FORWARD) {
                                continue again;
                            }
                        }
                        break again; // gave up on this object
                    }
                    case Tag.OBJECT:
                        h = HashMix.mixIntnat(h, Value.intOf(heap.field(v, OcamlFormats.OBJECT_ID_FIELD)));
                        num--;
                        break again;
                    default: {
                        int size = heap.size(v);
                        h = HashMix.mix(h, OcamlFormats.cleanHeader(size, tag));
                        for (int i = 0; i < size; i++) {
                            if (wr >= sz) {
                                break;
                            }
                            if (wr == queue.length) {
                                queue = Arrays.copyOf(queue, Math.min(sz, queue.length * 4));
                            }
                            queue[wr++] = heap.field(v, i);
                        }
                        break again;
                    }
                }
            }
        }
        return HashMix.finish(h);
    }

    // ------------------------------------------------------------------ immediates

    /**
     * {@code Hashtbl.hash} of the immediate {@code v} (no heap needed).
     *
     * @param v an immediate
     * @return OCaml's hash of {@code v}, in [0, 2<sup>30</sup>)
     */
    public static int hashImmediate(long v) {
        return HashMix.finish(HashMix.mixIntnat(0, v));
    }

    /**
     * {@code Hashtbl.hash} of the OCaml int {@code n}.
     *
     * @param n the integer
     * @return OCaml's hash of {@code n}, in [0, 2<sup>30</sup>)
     */
    public static int hashInt(long n) {
        return hashImmediate(Value.ofInt(n));
    }
}
