package dev.ephemera.scheme.object;

/**
 * An instance of a record type made by {@code define-record-type} ({@link SchemeTag#RECORD}).
 *
 * <pre>
 *   header(tag 8, size 1+n) | record type | field 0 | ... | field n-1
 *   field:                     0             1             n
 * </pre>
 */
public final class RecordLayout {
    public static final int TYPE_FIELD = 0;
    public static final int FIRST_FIELD = 1;

    private RecordLayout() {}

    /** Block size for {@code fields} fields. */
    public static int sizeWords(int fields) {
        return FIRST_FIELD + fields;
    }

    /** Block field index of record field {@code i}. */
    public static int field(int i) {
        return FIRST_FIELD + i;
    }
}
