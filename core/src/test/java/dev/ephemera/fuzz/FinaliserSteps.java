package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.Gc;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.WrongTagException;
import dev.ephemera.fuzz.Counts.Counter;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Reg;
import dev.ephemera.model.Model.Table;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finalisers: their registration ({@code FINALISE}, through each of OCaml's and Core's
 * registration functions), and their calls. The heap calls a finaliser, and each call must be
 * the one the model says is next ({@link Model#startFinaliser}), with the value the model
 * says, at a safe point; its body's acts then run in the program, nested.
 */
final class FinaliserSteps {
    /** What the client runs for a registration: its body, and whether it is a heap function (applied). */
    record Finaliser(List<Act> body, boolean heapFunction) {}

    /** What a finaliser body throws. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("finaliser body throws (as the program says)", null, false, false);
        }
    }

    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Counts counts;
    private final Operands operands;
    private final Observers observers;
    private final FinaliserBodies bodies;
    private final SafePoints safePoints;
    private final RelaxedSync relaxedSync;
    /** Runs one act of a finaliser body (the run's executor). */
    private final Consumer<Act> bodyAct;
    private final boolean relaxed;
    /** The heap runs pending finalisers at allocations too: any allocation is a safe point. */
    private final boolean finalisersAtAllocation;

    FinaliserSteps(Heap heap, Model model, Trace trace, Counts counts, Operands operands, Observers observers,
            FinaliserBodies bodies, SafePoints safePoints, RelaxedSync relaxedSync, Consumer<Act> bodyAct,
            FuzzConfig config) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.counts = counts;
        this.operands = operands;
        this.observers = observers;
        this.bodies = bodies;
        this.safePoints = safePoints;
        this.relaxedSync = relaxedSync;
        this.bodyAct = bodyAct;
        this.relaxed = config.relaxed();
        this.finalisersAtAllocation = config.finalisersAtAllocation();
    }

    /** Registers a finaliser by one of eleven functions; LAZY and FORWARD blocks are refused as each function says. */
    void finalise(Act a) {
        Obj o = operands.target(a, 0, null);
        int api = a.a() % 11;
        boolean last = api % 2 == 1;
        // OCaml's raise Invalid_argument on a refusal; Core's _exn variants raise Failure
        // (Heap_block.is_ok is false); the others, With_leak_protection included, ignore it
        boolean ocaml = api <= 1 || api == 4 || api == 5;
        boolean coreExn = api == 6 || api == 7;
        Object fn = api == 4 || api == 5 ? operands.modelOf(a.vals().size() > 1 ? a.vals().get(1) : Val.NONE) : null;
        Obj function = fn instanceof Obj ? (Obj) fn : null;
        int tag = o.kind == Kind.BLOCK ? observers.tagOf(o) : 0;
        boolean refused = tag == Tag.LAZY || tag == Tag.FORWARD;
        long v = operands.heapOf(o);
        Integer reg = a.id();
        String[] apis = {"Gc.finalise", "Gc.finalise_last", "Gc.add_finalizer", "Gc.add_finalizer_last",
            "Gc.finalise (heap function " + show(function) + ")", "Gc.finalise_last (heap function " + show(function) + ")",
            "Gc.add_finalizer_exn", "Gc.add_finalizer_last_exn", "Gc.add_finalizer_ignore", "Gc.add_finalizer_last_ignore",
            "Gc.With_leak_protection.add_finalizer"};
        trace.note(apis[api] + " on " + o + "  [reg" + a.id() + ", body of " + a.body().size() + " acts]"
                + (refused ? " (refused: " + Tag.name(tag) + ")" : ""));
        Gc gc = heap.gc();
        try {
            switch (api) {
                case 0 -> gc.finalise(h -> called(reg, h, null), v);
                case 1 -> gc.finaliseLast(() -> called(reg, null, null), v);
                case 2 -> gc.addFinalizer(v, h -> called(reg, h, null));
                case 3 -> gc.addFinalizerLast(v, () -> called(reg, null, null));
                case 4 -> gc.finaliseWith(heapFunction(function, reg), v);
                case 5 -> gc.finaliseLastWith(heapFunction(function, reg), v);
                case 6 -> gc.addFinalizerExn(v, h -> called(reg, h, null));
                case 7 -> gc.addFinalizerLastExn(v, () -> called(reg, null, null));
                case 8 -> gc.addFinalizerIgnore(v, h -> called(reg, h, null));
                case 9 -> gc.addFinalizerLastIgnore(v, () -> called(reg, null, null));
                default -> operands.withTemps(List.of(o), () -> {  // allocates a foreign box and an ephemeron
                    gc.addFinalizerWithLeakProtection(operands.heapOf(o), h -> called(reg, h, null));
                    return 0;
                });
            }
            if (refused && (ocaml || coreExn)) {
                throw new Mismatch("finalise refusal", apis[api] + " accepted a " + Tag.name(tag) + " block");
            }
        } catch (WrongTagException e) {
            if (!(refused && ocaml)) {
                throw e;
            }
        } catch (IllegalArgumentException e) {
            if (!(refused && coreExn && String.valueOf(e.getMessage()).contains("Heap_block.create_exn"))) {
                throw e;
            }
        }
        if (!refused) {
            model.register(a.id(), last ? Table.LAST : Table.FIRST, o, function,
                    new Finaliser(a.body(), api == 4 || api == 5));
        }
    }

    /**
     * The heap function registered for {@code function}. With no function object, the
     * registration's id as an immediate: the heap refuses NONE as a function, and applies
     * whatever else it is given; in relaxed mode two dead values' finalise-last calls with the
     * same function would otherwise be indistinguishable, when a cycle the model did not follow
     * selects one of them.
     */
    private long heapFunction(Obj function, int reg) {
        return function == null ? Value.ofInt(reg) : operands.heapOf(function);
    }

    /**
     * The heap runs a finaliser: it must be the one the model says is next. {@code reg} is the
     * registration of a Java finaliser; for a heap function, {@code function} is its handle.
     */
    void called(Integer reg, Handle value, Handle function) {
        String who = reg != null ? "reg" + reg : "heap function";
        if (!safePoints.inside()) {
            counts.add(Counter.FINALISERS_AT_ALLOCATIONS);
        }
        if (!safePoints.inside() && !finalisersAtAllocation) {
            throw new Mismatch("safe point", "the heap ran " + who + " outside a safe point (finalisers run only at"
                    + " poll() and the explicit collection calls)");
        }
        Reg r = relaxed ? relaxedSync.startFinaliser(reg, value, function) : model.startFinaliser();
        if (r == null) {
            throw new Mismatch("finaliser order", "the heap ran " + who + " but the model runs none now ("
                    + (model.finaliserRunning ? "one is running" : "none is queued") + ")");
        }
        try {
            Map<Long, Obj> at = observers.pointers("when a finaliser starts");
            if (reg != null && r.id != reg || (reg == null) != ((Finaliser) r.action).heapFunction()) {
                throw new Mismatch("finaliser order", "the heap ran " + who + ", the model expected " + r);
            }
            if (function != null && at.get(function.get()) != r.function) {
                throw new Mismatch("finaliser order", "the heap applied " + Observers.describe(function.get(), at)
                        + ", the model expected " + r);
            }
            Object got = value == null ? null : at.get(value.get());
            if (got != (r.table == Table.LAST ? null : r.value)) {
                throw new Mismatch("finaliser value", r + " was called with " + show(got));
            }
            trace.event("finaliser " + r + " runs");
            counts.add(Counter.FINALISERS_RUN);
            bodies.enter(r.table == Table.LAST ? null : r.value);
            safePoints.bodyStarts();
            try {
                for (Act b : ((Finaliser) r.action).body()) {
                    bodyAct.accept(b);
                }
            } finally {
                safePoints.bodyEnded();
                bodies.leave();
            }
        } finally {
            model.finaliserEnded(r);
        }
    }
}
