package dev.ephemera.model;

import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The weak hash tables over the {@link Model}'s graph: what each table holds, written from the
 * definitions (OCaml's {@code Ephemeron.K1/K2/Kn} and {@code Weak.Make} modules; SRFI 126 weakness, {@code dev.ephemera.tables.Weakness}) and from nothing in
 * {@code core/src/main}. Keys compare physically (OCaml's {@code ==}, the tables' {@code eq}
 * hashed type): the same object, or the same immediate.
 *
 * <p><b>Liveness is the model's.</b> A table is a {@link Kind#BLOCK} object whose field 0 holds its
 * bucket array, a one-field {@code BLOCK} heading a chain of binding cells, each a young
 * {@code BLOCK [part0, part1, next]} (the array is an object of its own because its age may differ
 * from the table's: {@link #bucketsAge}); a binding's parts are
 * what the table keeps alive, and how: ephemerons ({@code K1/K2/Kn}: keys → data), weak arrays
 * (an ephemeron whose data stays empty: a weak set's element), or the key or value itself (held
 * strongly). Ephemerons and weak arrays are born old, as in the heap. So the model's fixpoint
 * and clearing rules decide which bindings die, with no rule of their own:
 *
 * <pre>
 *   kind                      part 0                      part 1
 *   K1 / K2 / Kn              ephemeron keys → data       -
 *   weak set                  weak array [element]        -
 *   NONE                      key                         value
 *   WEAK_KEY                  weak array [key]            value
 *   WEAK_VALUE                key                         weak array [value]
 *   WEAK_KEY_AND_VALUE        weak array [key, value]     -
 *   EPHEMERAL_KEY             ephemeron key → value       -
 *   EPHEMERAL_VALUE           ephemeron value → key       -
 *   EPHEMERAL_KEY_AND_VALUE   ephemeron key → value       ephemeron value → key
 * </pre>
 *
 * A binding is visible while none of its weak slots has been emptied. After each collection the
 * model drops the bindings that died ({@link #purge}) — eagerly, where the heap unlinks dead
 * cells lazily: so a value a dead binding held strongly may outlive it in the heap until the table
 * is next observed, never the other way round.
 *
 * <p>Bindings are kept most recent first; {@code add} puts a binding first, {@code replace}
 * changes the most recent binding of equal keys in place (or adds one), {@code remove} drops
 * the most recent one, {@code find} reads it (OCaml's semantics for all three). Synthetic objects
 * (tables' cells and containers) get negative ids.
 */
public final class TableModel {
    /** What a table is; the ordinals of the {@code Weakness} kinds follow {@code tables.Weakness}. */
    public enum TKind {
        K1, K2, KN, SET,
        NONE, WEAK_KEY, WEAK_VALUE, WEAK_KEY_AND_VALUE, EPHEMERAL_KEY, EPHEMERAL_VALUE, EPHEMERAL_KEY_AND_VALUE;

        /** True for the {@code Hashtables} kinds (SRFI 126 weakness). */
        public boolean isWeakness() {
            return ordinal() >= NONE.ordinal();
        }
    }

    /** A binding: its keys (one for a set element) and data, and the model objects holding them. */
    public static final class Binding {
        final Obj cell;
        final Obj part0;
        final Obj part1;

        Binding(Obj cell, Obj part0, Obj part1) {
            this.cell = cell;
            this.part0 = part0;
            this.part1 = part1;
        }
    }

    /** A table. */
    public static final class Table {
        public final Obj header;
        public final TKind kind;
        /** The bucket array, between the header and the chain: its age may differ from the header's. */
        Obj buckets;
        /** Most recent first. */
        final List<Binding> bindings = new ArrayList<>();

        Table(Obj header, TKind kind) {
            this.header = header;
            this.kind = kind;
        }
    }

    private final Model model;
    /** Tables by the id of their header object. */
    public final Map<Integer, Table> tables = new LinkedHashMap<>();
    private int nextSynthetic = -1;

    public TableModel(Model model) {
        this.model = model;
    }

    private Obj synthetic(Kind kind, int fields) {
        return model.allocate(nextSynthetic--, kind, fields, true);
    }

    /** A new empty table; {@code header} is the table object (allocated by the caller, one field). */
    public Table create(Obj header, TKind kind) {
        Table t = new Table(header, kind);
        t.buckets = synthetic(Kind.BLOCK, 1);
        header.fields[0] = t.buckets;
        tables.put(header.id, t);
        return t;
    }

    /**
     * Follows the age of the table's bucket array in the heap ({@code young}), which the caller
     * reads after every act on the table: a collection during the act that made the array (the
     * table's creation, which makes the array before the header; a growth) promoted it, or the
     * act replaced it by a new, young one — a growth of a chained table, which empties the array
     * it replaces, so the old node is emptied too. (A weak set's growth leaves its old arrays
     * full, but they hold only weak arrays, born old, which hold their elements weakly: nothing
     * the model follows. {@code reset}, which replaces an array without emptying it, is not one of
     * the programs' acts.) What an old array reaches survives a minor collection even where the
     * header died: an old block is alive to a minor collection.
     */
    public void bucketsAge(Table t, boolean young) {
        if (young && !t.buckets.young) {
            t.buckets.fields[0] = null;
            t.buckets = synthetic(Kind.BLOCK, 1);
            t.header.fields[0] = t.buckets;
            relink(t);
        } else if (!young && t.buckets.young) {
            t.buckets.young = false;
        }
    }

    // ------------------------------------------------------------------ bindings

    /** The keys of a binding, or null if a weak part of it was emptied (it is dead). */
    public List<Object> keys(Table t, Binding b) {
        switch (t.kind) {
            case K1: case K2: case KN: case SET:
                return fullKeys(b.part0);
            case NONE: case WEAK_VALUE:
                return live(t, b) ? List.of(b.cell.fields[0]) : null;
            case WEAK_KEY: case WEAK_KEY_AND_VALUE: case EPHEMERAL_KEY: case EPHEMERAL_KEY_AND_VALUE:
                return live(t, b) ? List.of(b.part0.fields[0]) : null;
            case EPHEMERAL_VALUE:
                return live(t, b) ? List.of(b.part0.data) : null;
            default:
                throw new AssertionError(t.kind);
        }
    }

    /** The data (value) of a live binding; null for a set element. */
    public Object data(Table t, Binding b) {
        switch (t.kind) {
            case K1: case K2: case KN: case EPHEMERAL_KEY: case EPHEMERAL_KEY_AND_VALUE:
                return b.part0.data;
            case SET:
                return null;
            case NONE: case WEAK_KEY:
                return b.cell.fields[1];
            case WEAK_VALUE:
                return b.part1.fields[0];
            case WEAK_KEY_AND_VALUE:
                return b.part0.fields[1];
            case EPHEMERAL_VALUE:
                return b.part0.fields[0];
            default:
                throw new AssertionError(t.kind);
        }
    }

    /** A container's keys if none was emptied, else null. */
    private static List<Object> fullKeys(Obj container) {
        List<Object> keys = new ArrayList<>();
        for (Object k : container.fields) {
            if (k == null) {
                return null;
            }
            keys.add(k);
        }
        return keys;
    }

    /** True if no weak slot of the binding was emptied. */
    boolean live(Table t, Binding b) {
        switch (t.kind) {
            case K1: case K2: case KN: case SET:
                return fullKeys(b.part0) != null;
            case NONE:
                return true;
            case WEAK_KEY:
            case WEAK_VALUE:
                return (t.kind == TKind.WEAK_KEY ? b.part0 : b.part1).fields[0] != null;
            case WEAK_KEY_AND_VALUE:
                return b.part0.fields[0] != null && b.part0.fields[1] != null;
            case EPHEMERAL_KEY: case EPHEMERAL_VALUE:
                return b.part0.fields[0] != null;
            case EPHEMERAL_KEY_AND_VALUE:
                return b.part0.fields[0] != null && b.part1.fields[0] != null;
            default:
                throw new AssertionError(t.kind);
        }
    }

    /** The bindings of {@code t} now: keys and data of each, most recent first. */
    public List<List<Object>> view(Table t) {
        List<List<Object>> out = new ArrayList<>();
        for (Binding b : t.bindings) {
            List<Object> keys = keys(t, b);
            if (keys != null) {
                List<Object> entry = new ArrayList<>(keys);
                entry.add(data(t, b));
                out.add(entry);
            }
        }
        return out;
    }

    /** The most recent live binding whose keys are physically equal to {@code keys}, or null. */
    private Binding find(Table t, List<Object> keys) {
        for (Binding b : t.bindings) {
            List<Object> k = keys(t, b);
            if (k != null && same(k, keys)) {
                return b;
            }
        }
        return null;
    }

    private static boolean same(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) == b.get(i) || (a.get(i) instanceof Long && Objects.equals(a.get(i), b.get(i))))) {
                return false;
            }
        }
        return true;
    }

    /** {@code find_opt}: the data of the most recent binding of {@code keys} (a set: the element), or null. */
    public Object findOpt(Table t, List<Object> keys) {
        Binding b = find(t, keys);
        if (b == null) {
            return null;
        }
        return t.kind == TKind.SET ? keys(t, b).get(0) : data(t, b);
    }

    /** {@code mem}. */
    public boolean mem(Table t, List<Object> keys) {
        return find(t, keys) != null;
    }

    /** {@code add} (tables: a new binding first; a set: the element added even if present). */
    public void add(Table t, List<Object> keys, Object data) {
        t.bindings.add(0, newBinding(t, keys, data));
        relink(t);
    }

    /** {@code replace}, {@code Hashtables.set}: the most recent binding of {@code keys} changed in place, or added. */
    public void replace(Table t, List<Object> keys, Object data) {
        Binding b = find(t, keys);
        if (b == null) {
            add(t, keys, data);
            return;
        }
        switch (t.kind) {            // in place, as the heap refills the binding's containers
            case K1: case K2: case KN: case EPHEMERAL_KEY:
                b.part0.data = data;
                break;
            case NONE: case WEAK_KEY:
                b.cell.fields[1] = data;
                break;
            case WEAK_VALUE:
                b.part1.fields[0] = data;
                break;
            case WEAK_KEY_AND_VALUE:
                b.part0.fields[1] = data;
                break;
            case EPHEMERAL_VALUE:
                b.part0.fields[0] = data;
                break;
            case EPHEMERAL_KEY_AND_VALUE:
                b.part0.data = data;
                b.part1.fields[0] = data;
                break;
            default:
                throw new AssertionError(t.kind);
        }
    }

    /** {@code Weak.Make.merge}: the element equal to {@code x} if there is one, else {@code x}, added. */
    public Object merge(Table t, Object x) {
        Binding b = find(t, List.of(x));
        if (b != null) {
            return keys(t, b).get(0);
        }
        add(t, List.of(x), null);
        return x;
    }

    /** {@code remove}, {@code Hashtables.delete}: the most recent binding of {@code keys}, if any. */
    public void remove(Table t, List<Object> keys) {
        Binding b = find(t, keys);
        if (b != null) {
            t.bindings.remove(b);
            relink(t);
        }
    }

    /** The number of live bindings ({@code live_length}, {@code Hashtables.size}, {@code Weak.Make.count}). */
    public int count(Table t) {
        return view(t).size();
    }

    /** A binding's cell and containers, as the table kind lays them out. */
    private Binding newBinding(Table t, List<Object> keys, Object data) {
        Obj cell = synthetic(Kind.BLOCK, 3);
        Obj p0 = null;
        Obj p1 = null;
        Object key = keys.get(0);
        switch (t.kind) {
            case K1: case K2: case KN:
                p0 = ephemeron(keys, data);
                break;
            case SET:
                p0 = weakArray(key);
                break;
            case NONE:
                cell.fields[0] = key;
                cell.fields[1] = data;
                break;
            case WEAK_KEY:
                p0 = weakArray(key);
                cell.fields[1] = data;
                break;
            case WEAK_VALUE:
                cell.fields[0] = key;
                p1 = weakArray(data);
                break;
            case WEAK_KEY_AND_VALUE:
                p0 = weakArray(key, data);
                break;
            case EPHEMERAL_KEY:
                p0 = ephemeron(List.of(key), data);
                break;
            case EPHEMERAL_VALUE:
                p0 = ephemeron(List.of(data), key);
                break;
            case EPHEMERAL_KEY_AND_VALUE:
                p0 = ephemeron(List.of(key), data);
                p1 = ephemeron(List.of(data), key);
                break;
            default:
                throw new AssertionError(t.kind);
        }
        if (p0 != null) {
            cell.fields[0] = p0;
        }
        if (p1 != null) {
            cell.fields[1] = p1;
        }
        return new Binding(cell, p0, p1);
    }

    private Obj ephemeron(List<Object> keys, Object data) {
        Obj e = synthetic(Kind.EPHEMERON, keys.size());
        for (int i = 0; i < keys.size(); i++) {
            e.fields[i] = keys.get(i);
        }
        e.data = data;
        return e;
    }

    private Obj weakArray(Object... slots) {
        Obj w = synthetic(Kind.EPHEMERON, slots.length);
        System.arraycopy(slots, 0, w.fields, 0, slots.length);
        return w;
    }

    /** Rebuilds the buckets → cell → cell chain after a change (what the model's liveness follows). */
    private void relink(Table t) {
        Object next = null;
        for (int i = t.bindings.size() - 1; i >= 0; i--) {
            Obj cell = t.bindings.get(i).cell;
            cell.fields[2] = next;
            next = cell;
        }
        t.buckets.fields[0] = next;
    }

    /**
     * After a collection: forgets the tables that died, and drops the bindings a weak slot of
     * which was emptied (eagerly; see the class comment).
     */
    public void purge() {
        tables.values().removeIf(t -> !model.objects.containsKey(t.header.id));
        for (Table t : tables.values()) {
            if (t.bindings.removeIf(b -> !live(t, b))) {
                relink(t);
            }
        }
    }
}
