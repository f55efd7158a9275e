package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.ProgramRoots.WEAK;
import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.Heap;
import dev.ephemera.TestAccess;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Table;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The comparison of everything observable, heap against model: the alive set (what the model
 * freed the heap must have freed, what it keeps the heap must keep, as itself), every field,
 * key, data slot, root and guardian queue, and the finalisers registered and queued.
 */
final class Comparison {
    private final Heap heap;
    private final Model model;
    private final Observers observers;
    private final ProgramRoots roots;
    private final boolean relaxed;
    /** Objects the model freed since the last comparison, which the heap must have freed too. */
    private final List<Obj> freedUnchecked = new ArrayList<>();

    Comparison(Heap heap, Model model, Observers observers, ProgramRoots roots, boolean relaxed) {
        this.heap = heap;
        this.model = model;
        this.observers = observers;
        this.roots = roots;
        this.relaxed = relaxed;
    }

    /** The model freed {@code freed}: the next comparison checks that the heap did too. */
    void expectFreed(Collection<Obj> freed) {
        freedUnchecked.addAll(freed);
    }

    /**
     * Compares everything observable. In relaxed mode what a cycle selected is queued in the
     * heap and still registered in the model, so only the sum of the finalisers registered and
     * queued must agree.
     */
    void compare(String when) {
        for (Obj o : freedUnchecked) {
            if (observers.forget(o) != Value.NONE) {
                throw new Mismatch("alive set", when + ": " + o + " is dead in the model, but the heap kept it");
            }
        }
        freedUnchecked.clear();
        Map<Long, Obj> at = observers.pointers(when);
        for (Obj o : model.objects.values()) {
            long v = observers.peek(o);
            switch (o.kind) {
                case BLOCK -> {
                    for (int i = 0; i < o.fields.length; i++) {
                        same(when, "field " + i + " of " + o, heap.field(v, observers.fieldIndex(o, i)), o.fields[i], at);
                    }
                }
                case EPHEMERON -> {
                    for (int i = 0; i < o.fields.length; i++) {
                        same(when, "key " + i + " of " + o, TestAccess.peekKey(heap, v, i), o.fields[i], at);
                    }
                    same(when, "the data of " + o, TestAccess.peekData(heap, v), o.data, at);
                }
                case GUARDIAN -> {
                    if (!observers.guardianQueue(o, at).equals(o.handedBack)) {
                        throw new Mismatch("guardian", when + ": guardian " + o + " holds "
                                + observers.guardianQueue(o, at) + ", the model " + o.handedBack);
                    }
                }
                default -> { }
            }
        }
        for (int i = 0; i < STRONG; i++) {
            same(when, "strong root " + i, roots.strong(i), model.strong[i], at);
        }
        for (int i = 0; i < WEAK; i++) {
            same(when, "weak root " + i, roots.peekWeak(i), model.weak[i], at);
        }
        long registered = model.registered.stream().filter(g -> g.table == Table.FIRST || g.table == Table.LAST).count();
        if (relaxed) {
            // What a cycle selected is queued in the heap and still registered in the model.
            long heapAll = heap.gc().registeredFinalisers() + heap.gc().pendingFinalisers();
            if (heapAll != registered + model.pendingFinalisers()
                    || heap.gc().pendingFinalisers() < model.pendingFinalisers()) {
                throw new Mismatch("finalisers registered", when + ": the heap has " + heap.gc().registeredFinalisers()
                        + " registrations and " + heap.gc().pendingFinalisers() + " queued, the model " + registered
                        + " registrations and " + model.toRun + " queued");
            }
            return;
        }
        if (heap.gc().pendingFinalisers() != model.pendingFinalisers()) {
            throw new Mismatch("finalisers queued", when + ": the heap has " + heap.gc().pendingFinalisers()
                    + " finalisers queued, the model " + model.toRun);
        }
        if (heap.gc().registeredFinalisers() != registered) {
            throw new Mismatch("finalisers registered", when + ": the heap has " + heap.gc().registeredFinalisers()
                    + " registrations, the model " + registered);
        }
    }

    /** Checks that heap value {@code v} at {@code where} is model value {@code m}. */
    private void same(String when, String where, long v, Object m, Map<Long, Obj> at) {
        boolean ok = m == null ? v == Value.NONE : m instanceof Long ? v == Value.ofInt((Long) m) : at.get(v) == m;
        if (!ok) {
            throw new Mismatch(m == null && v != Value.NONE ? "not cleared" : "slot", when + ": " + where
                    + " holds " + Observers.describe(v, at) + ", the model " + show(m));
        }
    }
}
