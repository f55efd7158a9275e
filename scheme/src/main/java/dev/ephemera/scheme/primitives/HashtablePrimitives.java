package dev.ephemera.scheme.primitives;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.Equality;
import dev.ephemera.scheme.runtime.SchemeHashedTypes;
import dev.ephemera.scheme.runtime.SchemeHeap;
import dev.ephemera.scheme.runtime.Stack;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.HashedTypes;
import dev.ephemera.tables.Hashtables;
import dev.ephemera.tables.Weakness;
import java.util.ConcurrentModificationException;

/**
 * The SRFI 126 hashtable procedures: a thin layer over core {@link Hashtables}. A Scheme
 * hashtable <em>is</em> a core table; each procedure checks its arguments, calls the core
 * function of the same SRFI 126 name, and turns core's exceptions into Scheme errors that name
 * the procedure. Every constructor takes an optional capacity and an optional weakness: {@code #f}
 * ({@link Weakness#NONE}) or the SRFI 126 name of a {@link Weakness} — one meaning, core's
 * (docs/tables.md, "Weakness modes").
 *
 * <p>Equivalences map onto core hashed types: {@code eq?} and {@code string=?} are core's
 * {@link HashedTypes#eq()} and {@link HashedTypes#string()}; {@code eqv?} and {@code equal?} are
 * the Scheme's own ({@link SchemeHashedTypes}); {@code (make-hashtable hash equiv)} is
 * {@link Procedures}, a hashed type that calls the two Scheme procedures back through the
 * machine.
 */
public final class HashtablePrimitives {
    private static final String WEAKNESSES = "a weakness (#f, weak-key, weak-value, weak-key-and-value, ephemeral-key,"
            + " ephemeral-value or ephemeral-key-and-value)";

    private final Machine m;
    private final SchemeHeap h;
    private final Stack st;
    private final Hashtables tables;
    private final SchemeHashedTypes types;
    private final Procedures procedures = new Procedures();
    /**
     * The procedures of every {@code make-hashtable} table: an {@code ephemeral-key} eq table
     * from the table to {@code (hash . equiv)}, so procedures that refer to their table do not
     * keep it alive.
     */
    private final GlobalRoot procedureTable;

    /**
     * While an operation that may hash runs: the stack slot of its table, followed by a slot for
     * that table's {@code (hash . equiv)} (NONE until {@link Procedures} first needs it); -1
     * otherwise. And the operation, for error messages. Saved and restored around every
     * operation, so operations nest (a hash procedure may use tables).
     */
    private int tableSlot = -1;
    private String operation;

    private HashtablePrimitives(Machine m, Equality eq) {
        this.m = m;
        this.h = m.h;
        this.st = m.st;
        this.tables = m.h.tables;
        this.types = new SchemeHashedTypes(m.h, eq);
        this.procedureTable = m.heap.newGlobalRoot(tables.makeEq(Weakness.EPHEMERAL_KEY, 16));
    }

    public static void install(Machine m, Equality eq) {
        new HashtablePrimitives(m, eq).define();
    }

    // ================================================================== arguments

    private Weakness weakness(String proc, int a, int i, int n) {
        if (i >= n || m.arg(a, i) == h.f()) {
            return Weakness.NONE;
        }
        long v = m.arg(a, i);
        if (h.isSymbol(v)) {
            String name = h.symbolName(v);
            for (Weakness w : Weakness.values()) {
                if (w != Weakness.NONE && w.srfiName().equals(name)) {
                    return w;
                }
            }
        }
        throw Args.wrongType(m, proc, WEAKNESSES, v);
    }

    private int capacity(String proc, int a, int i, int n) {
        if (i >= n || m.arg(a, i) == h.f()) {
            return 32;
        }
        return Args.count(m, proc, a, i);
    }

    private long table(String proc, int a) {
        long v = m.arg(a, 0);
        if (!h.isHashtable(v)) {
            throw Args.wrongType(m, proc, "a hashtable", v);
        }
        return v;
    }

    // ================================================================== operations

    /** The core operations {@link #keyed} runs. */
    private enum KeyedOp { REF, SET, DELETE, CONTAINS }

    /**
     * Runs {@code op} on the table (argument 0) and key (argument 1) of the primitive whose
     * arguments start at {@code a}, with {@link #tableSlot} set for {@link Procedures}; core's
     * exceptions become Scheme errors naming {@code proc}. Returns
     * the value found ({@link Value#NONE} if none) for {@code REF}, {@link Value#TRUE} or
     * {@link Value#FALSE} for {@code CONTAINS}.
     */
    private long keyed(String proc, int a, KeyedOp op) {
        long t = table(proc, a);
        int savedSlot = tableSlot;
        String savedOperation = operation;
        int base = st.push(t);
        st.push(Value.NONE);
        tableSlot = base;
        operation = proc;
        try {
            long key = m.arg(a, 1);
            switch (op) {
                case REF:
                    return tables.ref(t, key, Value.NONE);
                case SET:
                    tables.set(t, key, m.arg(a, 2));
                    return Value.NONE;
                case DELETE:
                    tables.delete(t, key);
                    return Value.NONE;
                default:
                    return tables.contains(t, key) ? Value.TRUE : Value.FALSE;
            }
        } catch (UnsupportedOperationException | ConcurrentModificationException | WrongTagException e) {
            throw schemeError(proc, a, e);
        } finally {
            tableSlot = savedSlot;
            operation = savedOperation;
            st.reset(base);
        }
    }

    /** The Scheme error for a core exception raised by {@code proc} on the table at argument 0. */
    private ErrorSignal schemeError(String proc, int a, RuntimeException e) {
        if (e instanceof UnsupportedOperationException) {
            return Args.wrongType(m, proc, "a mutable hashtable", m.arg(a, 0));
        }
        if (e instanceof ConcurrentModificationException) {
            return new ErrorSignal("wrong-type", proc + ": the hashtable was modified by its own hash or equivalence"
                    + " procedure, which must not change it", m.arg(a, 0));
        }
        if (tables.hashedType(m.arg(a, 0)) == HashedTypes.string() && !h.isString(m.arg(a, 1))) {
            return Args.wrongType(m, proc, "a string key", m.arg(a, 1));
        }
        throw e;
    }

    private Primitive maker(String name, HashedType type) {
        return new Primitive(name, 0, 2, (mm, a, n) ->
                tables.make(type, weakness(name, a, 1, n), capacity(name, a, 0, n)));
    }

    private void define() {
        m.define(maker("make-eq-hashtable", HashedTypes.eq()));
        m.define(maker("make-eqv-hashtable", types.eqv));
        m.define(maker("make-equal-hashtable", types.equal));
        m.define(maker("make-string-hashtable", HashedTypes.string()));
        m.define(new Primitive("make-hashtable", 2, 4, (mm, a, n) -> {
            Args.procedure(mm, "make-hashtable", a, 0);
            Args.procedure(mm, "make-hashtable", a, 1);
            Weakness w = weakness("make-hashtable", a, 3, n);
            int slot = st.push(tables.make(procedures, w, capacity("make-hashtable", a, 2, n)));
            long both = h.cons(mm.arg(a, 0), mm.arg(a, 1));
            tables.set(procedureTable.get(), st.get(slot), both);
            long t = st.get(slot);
            st.reset(slot);
            return t;
        }));
        m.define(new Primitive("hashtable?", 1, 1, (mm, a, n) -> h.bool(h.isHashtable(mm.arg(a, 0)))));
        m.define(new Primitive("hashtable-ref", 2, 3, false, (mm, a, n) -> {
            long v = keyed("hashtable-ref", a, KeyedOp.REF);
            if (v != Value.NONE) {
                return v;
            }
            if (n < 3) {
                throw new ErrorSignal("bad-index", "hashtable-ref: no entry for key " + mm.printer.write(mm.arg(a, 1))
                        + " and no default given", mm.arg(a, 1));
            }
            return mm.arg(a, 2);
        }));
        m.define(new Primitive("hashtable-set!", 3, 3, false, (mm, a, n) -> {
            keyed("hashtable-set!", a, KeyedOp.SET);
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-delete!", 2, 2, false, (mm, a, n) -> {
            keyed("hashtable-delete!", a, KeyedOp.DELETE);
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-contains?", 2, 2, false, (mm, a, n) ->
                h.bool(keyed("hashtable-contains?", a, KeyedOp.CONTAINS) == Value.TRUE)));
        m.define(new Primitive("hashtable-size", 1, 1, (mm, a, n) ->
                Value.ofInt(tables.size(table("hashtable-size", a)))));
        m.define(new Primitive("hashtable-keys", 1, 1, (mm, a, n) ->
                tables.keys(table("hashtable-keys", a), SchemeTag.VECTOR)));
        m.define(new Primitive("hashtable-values", 1, 1, (mm, a, n) ->
                tables.values(table("hashtable-values", a), SchemeTag.VECTOR)));
        m.define(new Primitive("hashtable-entries", 1, 1, (mm, a, n) -> {
            // [keys, values], as Hashtables.entries documents (core names no constants for it)
            long both = tables.entries(table("hashtable-entries", a), SchemeTag.VECTOR);
            return h.cons(mm.heap.field(both, 0), mm.heap.field(both, 1));
        }));
        m.define(new Primitive("hashtable->alist", 1, 1, (mm, a, n) ->
                tables.toAlist(table("hashtable->alist", a), SchemeTag.PAIR, h.nil())));
        m.define(new Primitive("hashtable-clear!", 1, 2, (mm, a, n) -> {
            long t = table("hashtable-clear!", a);
            capacity("hashtable-clear!", a, 1, n); // checked; core keeps the bucket count
            if (!tables.isMutable(t)) {
                throw Args.wrongType(mm, "hashtable-clear!", "a mutable hashtable", t);
            }
            tables.clear(t);
            return h.unspecified();
        }));
        m.define(new Primitive("hashtable-copy", 1, 2, (mm, a, n) -> {
            long src = table("hashtable-copy", a);
            boolean mutable = n < 2 || h.isTrue(mm.arg(a, 1));
            int slot = st.push(tables.copy(src, mutable));
            if (tables.hashedType(mm.arg(a, 0)) == procedures) {
                long both = tables.ref(procedureTable.get(), mm.arg(a, 0), Value.NONE);
                tables.set(procedureTable.get(), st.get(slot), both);
            }
            long copy = st.get(slot);
            st.reset(slot);
            return copy;
        }));
        m.define(new Primitive("hashtable-mutable?", 1, 1, (mm, a, n) ->
                h.bool(tables.isMutable(table("hashtable-mutable?", a)))));
        m.define(new Primitive("hashtable-weakness", 1, 1, (mm, a, n) -> {
            Weakness w = tables.weakness(table("hashtable-weakness", a));
            return w == Weakness.NONE ? h.f() : h.symbol(w.srfiName());
        }));
        m.define(new Primitive("equal-hash", 1, 1, (mm, a, n) -> Value.ofInt(types.equalHash(mm.heap, mm.arg(a, 0)))));
        m.define(new Primitive("string-hash", 1, 1, (mm, a, n) -> {
            Args.string(mm, "string-hash", a, 0);
            return Value.ofInt(types.stringHash(mm.arg(a, 0)));
        }));
        m.define(new Primitive("eq-hash", 1, 1, (mm, a, n) -> Value.ofInt(types.eqHash(mm.arg(a, 0)))));
        m.define(new Primitive("eqv-hash", 1, 1, (mm, a, n) -> Value.ofInt(types.eqvHash(mm.heap, mm.arg(a, 0)))));
    }

    // ================================================================== make-hashtable

    /**
     * The hashed type of {@code (make-hashtable hash equiv)} tables: calls the table's Scheme
     * procedures by a nested run of the machine. Core stores one hashed type per table and calls
     * it with the key alone, so this one instance serves every such table and finds the
     * procedures of the table being operated on through {@link #tableSlot}: in
     * {@link #procedureTable}, once per operation. Core keeps the table, key and cursor rooted
     * across the calls (which may allocate and collect) and raises if a procedure modifies the
     * table. Java code that operates on such a table through core directly, outside a Scheme
     * hashtable procedure, gets an {@link IllegalStateException}.
     */
    private final class Procedures implements HashedType {
        /** {@code (hash . equiv)} of the table being operated on (raw), looked up once per operation. */
        private long both() {
            if (tableSlot < 0) {
                throw new IllegalStateException("a make-hashtable table was used outside a hashtable procedure");
            }
            long both = st.get(tableSlot + 1);
            if (both == Value.NONE) {
                both = tables.ref(procedureTable.get(), st.get(tableSlot), Value.NONE);
                if (both == Value.NONE) {
                    throw new IllegalStateException(operation + ": the hashtable's procedures are missing");
                }
                st.set(tableSlot + 1, both);
            }
            return both;
        }

        @Override
        public int hash(Heap heap, long key) {
            long hash = h.car(both());
            String op = operation;
            // beginCall saves the registers on the stack without allocating: key is still valid
            int mark = m.beginCall();
            st.push(hash);
            st.push(key);
            long r = m.finishCall(mark, 1);
            if (!Value.isInt(r)) {
                throw new ErrorSignal("wrong-type", op + ": the hash function returned " + m.printer.write(r)
                        + ", not an exact integer", r);
            }
            return (int) (Value.intOf(r) & 0x3FFFFFFF);
        }

        @Override
        public boolean equal(Heap heap, long a, long b) {
            long equiv = h.cdr(both());
            int mark = m.beginCall();
            st.push(equiv);
            st.push(a);
            st.push(b);
            return h.isTrue(m.finishCall(mark, 2));
        }

        @Override
        public String toString() {
            return "make-hashtable procedures";
        }
    }
}
