package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.ProgramRoots.WEAK;

import dev.ephemera.GcListener;
import dev.ephemera.Heap;
import dev.ephemera.Message;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Op;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.object.Value;
import java.util.List;

/**
 * Runs a program on a real heap and on the {@link Model} side by side, and checks that they
 * agree after every collection.
 *
 * <h2>Lockstep</h2>
 * The model does not guess when the heap collects: a {@link GcListener} ({@link Lockstep})
 * applies the model's collection each time the heap announces one, including those an
 * allocation triggers in the middle of an act, and then {@link Comparison#compare} checks the
 * whole observable state. Finalisers run the same way: the heap calls them, and each call must
 * be the one the model says is next ({@link FinaliserSteps}). In the incremental
 * configurations a cycle spans acts, and the run adopts what the model allows
 * ({@link RelaxedSync}).
 *
 * <h2>What is observed</h2>
 * Every object gets a weak root when it is allocated, which reads the heap's alive set without
 * keeping anything alive, and every object carries what names it ({@link Observers}). Then
 * every field, key, data slot, root ({@link ProgramRoots}), guardian queue, queued-finaliser
 * count and registration count is compared.
 *
 * <h2>Parts</h2>
 * {@link StepExecutor} runs acts, with {@link AllocationSteps}, {@link EphemeronSteps},
 * {@link FinaliserSteps} and {@link Deliveries} (guardian hand-backs and finalization
 * messages); {@link SafePoints} checks what each explicit safe point left; {@link Operands}
 * resolves operands; {@link Trace} and {@link Counts} report.
 */
final class Run implements AutoCloseable {
    private final Heap heap;
    /** The reference model, run in step (the generator looks at what exists in it). */
    final Model model = new Model(STRONG, WEAK);
    private final Trace trace;
    private final Counts counts = new Counts();
    private final ProgramRoots roots;
    private final Deliveries deliveries;
    private final SafePoints safePoints;
    private final Comparison comparison;
    private final StepExecutor executor;

    Run(FuzzConfig config) {
        boolean relaxed = config.relaxed();
        heap = Heap.create(config.heapConfig());
        roots = new ProgramRoots(heap, model);
        FinaliserBodies bodies = new FinaliserBodies();
        trace = new Trace(bodies);
        Observers observers = new Observers(heap, model);
        Operands operands = new Operands(model, observers, bodies);
        RelaxedSync relaxedSync = new RelaxedSync(heap, model, trace, counts, observers, roots);
        deliveries = new Deliveries(heap, model, trace, counts, operands, observers, roots, relaxedSync, relaxed);
        safePoints = new SafePoints(heap, model, trace, counts, bodies, deliveries, relaxed);
        comparison = new Comparison(heap, model, observers, roots, relaxed);
        AllocationSteps allocation = new AllocationSteps(heap, model, trace, operands, observers, roots);
        EphemeronSteps ephemerons = new EphemeronSteps(heap, model, trace, operands, observers, roots, allocation);
        FinaliserSteps finalisers = new FinaliserSteps(heap, model, trace, counts, operands, observers, bodies,
                safePoints, relaxedSync, this::exec, config);
        executor = new StepExecutor(heap, model, trace, operands, observers, roots, bodies, allocation, ephemerons, finalisers,
                deliveries, safePoints, relaxedSync, config);
        heap.messages().enable(Message.Type.FINALIZATION);
        heap.gc().setFinaliserApplier((function, value) -> finalisers.called(null, value, function));
        heap.gc().addListener(new Lockstep(model, counts, observers, deliveries, relaxedSync, comparison, relaxed));
    }

    /** One line per act executed, operands resolved: the readable form of a failing program. */
    List<String> trace() {
        return trace.lines();
    }

    Counts counts() {
        return counts;
    }

    /** Executes one act on both sides. */
    void exec(Act a) {
        executor.exec(a);
    }

    /**
     * The end of a program: a safe point, then every message and guardian drained, every root
     * dropped, and two full major collections; the heap must agree with the model throughout.
     */
    void finish() {
        trace.act("(end) Heap.poll()");
        for (int i = 0; i < 50 && !safePoints.run(Op.POLL, heap::poll); i++) {
            trace.act("(end) Heap.poll() again");
        }
        comparison.compare("at the end of the program");
        trace.act("(end) every root := none");
        for (int i = 0; i < STRONG; i++) {
            roots.setStrong(i, Value.NONE, null);
        }
        for (int i = 0; i < WEAK; i++) {
            roots.setWeak(i, Value.NONE, null);
        }
        for (int round = 0; round < 3; round++) {
            trace.act("(end) take and discard every finalization message");
            // every message the heap has: in relaxed mode it may have some the model adopts only now
            for (int i = 0; i < 100_000 && deliveries.takeMessage(STRONG); i++) {
                trace.act("(end) take another message");
            }
            trace.act("(end) Gc.full_major()");
            for (int i = 0; i < 50 && !safePoints.run(Op.FULL_MAJOR, () -> heap.gc().fullMajor()); i++) {
                trace.act("(end) Gc.full_major() again");
            }
            for (Obj g : List.copyOf(model.objects.values())) {
                while (g.kind == Kind.GUARDIAN && model.objects.containsKey(g.id) && !g.handedBack.isEmpty()) {
                    trace.act("(end)");
                    deliveries.guardianPoll(new Act(Op.GUARD_POLL, 0, STRONG, 0, 0, 0, List.of(Val.ref(g.id)), List.of()));
                }
            }
        }
        comparison.compare("after the final collections");
    }

    @Override
    public void close() {
        try {
            heap.close();
        } catch (RuntimeException ignored) {
            // the run failed; the heap may be in any state
        }
    }
}
