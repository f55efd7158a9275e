package dev.ephemera.fuzz;

import dev.ephemera.GcListener;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.event.GcEvent;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.TableModel;
import dev.ephemera.model.TableModel.TKind;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.Hashtables;
import dev.ephemera.tables.K1Table;
import dev.ephemera.tables.K2Table;
import dev.ephemera.tables.KnTable;
import dev.ephemera.tables.WeakHashSet;
import dev.ephemera.tables.Weakness;
import dev.ephemera.tables.engine.TableValidator;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a table program ({@link TableProgram}) on a heap and on the reference model side by side:
 * the model's graph ({@link Model}) with its weak hash tables ({@link TableModel}). Every
 * K1/K2/Kn table, weak set and {@code Hashtables} weakness mode, with keys compared physically.
 *
 * <p><b>Lockstep.</b> As in {@link Run}: a {@link GcListener} applies the model's minor or major
 * collection each time the heap reports one (the arguments of the table operation in progress
 * are the model's temps), then drops the bindings that died. Major cycles run stop-the-world
 * (the model's are).
 *
 * <p><b>What is checked.</b> After every collection: everything the model keeps alive, the
 * heap keeps alive (the heap unlinks dead bindings lazily, so it may keep what only a dead
 * binding held until the table is next looked at). After every table operation, and of every
 * table after every act that collected: its bindings (iterated) and its live count equal the
 * model's; {@code find_opt}, {@code mem} and {@code merge} answer as the model does. At every
 * {@code CHECK_ALL} act and at the end — every table looked at (which unlinks its dead cells),
 * then two full major collections — the heap keeps exactly what the model keeps.
 */
final class TableRun implements AutoCloseable {
    static final int ROOTS = 6;

    /**
     * Physical equality (OCaml's {@code ==}, the model's), with a hash of the id a block holds in
     * field 0 — not the identity hash, which a heap draws at random, so that a seed replays the
     * same bucket layout — and a coarse one (seven values), so that buckets hold long chains of
     * bindings, dead and alive, for the purge and recycling to walk.
     */
    static final HashedType BY_ID = HashedType.of(
            (heap, v) -> (int) Math.floorMod(Value.isBlock(v) ? Value.intOf(heap.field(v, 0)) : Value.intOf(v), 7L),
            (heap, a, b) -> a == b);

    final Heap heap;
    final Model model = new Model(ROOTS, 0);
    final TableModel tables = new TableModel(model);
    private final GlobalRoot[] roots = new GlobalRoot[ROOTS];
    /** Weak roots following every user object and table (they read NONE once it is freed). */
    private final Map<Integer, GlobalRoot> observers = new HashMap<>();
    /** Objects the model freed and whose observers are still to be checked empty. */
    private final List<Integer> freedInModel = new ArrayList<>();
    private final Map<Integer, TKind> kindOf = new HashMap<>();
    private final K1Table k1;
    private final K2Table k2;
    private final KnTable kn;
    private final WeakHashSet set;
    private final Hashtables ht;
    final List<String> trace = new ArrayList<>();
    private boolean collected;
    long minors;
    long majors;
    long bindingsDied;
    long checks;

    TableRun(boolean tiny) {
        HeapConfig config = tiny ? HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                : HeapConfig.defaults().minorHeapWords(1024).initialHeapWords(0).heapIncrementPercent(1).maxHeapWords(1 << 18);
        heap = Heap.create(config.incremental(false).verifyEveryCollection(true));
        for (int i = 0; i < ROOTS; i++) {
            roots[i] = heap.newGlobalRoot(Value.NONE);
        }
        k1 = K1Table.make(heap, BY_ID);
        k2 = K2Table.make(heap, BY_ID, BY_ID);
        kn = KnTable.make(heap, BY_ID);
        set = WeakHashSet.make(heap, BY_ID);
        ht = Hashtables.of(heap);
        heap.gc().addListener(new GcListener() {
            @Override
            public void collected(GcEvent event) {
                if (event.kind != GcEvent.Kind.MINOR) {
                    // A major cycle starts on an empty nursery: everything is old. (The model made
                    // a young cell where the heap refilled an old dead one, with no allocation.)
                    model.objects.values().forEach(o -> o.young = false);
                }
                Set<Obj> freed = event.kind == GcEvent.Kind.MINOR ? model.minor() : model.major();
                if (event.kind == GcEvent.Kind.MINOR) {
                    minors++;
                } else {
                    majors++;
                }
                note("  (" + event.kind.name().toLowerCase() + " collection: " + event.reason + ")");
                int before = countBindings();
                tables.purge();
                bindingsDied += before - countBindings();
                for (Obj o : freed) {
                    if (o.id > 0) {
                        freedInModel.add(o.id);
                    }
                }
                collected = true;
                checkAliveKeptAlive("after " + event.kind.name().toLowerCase() + " collection " + model.collections
                        + " (" + event.reason + ")");
            }
        });
    }

    private int countBindings() {
        return tables.tables.values().stream().mapToInt(t -> tables.view(t).size()).sum();
    }

    // ================================================================== values

    private Object modelOf(Val v) {
        switch (v.kind()) {
            case 'i': return v.n();
            case '#': return model.objects.get((int) v.n());
            default: return null;
        }
    }

    private long heapOf(Object m) {
        if (m == null) {
            return Value.NONE;
        }
        if (m instanceof Long) {
            return Value.ofInt((Long) m);
        }
        return observers.get(((Obj) m).id).get();
    }

    /** The model value of a heap value read from a table: an immediate, or a user object by the id in its field 0. */
    private Object fromHeap(long v) {
        if (v == Value.NONE) {
            return null;
        }
        if (!Value.isBlock(v)) {
            return Value.intOf(v);
        }
        long id = heap.field(v, 0);
        Obj o = model.objects.get((int) Value.intOf(id));
        if (o == null) {
            throw new Mismatch("table contents", "a table holds " + Value.describe(v) + " (#" + Value.intOf(id)
                    + "), which the model freed");
        }
        return o;
    }

    private static String show(Object m) {
        return m == null ? "none" : m.toString();
    }

    private void note(String s) {
        trace.add(s);
    }

    // ================================================================== acts

    void exec(TableProgram.Act a) {
        collected = false;
        switch (a.op()) {
            case OBJ -> newObject(a);
            case TABLE -> newTable(a);
            case PUT, REMOVE, FIND -> tableOp(a);
            case STORE -> {
                Object x = modelOf(a.vals().get(0));
                int slot = a.a() % ROOTS;
                note("S" + slot + " := " + show(x));
                roots[slot].set(heapOf(x));
                model.strong[slot] = x;
            }
            case LINK -> {
                Object o = modelOf(a.vals().get(0));
                Object x = modelOf(a.vals().get(1));
                if (!(o instanceof Obj) || kindOf.containsKey(((Obj) o).id)) {
                    return;
                }
                note(o + ".field1 := " + show(x));
                heap.setField(heapOf(o), 1, heapOf(x));
                ((Obj) o).fields[0] = x;
            }
            case MINOR -> {
                note("Gc.minor()");
                heap.gc().minor();
            }
            case MAJOR -> {
                note("Gc.major()");
                heap.gc().major();
            }
            case FULL_MAJOR -> {
                note("Gc.full_major()");
                heap.gc().fullMajor();
            }
            case JUNK -> {
                int n = 1 + a.a() % 40;
                note("allocate " + n + " garbage blocks");
                for (int i = 0; i < n; i++) {
                    heap.alloc(0, Value.ofInt(i), Value.NONE);
                }
            }
            case CHECK_ALL -> checkAll("at a check");
            default -> throw new AssertionError(a.op());
        }
        if (collected) {
            for (int id : new ArrayList<>(tables.tables.keySet())) {
                compareTable(id, "after " + a.op().name().toLowerCase());
            }
        }
    }

    private void born(Obj o, long v, int slot) {
        observers.put(o.id, heap.newWeakRoot(v));
        roots[slot].set(observers.get(o.id).get());
        model.strong[slot] = o;
    }

    private void newObject(TableProgram.Act a) {
        Object x = modelOf(a.vals().get(0));
        int slot = a.a() % ROOTS;
        note("#" + a.id() + " = block [" + show(x) + "] -> S" + slot);
        model.temps.push(x == null ? 0L : x);
        long v;
        try {
            v = heap.alloc(0, Value.ofInt(a.id()), heapOf(x));
        } finally {
            model.temps.pop();
        }
        Obj o = model.allocate(a.id(), Kind.BLOCK, 1, true);
        o.fields[0] = x;
        born(o, v, slot);
    }

    private void newTable(TableProgram.Act a) {
        TKind kind = TKind.values()[a.a() % TKind.values().length];
        int slot = a.c() % ROOTS;
        int n = a.b() % 40;
        note("#" + a.id() + " = a " + kind + " table (" + n + ") -> S" + slot);
        long t;
        switch (kind) {
            case K1 -> t = k1.create(n);
            case K2 -> t = k2.create(n);
            case KN -> t = kn.create(n);
            case SET -> t = set.create(n);
            default -> t = ht.make(BY_ID, Weakness.values()[kind.ordinal() - TKind.NONE.ordinal()], n);
        }
        Obj header = model.allocate(a.id(), Kind.BLOCK, 1, true);
        TableModel.Table table = tables.create(header, kind);
        kindOf.put(a.id(), kind);
        born(header, t, slot);
        followBucketsAge(table, t);
    }

    /** The model's bucket array takes the age of the heap's ({@link TableModel#bucketsAge}). */
    private void followBucketsAge(TableModel.Table table, long t) {
        long array = heap.field(t, table.kind == TKind.SET ? WeakSetLayout.TABLE_FIELD : TableLayout.BUCKETS_FIELD);
        tables.bucketsAge(table, heap.isYoung(array));
    }

    /** The number of keys a binding of {@code kind} has, for an act with selector {@code c}. */
    static int arity(TKind kind, int c) {
        return kind == TKind.K2 ? 2 : kind == TKind.KN ? 1 + c % 3 : 1;
    }

    private void tableOp(TableProgram.Act a) {
        Object tm = modelOf(a.vals().get(0));
        if (!(tm instanceof Obj) || !kindOf.containsKey(((Obj) tm).id)) {
            return;
        }
        Obj tObj = (Obj) tm;
        TableModel.Table t = tables.tables.get(tObj.id);
        TKind kind = t.kind;
        int arity = arity(kind, a.c());
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            Object k = modelOf(a.vals().get(1 + i));
            keys.add(k == null ? Long.valueOf(i) : k); // no empty keys: an immediate instead
        }
        Object data = kind == TKind.SET ? null : modelOf(a.vals().get(1 + 3));
        if (data == null && kind != TKind.SET) {
            data = 7L;
        }
        boolean replace = a.b() % 2 == 0 || kind.isWeakness();
        String what = switch (a.op()) {
            case PUT -> kind == TKind.SET ? (replace ? "merge " : "add ") + keys.get(0)
                    : (replace ? "replace " : "add ") + keys + " -> " + show(data);
            case REMOVE -> "remove " + keys;
            default -> "find " + keys;
        };
        note(tObj + ": " + what + " (" + kind + ")");
        model.temps.push(tObj);
        keys.forEach(model.temps::push);
        if (data != null) {
            model.temps.push(data);
        }
        Object heapAnswer;
        try {
            heapAnswer = heapTableOp(a.op(), kind, heapOf(tObj), keys, data, replace);
        } finally {
            for (int i = 0, n = keys.size() + 1 + (data != null ? 1 : 0); i < n; i++) {
                model.temps.pop();
            }
        }
        switch (a.op()) {
            case PUT -> {
                if (kind == TKind.SET && replace) {
                    Object expected = tables.merge(t, keys.get(0));
                    if (expected != heapAnswer && !(expected instanceof Long && expected.equals(heapAnswer))) {
                        throw new Mismatch("merge", tObj + ": merge " + keys.get(0) + " returned " + show(heapAnswer)
                                + ", the model " + show(expected));
                    }
                } else if (replace) {
                    tables.replace(t, keys, data);
                } else {
                    tables.add(t, keys, data);
                }
            }
            case REMOVE -> tables.remove(t, keys);
            default -> {
                Object[] answer = (Object[]) heapAnswer;
                Object expected = tables.findOpt(t, keys);
                if (!(expected == answer[0] || (expected instanceof Long && expected.equals(answer[0])))) {
                    throw new Mismatch("find", tObj + ": find_opt " + keys + " gave " + show(answer[0])
                            + ", the model " + show(expected));
                }
                if (tables.mem(t, keys) != (Boolean) answer[1]) {
                    throw new Mismatch("mem", tObj + ": mem " + keys + " gave " + answer[1]);
                }
            }
        }
        followBucketsAge(t, heapOf(tObj));
        compareTable(tObj.id, "after " + what);
    }

    /** The operation on the heap; its answer: merge's element, or {find_opt, mem}. */
    private Object heapTableOp(TableProgram.Op op, TKind kind, long t, List<Object> keys, Object data, boolean replace) {
        long[] k = new long[keys.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = heapOf(keys.get(i));
        }
        long d = heapOf(data);
        switch (op) {
            case PUT -> {
                switch (kind) {
                    case K1 -> {
                        if (replace) {
                            k1.replace(t, k[0], d);
                        } else {
                            k1.add(t, k[0], d);
                        }
                    }
                    case K2 -> {
                        if (replace) {
                            k2.replace(t, k[0], k[1], d);
                        } else {
                            k2.add(t, k[0], k[1], d);
                        }
                    }
                    case KN -> {
                        if (replace) {
                            kn.replace(t, k, d);
                        } else {
                            kn.add(t, k, d);
                        }
                    }
                    case SET -> {
                        if (replace) {
                            return fromHeap(set.merge(t, k[0]));
                        }
                        set.add(t, k[0]);
                    }
                    default -> ht.set(t, k[0], d);
                }
                return null;
            }
            case REMOVE -> {
                switch (kind) {
                    case K1 -> k1.remove(t, k[0]);
                    case K2 -> k2.remove(t, k[0], k[1]);
                    case KN -> kn.remove(t, k);
                    case SET -> set.remove(t, k[0]);
                    default -> ht.delete(t, k[0]);
                }
                return null;
            }
            default -> {
                long found;
                boolean mem;
                switch (kind) {
                    case K1 -> {
                        found = k1.findOpt(t, k[0]);
                        mem = k1.mem(t, k[0]);
                    }
                    case K2 -> {
                        found = k2.findOpt(t, k[0], k[1]);
                        mem = k2.mem(t, k[0], k[1]);
                    }
                    case KN -> {
                        found = kn.findOpt(t, k);
                        mem = kn.mem(t, k);
                    }
                    case SET -> {
                        found = set.findOpt(t, k[0]);
                        mem = set.mem(t, k[0]);
                    }
                    default -> {
                        found = ht.ref(t, k[0], Value.NONE);
                        mem = ht.contains(t, k[0]);
                    }
                }
                return new Object[] {fromHeap(found), mem};
            }
        }
    }

    // ================================================================== comparing

    /** A binding as text: keys, then data; objects as #id, immediates as numbers. */
    private static String entry(List<Object> keysAndData) {
        return keysAndData.toString();
    }

    /** The bindings of table {@code id} on the heap and in the model, and their counts, must agree. */
    private void compareTable(int id, String when) {
        TableModel.Table t = tables.tables.get(id);
        if (t == null) {
            return; // the table died
        }
        checks++;
        long v = observers.get(id).get();
        List<String> heapView = new ArrayList<>();
        long count;
        switch (t.kind) {
            case K1 -> {
                k1.iter(v, (key, d) -> heapView.add(entry(list(fromHeap(key), fromHeap(d)))));
                count = k1.liveLength(v);
            }
            case K2 -> {
                k2.iter(v, (a, b, d) -> heapView.add(entry(list(fromHeap(a), fromHeap(b), fromHeap(d)))));
                count = k2.liveLength(v);
            }
            case KN -> {
                kn.iter(v, (ks, d) -> {
                    List<Object> e = new ArrayList<>();
                    for (long k : ks) {
                        e.add(fromHeap(k));
                    }
                    e.add(fromHeap(d));
                    heapView.add(entry(e));
                });
                count = kn.liveLength(v);
            }
            case SET -> {
                set.iter(v, x -> heapView.add(entry(list(fromHeap(x), null))));
                count = set.count(v);
            }
            default -> {
                ht.forEach(v, (key, d) -> heapView.add(entry(list(fromHeap(key), fromHeap(d)))));
                count = ht.size(v);
            }
        }
        List<String> modelView = new ArrayList<>();
        tables.view(t).forEach(e -> modelView.add(entry(e)));
        Collections.sort(heapView);
        Collections.sort(modelView);
        if (!heapView.equals(modelView)) {
            throw new Mismatch("table contents", when + ": table #" + id + " (" + t.kind + ") holds " + heapView
                    + ", the model " + modelView);
        }
        if (count != modelView.size()) {
            throw new Mismatch("table count", when + ": table #" + id + " (" + t.kind + ") counts " + count
                    + " live bindings, the model " + modelView.size());
        }
        TableValidator.validateIfTable(heap, observers.get(id).get()); // and its structure is whole
    }

    private static List<Object> list(Object... xs) {
        List<Object> l = new ArrayList<>();
        Collections.addAll(l, xs);
        return l;
    }

    /** Everything the model keeps alive, the heap keeps alive. */
    private void checkAliveKeptAlive(String when) {
        for (Obj o : model.objects.values()) {
            if (o.id > 0 && observers.get(o.id).get() == Value.NONE) {
                throw new Mismatch("alive set", when + ": " + o + " is alive in the model, but the heap freed it");
            }
        }
    }

    /**
     * Every table looked at (the heap unlinks the bindings that died), two full major
     * collections: then the heap keeps exactly what the model keeps.
     */
    void checkAll(String when) {
        note("(check) every table looked at, Gc.full_major() twice");
        for (int round = 0; round < 2; round++) {
            for (int id : new ArrayList<>(tables.tables.keySet())) {
                compareTable(id, when);
            }
            heap.gc().fullMajor();
        }
        for (int id : freedInModel) {
            GlobalRoot observer = observers.remove(id);
            if (observer.get() != Value.NONE) {
                throw new Mismatch("alive set", when + ": #" + id + " is dead in the model, but the heap kept it");
            }
            observer.close();
        }
        freedInModel.clear();
        checkAliveKeptAlive(when);
        heap.verify();
    }

    /** The end: every root dropped, then {@link #checkAll}. */
    void finish() {
        note("(end) every root := none");
        for (int i = 0; i < ROOTS; i++) {
            roots[i].set(Value.NONE);
            model.strong[i] = null;
        }
        checkAll("at the end");
        if (model.objects.values().stream().anyMatch(o -> o.id > 0)) {
            throw new Mismatch("alive set", "at the end: the model keeps " + model.objects.keySet());
        }
    }

    @Override
    public void close() {
        if (!heap.isClosed()) {
            heap.close();
        }
    }
}
