package dev.ephemera.object;

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
 * <li><b>link</b>: scratch word owned by the collector. Outside a collection it is
 *     {@link Value#NONE}; during weak processing it holds (as an immediate) the number of full
 *     keys not yet known to be alive.</li>
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

    /** Field index of key {@code i}. */
    public static int keyField(int i) {
        return FIRST_KEY_FIELD + i;
    }
}
