package dev.ephemera.fuzz;

import dev.ephemera.GcListener;
import dev.ephemera.event.GcEvent;
import dev.ephemera.fuzz.Counts.Counter;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import java.util.Arrays;
import java.util.Set;

/**
 * Keeps the model in step with the heap's collections. The model does not guess when the heap
 * collects: collections are the heap's policy, not its semantics. Instead this listener applies
 * the model's {@link Model#minor} or {@link Model#major} each time the heap announces one,
 * including the collections an allocation triggers in the middle of an act (the model then
 * holds the act's arguments as {@link Model#temps}, exactly what the heap promises to root),
 * and compares after each. In relaxed mode a cycle that spanned acts is adopted instead
 * ({@link RelaxedSync}).
 */
final class Lockstep implements GcListener {
    private final Model model;
    private final Counts counts;
    private final Observers observers;
    private final Deliveries deliveries;
    private final RelaxedSync relaxedSync;
    private final Comparison comparison;
    private final boolean relaxed;

    Lockstep(Model model, Counts counts, Observers observers, Deliveries deliveries, RelaxedSync relaxedSync,
            Comparison comparison, boolean relaxed) {
        this.model = model;
        this.counts = counts;
        this.observers = observers;
        this.deliveries = deliveries;
        this.relaxedSync = relaxedSync;
        this.comparison = comparison;
        this.relaxed = relaxed;
    }

    @Override
    public void starting(GcEvent.Kind kind, String reason) {
        deliveries.sync("before a " + kind + " collection", null, null);
        if (kind == GcEvent.Kind.MAJOR) {
            relaxedSync.majorCycleStarting();
        }
        if (kind == GcEvent.Kind.MAJOR && model.objects.values().stream().anyMatch(o -> o.young)) {
            throw new Mismatch("minor before major", "a major collection (" + reason
                    + ") started with young objects in the nursery");
        }
    }

    @Override
    public void slice(GcEvent event) {
        counts.add(Counter.MAJOR_SLICES);
        if (relaxed) {
            relaxedSync.sync("after major slice " + event.number + " (" + event.reason + ")");
            comparison.compare("after major slice " + event.number);
        }
    }

    @Override
    public void collected(GcEvent event) {
        if (event.kind == GcEvent.Kind.COMPACTION) {
            // not a collection: nothing dies, blocks move (ephemerons too); the
            // observers follow them, so the ephemerons' addresses are learnt again
            counts.add(Counter.COMPACTIONS);
            observers.relearnEphemeronAddresses();
            comparison.compare("after compaction " + event.number + " (" + event.reason + ")");
            return;
        }
        String when = "after " + event.kind.name().toLowerCase() + " collection " + (model.collections + 1)
                + " (" + event.reason + ")";
        if (relaxed) {
            relaxedSync.sync(when);
            // A cycle run whole in one slice, with nothing it selected earlier still
            // queued, is the model's major collection exactly; one that spanned acts is
            // what relaxedSync adopted.
            boolean exact = event.kind == GcEvent.Kind.MINOR || (event.work == 1 && relaxedSync.cycleStartAgrees());
            if (!exact) {
                counts.add(Counter.MAJOR_COLLECTIONS);
                comparison.compare(when);
                return;
            }
        }
        long full = fullWeakSlots();
        Set<Obj> freed = event.kind == GcEvent.Kind.MINOR ? model.minor() : model.major();
        long ofFreed = freed.stream().filter(o -> o.kind == Kind.EPHEMERON)
                .mapToLong(o -> Arrays.stream(o.fields).filter(x -> x instanceof Obj).count()
                        + (o.data instanceof Obj ? 1 : 0)).sum();
        counts.add(Counter.SLOTS_CLEARED, full - fullWeakSlots() - ofFreed);
        counts.add(event.kind == GcEvent.Kind.MINOR ? Counter.MINOR_COLLECTIONS : Counter.MAJOR_COLLECTIONS);
        comparison.expectFreed(freed);
        comparison.compare("after " + event.kind.name().toLowerCase() + " collection " + model.collections
                + " (" + event.reason + ")");
    }

    /** Weak slots (keys, data, weak roots) holding an object: a collection can only empty them. */
    private long fullWeakSlots() {
        long n = Arrays.stream(model.weak).filter(x -> x instanceof Obj).count();
        for (Obj e : model.objects.values()) {
            if (e.kind == Kind.EPHEMERON) {
                n += Arrays.stream(e.fields).filter(x -> x instanceof Obj).count() + (e.data instanceof Obj ? 1 : 0);
            }
        }
        return n;
    }
}
