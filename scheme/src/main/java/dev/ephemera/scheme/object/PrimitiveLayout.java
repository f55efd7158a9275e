package dev.ephemera.scheme.object;

/**
 * A primitive procedure ({@link SchemeTag#PRIMITIVE}): a procedure written in Java, named by its
 * index in the interpreter's primitive table, with one datum the Java code may use (a record
 * procedure's {@link RecordProcedureLayout vector}, the guardian of a guardian procedure;
 * {@code #f} otherwise).
 *
 * <pre>
 *   header(tag 5, size 2) | primitive index (immediate) | datum
 *   field:                   0                             1
 * </pre>
 */
public final class PrimitiveLayout {
    public static final int INDEX_FIELD = 0;
    public static final int DATUM_FIELD = 1;
    public static final int SIZE_WORDS = 2;

    private PrimitiveLayout() {}
}
