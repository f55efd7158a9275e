package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.WEAK;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.TestAccess;
import dev.ephemera.fuzz.Counts.Counter;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Reg;
import dev.ephemera.model.Model.Table;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relaxed mode (the incremental configurations, {@link FuzzConfig#relaxed()}): keeping the
 * model in step with a major cycle that spans acts.
 *
 * <p>The model's major collection is stop-the-world; a cycle that runs in slices between acts
 * frees, clears and selects what was dead when it marked, which the model cannot foresee. So
 * at every collection and slice the run adopts into the model what the heap did ahead of it,
 * after checking that the model allows it ({@link #sync}); and a registration whose value the
 * model found dead since it was made becomes eligible: a cycle may have selected it, and the
 * heap's finaliser calls, hand-backs and messages for it are adopted when they come.
 */
final class RelaxedSync {
    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Counts counts;
    private final Observers observers;
    private final ProgramRoots roots;
    /**
     * Registrations whose value the model found dead at a collection since they were made —
     * the only ones a cycle may have selected.
     */
    private final Set<Reg> eligible = new HashSet<>();
    /** When the cycle now running started, nothing was selected that the model did not know. */
    private boolean cycleStartAgrees;

    RelaxedSync(Heap heap, Model model, Trace trace, Counts counts, Observers observers, ProgramRoots roots) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.counts = counts;
        this.observers = observers;
        this.roots = roots;
    }

    /** A major cycle starts: notes whether the model knows everything selected so far. */
    void majorCycleStarting() {
        // a cycle the model can follow exactly starts with nothing selected that the
        // model has not adopted: no finaliser, message or hand-back it does not know
        cycleStartAgrees = heap.gc().pendingFinalisers() == model.pendingFinalisers()
                && TestAccess.pendingFinalizationMessages(heap) == model.messages.size()
                && TestAccess.pendingHandBacks(heap) == model.toDeliver.size();
    }

    /** True if, when the cycle now running started, nothing was selected that the model did not know. */
    boolean cycleStartAgrees() {
        return cycleStartAgrees;
    }

    /** The registrations a cycle may have selected (a view, for error messages). */
    Set<Reg> eligible() {
        return Collections.unmodifiableSet(eligible);
    }

    /** True if {@code regs} is not empty and a cycle may have selected every one of them. */
    boolean allSelected(List<Reg> regs) {
        return !regs.isEmpty() && eligible.containsAll(regs);
    }

    /**
     * At every collection and slice: adopts into the model what the heap did ahead of it,
     * after checking that the model allows it — every object the heap freed, every weak root
     * it splatted, every key it emptied is dead in the model now (dead things stay dead:
     * nothing reaches them again, and a weak read of one while a cycle marks keeps it); data is
     * emptied only with a key. Registrations whose value is dead now become eligible. The
     * comparison that follows is then exact.
     */
    void sync(String when) {
        Set<Obj> alive = model.aliveNow();
        // A value with a resurrecting registration (finalise-first, an MPS finalization, a live
        // guardian) is brought back by it before finalise-last rows are looked at, so none of its
        // finalise-last registrations can be selected until that one has been delivered (and
        // the model has adopted it). Without this rule a finalise-last call with a heap function
        // could be matched to the wrong one of two dead values.
        Set<Obj> resurrected = new HashSet<>();
        for (Reg g : model.registered) {
            if (g.table == Table.FIRST || g.table == Table.MPS
                    || (g.table == Table.GUARDIAN && g.function != null && alive.contains(g.function))) {
                resurrected.add(g.value);
            }
        }
        for (Reg g : model.registered) {
            if (g.table == Table.LAST && resurrected.contains(g.value)) {
                continue;
            }
            // A guarded value may be handed back once it is dead; whether its guardian lives the
            // model cannot always tell (the heap may hold it through a value a cycle selected and
            // the model adopts only when it is delivered), and a dead guardian's queue is unseen.
            if (!alive.contains(g.value) && eligible.add(g)) {
                trace.event("(" + when + ": " + g + " may be selected)");
            }
        }
        for (int i = 0; i < WEAK; i++) {
            if (model.weak[i] instanceof Obj o && roots.peekWeak(i) == Value.NONE) {
                if (alive.contains(o)) {
                    throw new Mismatch("cleared", when + ": weak root " + i + " was splatted, but " + o
                            + " is alive in the model");
                }
                model.weak[i] = null;
            }
        }
        List<Obj> freed = new ArrayList<>();
        for (Obj o : model.objects.values()) {
            long v = observers.peek(o);
            if (v == Value.NONE) {
                if (alive.contains(o)) {
                    throw new Mismatch("alive set", when + ": " + o + " is alive in the model, but the heap freed it");
                }
                freed.add(o);
                continue;
            }
            if (o.kind != Kind.EPHEMERON) {
                continue;
            }
            boolean cleared = false;
            for (int i = 0; i < o.fields.length; i++) {
                if (o.fields[i] instanceof Obj k && TestAccess.peekKey(heap, v, i) == Value.NONE) {
                    if (alive.contains(k)) {
                        throw new Mismatch("cleared", when + ": key " + i + " of " + o + " was emptied, but " + k
                                + " is alive in the model");
                    }
                    o.fields[i] = null;
                    cleared = true;
                    counts.add(Counter.SLOTS_CLEARED);
                }
            }
            if (o.data != null && TestAccess.peekData(heap, v) == Value.NONE) {
                if (!cleared) {
                    throw new Mismatch("cleared", when + ": the data of " + o + " was emptied without any key"
                            + " (keys " + Arrays.toString(o.fields) + ")");
                }
                o.data = null;
            } else if (cleared && o.data != null) {
                throw new Mismatch("not cleared", when + ": a key of " + o + " was emptied but not its data");
            }
        }
        for (Obj o : freed) {
            for (Reg g : model.registered) {
                if (g.value == o && (g.table == Table.FIRST || g.table == Table.MPS)) {
                    throw new Mismatch("alive set", when + ": " + o + " was freed while registered with " + g);
                }
            }
            model.adoptFreed(o);
            observers.forget(o);
        }
        Set<Obj> gone = Set.copyOf(freed);
        model.registered.removeIf(g -> g.table == Table.GUARDIAN && gone.contains(g.function));
    }

    /**
     * The finaliser the heap starts is the model's next (a batch the model queued, from a minor
     * collection or a whole cycle) or one a cycle the model did not follow selected: still
     * registered, and eligible. Returns it, started in the model, or null. {@code reg} is the
     * registration of a Java finaliser; for a heap function, {@code function} is its handle.
     */
    Reg startFinaliser(Integer reg, Handle value, Handle function) {
        if (model.finaliserRunning) {
            return null;
        }
        Map<Long, Obj> at = observers.pointers("when a finaliser starts");
        Obj fn = function == null ? null : at.get(function.get());
        Obj v = value == null ? null : at.get(value.get());
        if (reg == null && function != null && Value.isInt(function.get())) {
            reg = (int) Value.intOf(function.get()); // a heap function given as its registration's id
        }
        if (!model.toRun.isEmpty()) {
            List<Reg> batch = model.toRun.peekFirst();
            Reg next = batch.get(batch.size() - 1);
            boolean matches = reg != null ? next.id == reg
                    : ((FinaliserSteps.Finaliser) next.action).heapFunction() && next.function == fn
                        && (next.table == Table.LAST ? v == null : next.value == v);
            if (matches) {
                return model.startFinaliser();
            }
        }
        // Two finalise-last calls of one heap function cannot be told apart by what the heap
        // passes (no value). Of the eligible registrations that match, those the heap no longer
        // watches are the ones it selected; of them the latest, since the heap runs a batch in
        // reverse registration order. Matched to the wrong one, a call left the model holding a
        // registration the heap had run (seed 4137984342458305804) or had queued to run later
        // (seed 7555247465554392204), and later calls matched nothing.
        Reg g = null;
        boolean gSelected = false;
        for (Reg c : model.registered) {
            if (!(c.table == Table.FIRST || c.table == Table.LAST) || !eligible.contains(c)) {
                continue;
            }
            boolean matches = reg != null ? c.id == reg
                    : ((FinaliserSteps.Finaliser) c.action).heapFunction() && c.function == fn
                        && (c.table == Table.LAST ? v == null : c.value == v);
            if (!matches) {
                continue;
            }
            boolean selected = c.table != Table.LAST || !TestAccess.watchesFinaliseLast(heap, observers.peekIfObserved(c.value));
            if (g == null || selected || !gSelected) {
                g = c;
                gSelected = selected;
            }
        }
        if (g == null) {
            return null;
        }
        model.startSelected(g);
        eligible.remove(g);
        return g;
    }

    /**
     * The heap handed {@code value} back through {@code guardian} ahead of the model: the
     * registration a cycle selected for it, delivered in the model, or null if there is none.
     */
    Reg adoptHandBack(Obj value, Obj guardian) {
        Reg due = selected(Table.GUARDIAN, value, guardian);
        if (due != null) {
            model.deliverSelected(due);
            eligible.remove(due);
        }
        return due;
    }

    /**
     * The heap posted a finalization message for {@code value} ahead of the model: the
     * registration a cycle selected for it, posted in the model, or null if there is none.
     */
    Reg adoptMessage(Obj value) {
        Reg due = selected(Table.MPS, value, null);
        if (due != null) {
            model.postSelected(due);
            eligible.remove(due);
        }
        return due;
    }

    /** An eligible registration of {@code table} for {@code value} (and guardian, if not null). */
    private Reg selected(Table table, Obj value, Obj guardian) {
        for (Reg c : model.registered) {
            if (c.table == table && c.value == value && (guardian == null || c.function == guardian) && eligible.contains(c)) {
                return c;
            }
        }
        return null;
    }
}
