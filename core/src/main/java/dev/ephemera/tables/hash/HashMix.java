package dev.ephemera.tables.hash;

import dev.ephemera.Heap;

/**
 * OCaml's hash mixing functions ({@code runtime/hash.c}): MurmurHash3's 32-bit step and final
 * mix, and the mixes of a machine word, a double and a string, from which {@code OcamlHash}
 * builds {@code Hashtbl.hash} and {@code HashedTypes} its hashes of numbers. Pure functions of
 * their arguments (a string's bytes are read from the heap); nothing allocates.
 */
public final class HashMix {
    private HashMix() {}

    /** {@code FINAL_MIX(h) & 0x3FFFFFFF}. */
    public static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & 0x3FFFFFFF;
    }

    /** MurmurHash3's 32-bit mixing step ({@code MIX}). */
    public static int mix(int h, int d) {
        d *= 0xcc9e2d51;
        d = Integer.rotateLeft(d, 15);
        d *= 0x1b873593;
        h ^= d;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    /** {@code caml_hash_mix_intnat}: a 64-bit word folded to 32 bits. */
    public static int mixIntnat(int h, long d) {
        return mix(h, (int) ((d >> 32) ^ (d >> 63) ^ d));
    }

    /** {@code caml_hash_mix_double}: NaNs are one value, -0.0 is +0.0. */
    public static int mixDouble(int h, long bits) {
        int hi = (int) (bits >>> 32);
        int lo = (int) bits;
        if ((hi & 0x7FF00000) == 0x7FF00000 && (lo | (hi & 0xFFFFF)) != 0) {
            hi = 0x7FF00000;
            lo = 0x00000001;
        } else if (hi == 0x80000000 && lo == 0) {
            hi = 0;
        }
        h = mix(h, lo);
        return mix(h, hi);
    }

    /** {@code caml_hash_mix_string}: every byte, little-endian 4-byte groups, then the length. */
    public static int mixString(Heap heap, int h, long s) {
        int len = heap.stringLength(s);
        int fullWords = len >>> 3;
        for (int w = 0; w < fullWords; w++) {
            long word = heap.rawField(s, w);
            h = mix(h, (int) word);
            h = mix(h, (int) (word >>> 32));
        }
        int rest = len & 7;
        if (rest > 0) {
            long word = heap.rawField(s, fullWords);
            if (rest >= 4) {
                h = mix(h, (int) word);
                word >>>= 32;
                rest -= 4;
            }
            if (rest > 0) {
                h = mix(h, (int) (word & ((1L << (rest * 8)) - 1)));
            }
        }
        return h ^ len;
    }
}
