package dev.ephemera.scheme.object;

/**
 * A record type descriptor ({@link SchemeTag#RECORD_TYPE}).
 *
 * <pre>
 *   header(tag 9, size 2) | name (symbol) | field names (vector of symbols)
 *   field:                   0               1
 * </pre>
 */
public final class RecordTypeLayout {
    public static final int NAME_FIELD = 0;
    public static final int FIELDS_FIELD = 1;
    public static final int SIZE_WORDS = 2;

    private RecordTypeLayout() {}
}
