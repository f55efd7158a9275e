package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.Ephemerons;
import dev.ephemera.Heap;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.Collections;
import java.util.List;

/**
 * The acts that allocate an object ({@code ALLOC}, {@code LEAF}, {@code EPHE},
 * {@code WEAK_ARRAY}, {@code GUARDIAN}), on both sides, each by one of the heap's allocation
 * paths; the new object is observed and stored in a strong root.
 */
final class AllocationSteps {
    /** Block tags used; LAZY and FORWARD blocks cannot be finalised (OCaml refuses them). */
    static final int[] TAGS = {0, 0, 0, 0, 1, 7, Tag.CLOSURE, Tag.LAZY, Tag.FORWARD};
    /** The custom-block kind of the custom leaves. */
    private static final long CUSTOM_KIND = 77;
    /** The size of the large blocks {@code ALLOC} makes, born old. */
    static final int BIG_WORDS = 300;
    /** The bit of an {@code ALLOC} act's {@code d} that puts the block's id in its last field. */
    static final int ID_LAST_BIT = 8;

    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Operands operands;
    private final Observers observers;
    private final ProgramRoots roots;

    AllocationSteps(Heap heap, Model model, Trace trace, Operands operands, Observers observers, ProgramRoots roots) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.operands = operands;
        this.observers = observers;
        this.roots = roots;
    }

    /**
     * A block, by one of seven paths; its id is in field 0 and the operands fill the rest, or
     * (one block in two) the operands come first and the id is in the last field, so that
     * programs hold pointers in every field, the first included (see {@link Observers#idIndex}).
     */
    void alloc(Act a) {
        int how = a.a() % 7;
        boolean idLast = (a.d() & ID_LAST_BIT) != 0;
        int tag = how == 5 ? 0 : TAGS[a.b() % TAGS.length]; // allocArray makes tag 0
        int slot = a.c() % STRONG;
        List<Object> xs = operands.values(a, 0);
        long id = Value.ofInt(a.id());
        long v;
        switch (how) {
            case 1 -> xs = List.of();
            case 2 -> xs = xs.subList(0, Math.min(1, xs.size()));
            case 3 -> xs = xs.subList(0, Math.min(2, xs.size()));
            case 5 -> xs = xs.isEmpty() ? List.of() : Collections.nCopies(1 + a.d() % 4, xs.get(0));
            default -> { }
        }
        List<Object> fs = xs;
        String[] paths = {"alloc(tag, size) + setField", "alloc(tag, f0)", "alloc(tag, f0, f1)", "alloc(tag, f0, f1, f2)",
            "allocFields", "allocArray", "alloc(tag, 300): a large block, born old"};
        trace.note("#" + a.id() + " = block tag " + tag + " fields " + show(fs) + (idLast ? ", id last," : "")
                + " via " + paths[how] + " -> S" + slot);
        int first = idLast ? 0 : 1; // the field of the first operand
        switch (how) {
            case 1 -> v = heap.alloc(tag, id);
            case 2 -> v = fs.size() == 1
                    ? operands.withTemps(fs, () -> idLast ? heap.alloc(tag, operands.heapOf(fs.get(0)), id)
                            : heap.alloc(tag, id, operands.heapOf(fs.get(0))))
                    : heap.alloc(tag, id);
            case 3 -> v = fs.size() == 2
                    ? operands.withTemps(fs, () -> idLast
                            ? heap.alloc(tag, operands.heapOf(fs.get(0)), operands.heapOf(fs.get(1)), id)
                            : heap.alloc(tag, id, operands.heapOf(fs.get(0)), operands.heapOf(fs.get(1))))
                    : operands.withTemps(fs, () -> heap.allocFields(tag, concat(id, fs, idLast)));
            case 4 -> v = operands.withTemps(fs, () -> heap.allocFields(tag, concat(id, fs, idLast)));
            case 5 -> {
                v = operands.withTemps(fs, () -> heap.allocArray(1 + fs.size(),
                        fs.isEmpty() ? Value.NONE : operands.heapOf(fs.get(0))));
                heap.setField(v, idLast ? fs.size() : 0, id);
            }
            default -> { // alloc(tag, size), or a large block born old, then stores
                int size = how == 6 ? BIG_WORDS : 1 + fs.size();
                v = heap.allocBlock(tag, size);
                heap.setField(v, idLast ? size - 1 : 0, id);
                xs = operands.stillPresent(fs);
                for (int i = 0; i < xs.size(); i++) {
                    heap.setField(v, first + i, operands.heapOf(xs.get(i)));
                }
            }
        }
        int fields = how == 6 ? BIG_WORDS - 1 : xs.size();
        Obj o = model.allocate(a.id(), Kind.BLOCK, fields, how != 6);
        for (int i = 0; i < xs.size(); i++) {
            o.fields[i] = xs.get(i);
        }
        observers.rememberTag(o, tag);
        observers.rememberIdLast(o, idLast);
        born(o, v, slot);
    }

    /** The fields of a new block: its id, then the operands' heap values; or the id last. */
    private long[] concat(long id, List<Object> ms, boolean idLast) {
        long[] out = new long[1 + ms.size()];
        int first = idLast ? 0 : 1;
        out[idLast ? ms.size() : 0] = id;
        for (int i = 0; i < ms.size(); i++) {
            out[first + i] = operands.heapOf(ms.get(i));
        }
        return out;
    }

    /** A leaf: a foreign box holding its id, or a custom block with its id in its first raw word. */
    void leaf(Act a) {
        long v;
        boolean foreign = a.a() % 2 == 1;
        trace.note("#" + a.id() + " = " + (foreign ? "allocForeign" : "allocCustom") + " -> S" + a.c() % STRONG);
        if (foreign) {
            v = heap.allocForeign(Integer.valueOf(a.id()));
            observers.rememberForeignLeaf(a.id());
        } else {
            v = heap.allocCustom(CUSTOM_KIND, 1);
            heap.setRawField(v, 1, a.id());
        }
        born(model.allocate(a.id(), Kind.LEAF, 0, true), v, a.c() % STRONG);
    }

    /** An ephemeron with 0..3 keys: empty, or made with keys and data, by the untyped or typed API. */
    void ephemeron(Act a) {
        int n = a.b() % 4;
        int how = a.a() % 4;
        Ephemerons eph = heap.ephemerons();
        List<Object> xs = operands.values(a, 0);
        while (xs.size() < n + 1) {
            xs.add(null);
        }
        xs = xs.subList(0, n + 1);          // data and keys: exactly what make roots
        Object data = xs.get(0);
        List<Object> keys = xs.subList(1, n + 1);
        String[] paths = {"Obj.Ephemeron.create", "K1/K2/Kn.create", "K1/K2/Kn.make", "create + set_key/set_data"};
        trace.note("#" + a.id() + " = ephemeron " + (how >= 2 ? "keys " + show(keys) + " data " + show(data)
                : "with " + n + " empty key(s)") + " via " + paths[how] + " -> S" + a.c() % STRONG);
        long e;
        if (how == 2) {
            e = operands.withTemps(xs, () -> {
                long d = operands.heapOf(data);
                if (n == 1) {
                    return eph.k1().make(operands.heapOf(keys.get(0)), d);
                } else if (n == 2) {
                    return eph.k2().make(operands.heapOf(keys.get(0)), operands.heapOf(keys.get(1)), d);
                }
                long[] ks = new long[n];
                for (int i = 0; i < n; i++) {
                    ks[i] = operands.heapOf(keys.get(i));
                }
                return eph.kn().make(ks, d);
            });
        } else {
            e = how == 1 ? (n == 1 ? eph.k1().create() : n == 2 ? eph.k2().create() : eph.kn().create(n))
                    : eph.create(n);
        }
        Obj o = model.allocate(a.id(), Kind.EPHEMERON, n, false);
        if (how == 2 || how == 3) {
            List<Object> now = how == 2 ? xs : operands.stillPresent(xs);
            for (int i = 0; i < n; i++) {
                o.fields[i] = now.get(1 + i);
                if (how == 3) {
                    eph.setKey(e, i, operands.heapOf(o.fields[i]));
                }
            }
            o.data = now.get(0);
            if (how == 3) {
                eph.setData(e, operands.heapOf(o.data));
            }
        }
        observers.rememberEphemeron(o, e);
        born(o, e, a.c() % STRONG);
    }

    /** A weak array of 1..5 slots, then {@code Weak.set} of the operands. */
    void weakArray(Act a) {
        int n = 1 + a.b() % 5;
        List<Object> init = operands.values(a, 0);
        trace.note("#" + a.id() + " = Weak.create " + n + ", then Weak.set " + show(init.subList(0, Math.min(n, init.size())))
                + " -> S" + a.c() % STRONG);
        long ar = heap.weak().create(n);
        Obj o = model.allocate(a.id(), Kind.EPHEMERON, n, false);
        List<Object> xs = operands.values(a, 0);
        for (int i = 0; i < n && i < xs.size(); i++) {
            heap.weak().set(ar, i, operands.heapOf(xs.get(i)));
            o.fields[i] = xs.get(i);
        }
        observers.rememberWeakArray(o, ar);
        born(o, ar, a.c() % STRONG);
    }

    /** A guardian. */
    void guardian(Act a) {
        trace.note("#" + a.id() + " = Guardians.make() -> S" + a.c() % STRONG);
        long g = heap.guardians().make();
        born(model.allocate(a.id(), Kind.GUARDIAN, 0, true), g, a.c() % STRONG);
    }

    /** The new object {@code o} at {@code v}: observed from now on, and held by strong root {@code slot}. */
    void born(Obj o, long v, int slot) {
        observers.watch(o, v);
        roots.setStrong(slot, v, o);
    }
}
