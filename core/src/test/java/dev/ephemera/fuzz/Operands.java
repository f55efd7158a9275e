package dev.ephemera.fuzz;

import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * An act's operands, resolved now: to model values (null, a Long, or an Obj the model has) and
 * from those to heap values. Operands name objects by id, so one that names an object freed
 * since (or never allocated) reads as empty.
 */
final class Operands {
    private final Model model;
    private final Observers observers;
    private final FinaliserBodies bodies;

    Operands(Model model, Observers observers, FinaliserBodies bodies) {
        this.model = model;
        this.observers = observers;
        this.bodies = bodies;
    }

    /** The model value of an operand now: null, a Long, or a present Obj. */
    Object modelOf(Val v) {
        switch (v.kind()) {
            case 'i': return v.n();
            case '#': return model.objects.get((int) v.n());
            case 's': return bodies.self();
            default: return null;
        }
    }

    /** The heap value of a model value, read now (valid until the next allocation). */
    long heapOf(Object m) {
        if (m == null) {
            return Value.NONE;
        }
        if (m instanceof Long) {
            return Value.ofInt((Long) m);
        }
        return observers.read((Obj) m);
    }

    /** Operand {@code i} of {@code a} if it is an object of {@code kind} (any kind if null), else null. */
    Obj target(Act a, int i, Kind kind) {
        Object m = a.vals().size() > i ? modelOf(a.vals().get(i)) : null;
        return m instanceof Obj && (kind == null || ((Obj) m).kind == kind) ? (Obj) m : null;
    }

    /** The model values of {@code a.vals()[from..]} (an operand naming a missing object reads as null). */
    List<Object> values(Act a, int from) {
        List<Object> out = new ArrayList<>();
        for (int i = from; i < a.vals().size(); i++) {
            out.add(modelOf(a.vals().get(i)));
        }
        return out;
    }

    /** {@code ms} with the objects the model freed since they were resolved read as empty. */
    List<Object> stillPresent(List<Object> ms) {
        List<Object> out = new ArrayList<>();
        for (Object m : ms) {
            out.add(m instanceof Obj && !model.objects.containsKey(((Obj) m).id) ? null : m);
        }
        return out;
    }

    /** Calls the heap with {@code args} rooted in the model, as the heap promises to root them. */
    long withTemps(List<Object> args, LongSupplier call) {
        int n = 0;
        for (Object m : args) {
            if (m != null) {
                model.temps.push(m);
                n++;
            }
        }
        try {
            return call.getAsLong();
        } finally {
            for (int i = 0; i < n; i++) {
                model.temps.pop();
            }
        }
    }
}
