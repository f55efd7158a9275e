package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.ProgramRoots.WEAK;
import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Op;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Reg;
import dev.ephemera.model.Model.Table;
import dev.ephemera.object.Value;
import java.util.List;
import java.util.Set;

/**
 * Executes one act on both sides, the heap and the model: the acts on blocks, roots,
 * registrations and collections here, the rest by the step classes of their subject
 * ({@link AllocationSteps}, {@link EphemeronSteps}, {@link FinaliserSteps},
 * {@link Deliveries}). An act whose target does not exist is a no-op.
 */
final class StepExecutor {
    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Operands operands;
    private final Observers observers;
    private final ProgramRoots roots;
    private final FinaliserBodies bodies;
    private final AllocationSteps allocation;
    private final EphemeronSteps ephemerons;
    private final FinaliserSteps finalisers;
    private final Deliveries deliveries;
    private final SafePoints safePoints;
    private final RelaxedSync relaxedSync;
    private final boolean relaxed;
    /** The heap runs pending finalisers at allocations too: any allocation is a safe point. */
    private final boolean finalisersAtAllocation;

    StepExecutor(Heap heap, Model model, Trace trace, Operands operands, Observers observers, ProgramRoots roots,
            FinaliserBodies bodies, AllocationSteps allocation, EphemeronSteps ephemerons, FinaliserSteps finalisers,
            Deliveries deliveries, SafePoints safePoints, RelaxedSync relaxedSync, FuzzConfig config) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.operands = operands;
        this.observers = observers;
        this.roots = roots;
        this.bodies = bodies;
        this.allocation = allocation;
        this.ephemerons = ephemerons;
        this.finalisers = finalisers;
        this.deliveries = deliveries;
        this.safePoints = safePoints;
        this.relaxedSync = relaxedSync;
        this.relaxed = config.relaxed();
        this.finalisersAtAllocation = config.finalisersAtAllocation();
    }

    /** Executes one act on both sides (a top-level act, or one of a finaliser body). */
    void exec(Act a) {
        if (!applicable(a)) {
            return; // its target does not exist: a no-op
        }
        if (bodies.depth() == 0 && finalisersAtAllocation) {
            try {
                execute(a);
            } catch (FinaliserSteps.Boom b) {
                // A finaliser run by an allocation threw: the exception reaches the code at that
                // safe point (OCaml's rule), and the act stops there, before the allocation.
                trace.event("(a finaliser run at an allocation threw; the act stops there)");
                // nothing may have been lost
                deliveries.sync("after a finaliser threw at an allocation", null, null);
            }
            return;
        }
        execute(a);
    }

    private void execute(Act a) {
        trace.act(a.op().name().toLowerCase());
        switch (a.op()) {
            case ALLOC -> allocation.alloc(a);
            case LEAF -> allocation.leaf(a);
            case EPHE -> allocation.ephemeron(a);
            case WEAK_ARRAY -> allocation.weakArray(a);
            case GUARDIAN -> allocation.guardian(a);
            case SET_FIELD -> {
                Obj o = operands.target(a, 0, Kind.BLOCK);
                Object x = operands.modelOf(a.vals().get(1));
                int i = a.a() % o.fields.length;
                trace.note(o + ".field" + i + " := " + show(x));
                heap.setField(operands.heapOf(o), observers.fieldIndex(o, i), operands.heapOf(x));
                o.fields[i] = x;
            }
            case SET_KEY -> ephemerons.setKey(a);
            case SET_DATA -> ephemerons.setData(a);
            case BLIT_KEY -> ephemerons.blitKey(a);
            case BLIT_DATA -> ephemerons.blitData(a);
            case FILL -> ephemerons.fill(a);
            case GET -> ephemerons.get(a);
            case QUERY -> ephemerons.query(a);
            case STORE -> {
                Object x = operands.modelOf(a.vals().get(0));
                trace.note("S" + a.a() % STRONG + " := " + show(x));
                roots.setStrong(a.a() % STRONG, operands.heapOf(x), x);
            }
            case SET_WEAK -> {
                Object x = operands.modelOf(a.vals().get(0));
                trace.note("W" + a.a() % WEAK + " := " + show(x) + " (weak root)");
                roots.setWeak(a.a() % WEAK, operands.heapOf(x), x);
            }
            case FINALISE -> finalisers.finalise(a);
            case GUARD -> {
                Obj g = operands.target(a, 0, Kind.GUARDIAN);
                Obj o = operands.target(a, 1, null);
                trace.note("Guardians.register(" + g + ", " + o + ")  [reg" + a.id() + "]");
                heap.guardians().register(operands.heapOf(g), operands.heapOf(o));
                model.register(a.id(), Table.GUARDIAN, o, g, null);
            }
            case GUARD_POLL -> deliveries.guardianPoll(a);
            case MPS_FINALIZE -> {
                Obj o = operands.target(a, 0, null);
                trace.note("Messages.finalize(" + o + ")  [reg" + a.id() + "]");
                heap.messages().finalize(operands.heapOf(o));
                model.register(a.id(), Table.MPS, o, null, null);
            }
            case MPS_DEFINALIZE -> {
                Obj o = operands.target(a, 0, null);
                trace.note("Messages.definalize(" + o + ")");
                boolean removed = heap.messages().definalize(operands.heapOf(o));
                List<Reg> ofO = model.registered.stream().filter(g -> g.table == Table.MPS && g.value == o).toList();
                // relaxed mode: a cycle may have selected every registration of o (its message is coming)
                boolean allSelected = relaxed && relaxedSync.allSelected(ofO);
                // and the heap removed one it had not posted: the model drops one no cycle
                // could have selected when it can (seed -2446690008595141983: it dropped the
                // one the heap had posted, and that message then matched nothing)
                if (removed ? !model.definalize(o, relaxed ? relaxedSync.eligible() : Set.of())
                        : !ofO.isEmpty() && !allSelected) {
                    throw new Mismatch("definalize", "mps_definalize(" + o + ") returned " + removed);
                }
            }
            case MSG_TAKE -> {
                int dest = a.a() % (STRONG + 1);
                trace.note("take a finalization message" + (dest < STRONG ? ", its block -> S" + dest : "")
                        + ", discard it");
                deliveries.takeMessage(dest);
            }
            case MINOR -> {
                trace.note("Gc.minor()");
                safePoints.run(a.op(), () -> heap.gc().minor());
            }
            case MAJOR -> {
                trace.note("Gc.major()");
                safePoints.run(a.op(), () -> heap.gc().major());
            }
            case FULL_MAJOR -> {
                trace.note("Gc.full_major()");
                safePoints.run(a.op(), () -> heap.gc().fullMajor());
            }
            case POLL -> {
                trace.note("Heap.poll()");
                safePoints.run(a.op(), heap::poll);
            }
            case SLICE -> {
                trace.note("Gc.major_slice(0)");
                safePoints.run(a.op(), () -> heap.gc().majorSlice(0));
            }
            case COMPACT -> {
                trace.note("Gc.compact()");
                safePoints.run(a.op(), () -> heap.gc().compact());
            }
            case JUNK -> {
                trace.note("allocate " + (1 + a.a() % 48) + " garbage blocks");
                for (int i = 0; i <= a.a() % 48; i++) {
                    heap.allocBlock(0, 1 + i % 6);
                }
            }
            case SCOPED -> {
                Object x = operands.modelOf(a.vals().get(0));
                int dest = a.b() % STRONG;
                trace.note("in a new scope: h := " + show(x) + ", allocate " + (1 + a.a() % 48) + " garbage blocks, S"
                        + dest + " := h");
                model.temps.push(x == null ? Val.NONE : x);
                try (Scope inner = heap.openScope()) {
                    Handle h = inner.handle(operands.heapOf(x));
                    for (int i = 0; i <= a.a() % 48; i++) {
                        heap.alloc(0, Value.NONE, Value.NONE);
                    }
                    roots.setStrong(dest, h.get(), x);
                } finally {
                    model.temps.pop();
                }
            }
            case RESIZE -> {
                int words = 256 << (a.a() % 4);
                trace.note("Gc.set minor_heap_size " + words);
                heap.gc().setMinorHeapWords(words);
            }
            case RELEASE -> {
                trace.note("Gc.finalise_release()");
                heap.gc().finaliseRelease();
                model.finaliseRelease();
            }
            case THROW -> {
                trace.note("throw");
                throw new FinaliserSteps.Boom();
            }
            default -> throw new IllegalStateException(a.op().toString());
        }
    }

    /** False if the act's target does not exist now (the act is then a no-op). */
    private boolean applicable(Act a) {
        return switch (a.op()) {
            case SET_FIELD -> operands.target(a, 0, Kind.BLOCK) != null
                    && operands.target(a, 0, Kind.BLOCK).fields.length > 0;
            case SET_KEY -> operands.target(a, 0, Kind.EPHEMERON) != null
                    && operands.target(a, 0, Kind.EPHEMERON).fields.length > 0;
            case SET_DATA, FILL, QUERY -> operands.target(a, 0, Kind.EPHEMERON) != null;
            case BLIT_KEY, BLIT_DATA -> operands.target(a, 0, Kind.EPHEMERON) != null
                    && operands.target(a, 1, Kind.EPHEMERON) != null;
            case GET -> a.a() % 3 == 2 || operands.target(a, 0, Kind.EPHEMERON) != null
                    && (a.a() % 3 == 1 || operands.target(a, 0, Kind.EPHEMERON).fields.length > 0);
            case FINALISE, MPS_FINALIZE, MPS_DEFINALIZE -> operands.target(a, 0, null) != null;
            case GUARD -> operands.target(a, 0, Kind.GUARDIAN) != null && operands.target(a, 1, null) != null;
            case GUARD_POLL -> operands.target(a, 0, Kind.GUARDIAN) != null;
            case THROW, RELEASE -> bodies.depth() > 0 || a.op() == Op.RELEASE;
            case ALLOC, LEAF, EPHE, WEAK_ARRAY, GUARDIAN -> !model.objects.containsKey(a.id());
            default -> true;
        };
    }
}
