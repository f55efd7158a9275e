package dev.ephemera.object.layout;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;

/**
 * Layout of an ephemeron block ({@link Tag#EPHEMERON}); a weak array is an ephemeron whose data
 * is always empty, exactly as in OCaml ({@code runtime/caml/weak.h}).
 *
 * <pre>
 *   header | link | data | key 0 | key 1 | ... | key n-1
 *  field:     0      1       2       3            n+1
 * </pre>
 *
 * <ul>
 * <li><b>link</b>: scratch word owned by the collector, {@link Value#NONE} when unused. A minor
 *     collection and a major cycle may both be using it at once (a minor collection runs
 *     between two slices of an incremental major cycle), so it has a half for each, read and
 *     written only through {@link #minorLink}, {@link #majorLink} and {@link #link}:
 *     <pre>
 *  63 62               32 31                1   0
 * +--+-------------------+-------------------+---+
 * |0 |  major half (31)  |  minor half (31)  | 1 |   (the word is NONE when both halves are 0)
 * +--+-------------------+-------------------+---+
 *     </pre>
 *     </li>
 * <li><b>data</b>: the data slot, {@link Value#NONE} when empty.</li>
 * <li><b>keys</b>: the key slots, {@link Value#NONE} when empty.</li>
 * </ul>
 * The marker never traces these fields; weak processing does.
 */
public final class EphemeronLayout {
    public static final int LINK_FIELD = 0;
    public static final int DATA_FIELD = 1;
    public static final int FIRST_KEY_FIELD = 2;
    /** Words beyond the keys: link and data (OCaml's {@code additional_values}). */
    public static final int ADDITIONAL_WORDS = 2;
    /** The most keys an ephemeron can have (OCaml's {@code max_ephe_length}). */
    public static final int MAX_KEYS = Header.MAX_SIZE_WORDS - ADDITIONAL_WORDS;

    private EphemeronLayout() {}

    /** Block size for {@code keys} keys. */
    public static int sizeWords(int keys) {
        return keys + ADDITIONAL_WORDS;
    }

    /** Number of keys of an ephemeron of {@code sizeWords} words. */
    public static int keyCount(int sizeWords) {
        return sizeWords - ADDITIONAL_WORDS;
    }

    private static final long HALF_MASK = 0x7FFF_FFFFL;

    /** The minor collection's half of the link word {@code link}. */
    public static int minorLink(long link) {
        return (int) ((link >>> 1) & HALF_MASK);
    }

    /** The major cycle's half of the link word {@code link}. */
    public static int majorLink(long link) {
        return (int) ((link >>> 32) & HALF_MASK);
    }

    /** The link word holding the two halves (each in [0, 2<sup>31</sup>)); NONE if both are 0. */
    public static long link(int major, int minor) {
        if ((major | minor) == 0) {
            return Value.NONE;
        }
        return ((major & HALF_MASK) << 32) | ((minor & HALF_MASK) << 1) | 1L;
    }

    /** Field index of key {@code i}. */
    public static int keyField(int i) {
        return FIRST_KEY_FIELD + i;
    }
}
