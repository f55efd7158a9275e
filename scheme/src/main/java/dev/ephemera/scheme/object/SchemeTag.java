package dev.ephemera.scheme.object;

/**
 * The block tags of Scheme objects. Every Scheme object except a fixnum is a heap block; its
 * tag says which {@code *Layout} class describes it. Tag 0 is left to core's own blocks — the
 * heap's guardians (core's internal {@code GuardianLayout}) and core's hash tables, each
 * marked by an immediate in field 0 — so that no Scheme object can be mistaken for one.
 *
 * <pre>
 *   value                 representation
 *   --------------------  -----------------------------------------------------------
 *   exact integer         immediate (63 bits, {@link dev.ephemera.object.Value#ofInt})
 *   flonum                heap boxed double ({@link dev.ephemera.object.Tag#DOUBLE})
 *   string                heap byte string, UTF-8 ({@link dev.ephemera.object.Tag#STRING})
 *   SRFI 124 ephemeron    heap K1 ephemeron ({@link dev.ephemera.object.Tag#EPHEMERON}, 1 key)
 *   SRFI 126 hashtable    core {@link dev.ephemera.tables.Hashtables} table (tag 0)
 *   everything else       a scanned block with one of the tags below
 * </pre>
 */
public final class SchemeTag {
    /** {@link PairLayout}. */
    public static final int PAIR = 1;
    /** {@link VectorLayout}. */
    public static final int VECTOR = 2;
    /** {@link SymbolLayout}. */
    public static final int SYMBOL = 3;
    /** {@link ClosureLayout}. */
    public static final int CLOSURE = 4;
    /** {@link PrimitiveLayout}. */
    public static final int PRIMITIVE = 5;
    /** {@link EnvironmentLayout}. */
    public static final int ENVIRONMENT = 6;
    /** {@link FrameLayout}. */
    public static final int FRAME = 7;
    /** {@link RecordLayout}. */
    public static final int RECORD = 8;
    /** {@link RecordTypeLayout}. */
    public static final int RECORD_TYPE = 9;
    /** {@link CharLayout}. */
    public static final int CHAR = 10;
    /** {@link ConstantLayout}. */
    public static final int CONSTANT = 11;
    /** {@link ConditionLayout}. */
    public static final int CONDITION = 12;
    /** {@link WeakBoxLayout}. */
    public static final int WEAK_BOX = 13;
    /** {@link HandlerLayout}. */
    public static final int GUARD_HANDLER = 15;
    /** {@link BoxLayout}: the cell of a captured, assigned variable. */
    public static final int BOX = 17;

    private SchemeTag() {}

    /** A name for error messages and the printer. */
    public static String name(int tag) {
        switch (tag) {
            case PAIR: return "pair";
            case VECTOR: return "vector";
            case SYMBOL: return "symbol";
            case CLOSURE: return "procedure";
            case PRIMITIVE: return "primitive procedure";
            case ENVIRONMENT: return "environment";
            case FRAME: return "continuation frame";
            case RECORD: return "record";
            case RECORD_TYPE: return "record type";
            case CHAR: return "character";
            case CONSTANT: return "constant";
            case CONDITION: return "error object";
            case WEAK_BOX: return "weak box";
            case GUARD_HANDLER: return "guard handler";
            case BOX: return "variable cell";
            default: return "tag " + tag;
        }
    }
}
