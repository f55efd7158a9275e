package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.RecordLayout;
import dev.ephemera.scheme.object.RecordProcedureLayout;
import dev.ephemera.scheme.object.RecordTypeLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * The record procedures {@code define-record-type} expands into. Each constructor, predicate,
 * accessor and modifier is a primitive procedure object whose datum is a vector
 * {@code #(type index-or-indices name)} ({@link RecordProcedureLayout}).
 */
public final class RecordPrimitives {
    private RecordPrimitives() {}

    private static String typeName(Machine m, long type) {
        return m.h.symbolName(m.heap.field(type, RecordTypeLayout.NAME_FIELD));
    }

    private static long checkRecord(Machine m, int a, long datum) {
        long type = m.heap.field(datum, RecordProcedureLayout.TYPE_FIELD);
        long v = m.arg(a, 0);
        if (!m.h.is(v, SchemeTag.RECORD) || m.heap.field(v, RecordLayout.TYPE_FIELD) != type) {
            String name = m.h.symbolName(m.heap.field(datum, RecordProcedureLayout.NAME_FIELD));
            throw Args.wrongType(m, name, "a record of type " + typeName(m, type), v);
        }
        return v;
    }

    /** The record field an accessor or modifier with this datum reaches. */
    private static int fieldIndex(Machine m, long datum) {
        return (int) Value.intOf(m.heap.field(datum, RecordProcedureLayout.INDEX_FIELD));
    }

    /** A procedure object for {@code body} whose datum is {@code #(type index name)}: its arguments, on the stack. */
    private static long make(Machine m, Primitive p, int a) {
        long datum = VectorPrimitives.fromStack(m, a, a + RecordProcedureLayout.SIZE_WORDS);
        return m.makePrimitive(p, datum);
    }

    public static void install(Machine m) {
        SchemeHeap h = m.h;
        Primitive constructor = new Primitive("record-constructor", 0, -1, (mm, a, n) -> {
            long datum = mm.self(a);
            long indices = mm.heap.field(datum, RecordProcedureLayout.INDEX_FIELD);
            int count = mm.heap.size(indices);
            if (n != count) {
                throw new ErrorSignal("wrong-arity",
                        h.symbolName(mm.heap.field(datum, RecordProcedureLayout.NAME_FIELD))
                        + ": wrong number of arguments: expected " + count + ", got " + n);
            }
            long type = mm.heap.field(datum, RecordProcedureLayout.TYPE_FIELD);
            long fields = mm.heap.field(type, RecordTypeLayout.FIELDS_FIELD);
            long r = mm.heap.allocBlock(SchemeTag.RECORD, RecordLayout.sizeWords(mm.heap.size(fields)));
            datum = mm.self(a);
            indices = mm.heap.field(datum, RecordProcedureLayout.INDEX_FIELD);
            mm.heap.setField(r, RecordLayout.TYPE_FIELD, mm.heap.field(datum, RecordProcedureLayout.TYPE_FIELD));
            for (int i = 0; i < mm.heap.size(r) - RecordLayout.FIRST_FIELD; i++) {
                mm.heap.setField(r, RecordLayout.field(i), h.f());
            }
            for (int i = 0; i < n; i++) {
                int field = (int) Value.intOf(mm.heap.field(indices, VectorLayout.elementField(i)));
                mm.heap.setField(r, RecordLayout.field(field), mm.arg(a, i));
            }
            return r;
        });
        Primitive predicate = new Primitive("record-predicate", 1, 1, (mm, a, n) -> {
            long type = mm.heap.field(mm.self(a), RecordProcedureLayout.TYPE_FIELD);
            long v = mm.arg(a, 0);
            return h.bool(h.is(v, SchemeTag.RECORD) && mm.heap.field(v, RecordLayout.TYPE_FIELD) == type);
        });
        Primitive accessor = new Primitive("record-accessor", 1, 1, (mm, a, n) -> {
            long datum = mm.self(a);
            long r = checkRecord(mm, a, datum);
            return mm.heap.field(r, RecordLayout.field(fieldIndex(mm, datum)));
        });
        Primitive modifier = new Primitive("record-modifier", 2, 2, (mm, a, n) -> {
            long datum = mm.self(a);
            long r = checkRecord(mm, a, datum);
            mm.heap.setField(r, RecordLayout.field(fieldIndex(mm, datum)), mm.arg(a, 1));
            return h.unspecified();
        });
        m.define(new Primitive("%make-record-type", 2, 2, (mm, a, n) ->
                mm.heap.alloc(SchemeTag.RECORD_TYPE, Args.symbol(mm, "%make-record-type", a, 0),
                        Args.vector(mm, "%make-record-type", a, 1))));
        m.define(new Primitive("%record-constructor", 3, 3, (mm, a, n) -> make(mm, constructor, a)));
        m.define(new Primitive("%record-predicate", 2, 2, (mm, a, n) -> {
            // the arguments (type name), on top of the stack, become #(type #f name)
            int pushed = mm.st.push(mm.arg(a, 1));
            mm.st.set(a + RecordProcedureLayout.INDEX_FIELD, h.f());
            long datum = VectorPrimitives.fromStack(mm, a, a + RecordProcedureLayout.SIZE_WORDS);
            mm.st.reset(pushed);
            return mm.makePrimitive(predicate, datum);
        }));
        m.define(new Primitive("%record-accessor", 3, 3, (mm, a, n) -> make(mm, accessor, a)));
        m.define(new Primitive("%record-modifier", 3, 3, (mm, a, n) -> make(mm, modifier, a)));
    }
}
