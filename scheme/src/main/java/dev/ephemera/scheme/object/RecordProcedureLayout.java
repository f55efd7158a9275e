package dev.ephemera.scheme.object;

/**
 * The datum of a record procedure — a constructor, predicate, accessor or modifier that
 * {@code define-record-type} makes: a {@link SchemeTag#PRIMITIVE} whose
 * {@link PrimitiveLayout#DATUM_FIELD} is a vector of three elements, the arguments of the
 * {@code %record-constructor}, {@code %record-accessor}, ... call that made it, in order.
 *
 * <pre>
 *   header(tag 2, size 3) | record type | index or indices | procedure name (symbol)
 *   field:                   0             1                  2
 * </pre>
 * The index is the record field an accessor or modifier reaches (a fixnum); a constructor has
 * a vector of the fields its arguments go to, a predicate {@code #f}.
 */
public final class RecordProcedureLayout {
    public static final int TYPE_FIELD = 0;
    public static final int INDEX_FIELD = 1;
    public static final int NAME_FIELD = 2;
    public static final int SIZE_WORDS = 3;

    private RecordProcedureLayout() {}
}
