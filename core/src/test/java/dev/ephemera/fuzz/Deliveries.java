package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.Heap;
import dev.ephemera.Message;
import dev.ephemera.fuzz.Counts.Counter;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Reg;
import dev.ephemera.object.Value;
import java.util.List;
import java.util.Map;

/**
 * What the heap delivers of what a collection selected, other than finaliser calls: guardian
 * hand-backs ({@code GUARD_POLL}) and finalization messages ({@code MSG_TAKE}). Each must be due
 * in the model (selected, not yet delivered, from the oldest collection that has one due), or
 * in relaxed mode selected by a cycle the model did not follow ({@link RelaxedSync}).
 */
final class Deliveries {
    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Counts counts;
    private final Operands operands;
    private final Observers observers;
    private final ProgramRoots roots;
    private final RelaxedSync relaxedSync;
    private final boolean relaxed;

    Deliveries(Heap heap, Model model, Trace trace, Counts counts, Operands operands, Observers observers,
            ProgramRoots roots, RelaxedSync relaxedSync, boolean relaxed) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.counts = counts;
        this.operands = operands;
        this.observers = observers;
        this.roots = roots;
        this.relaxedSync = relaxedSync;
        this.relaxed = relaxed;
    }

    /** {@code Guardians.poll}: the value handed back must be the one the model has first in that guardian. */
    void guardianPoll(Act a) {
        Obj g = operands.target(a, 0, Kind.GUARDIAN);
        int dest = a.a() % (STRONG + 1);
        trace.note((dest < STRONG ? "S" + dest + " := " : "") + "Guardians.poll(" + g + ")");
        long r = operands.withTemps(List.of(g), () -> heap.guardians().poll(operands.heapOf(g)));
        Map<Long, Obj> at = observers.pointers("after Guardians.poll");
        Obj got = at.get(r);
        if (r != Value.NONE && got == null) {
            throw new Mismatch("guardian", "Guardians.poll(" + g + ") returned " + Observers.describe(r, at));
        }
        sync("after Guardians.poll", g, got);
        if (!model.toDeliver.isEmpty()) {
            throw new Mismatch("guardian", "Guardians.poll did not deliver " + model.toDeliver);
        }
        Obj expected = g.handedBack.isEmpty() ? null : g.handedBack.remove(0);
        if (expected != got) {
            throw new Mismatch("guardian", "Guardians.poll(" + g + ") returned " + show(got) + ", the model expected "
                    + show(expected));
        }
        if (dest < STRONG) {
            roots.setStrong(dest, r, got);
        }
    }

    /**
     * Brings the model's deliveries up to date with the guardians' queues in the heap: what the
     * heap added at their tails must be due (selected by a collection, not yet delivered), and
     * from the oldest collection that has something due for that guardian. {@code polled} is
     * a guardian just polled, and {@code polledValue} what the poll took from its queue's head.
     */
    void sync(String when, Obj polled, Obj polledValue) {
        if (model.toDeliver.isEmpty() && polled == null && !relaxed) {
            return;
        }
        Map<Long, Obj> at = observers.pointers(when);
        for (Obj g : List.copyOf(model.objects.values())) {
            if (g.kind != Kind.GUARDIAN) {
                continue;
            }
            List<Obj> queue = observers.guardianQueue(g, at);
            if (g == polled && polledValue != null) {
                queue.add(0, polledValue);
            }
            if (queue.size() < g.handedBack.size() || !queue.subList(0, g.handedBack.size()).equals(g.handedBack)) {
                throw new Mismatch("guardian", when + ": guardian " + g + " holds " + queue + ", the model " + g.handedBack);
            }
            for (Obj v : List.copyOf(queue.subList(g.handedBack.size(), queue.size()))) {
                int oldest = model.toDeliver.stream().filter(d -> d.function == g).mapToInt(d -> d.batch).min().orElse(-1);
                Reg due = model.toDeliver.stream().filter(d -> d.function == g && d.value == v && d.batch == oldest)
                        .findFirst().orElse(null);
                if (due != null) {
                    model.delivered(due);
                } else if (!relaxed || relaxedSync.adoptHandBack(v, g) == null) {
                    throw new Mismatch("guardian", when + ": guardian " + g + " was handed back " + v
                            + " but the model has " + model.toDeliver + " due"
                            + (relaxed ? " and no registration of it a cycle could have selected (registered "
                                + model.registered + ", eligible " + relaxedSync.eligible() + ")" : ""));
                }
                counts.add(Counter.HAND_BACKS);
            }
        }
    }

    /**
     * Takes one finalization message ({@code mps_message_get}), stores its block in strong root
     * {@code dest} (none if {@code dest} is {@link ProgramRoots#STRONG}) and discards the
     * message; returns false if there was none.
     */
    boolean takeMessage(int dest) {
        Message m = heap.messages().get(Message.Type.FINALIZATION);
        if (m == null) {
            if (!model.messages.isEmpty()) {
                throw new Mismatch("message", "no finalization message, the model has " + model.messages);
            }
            return false;
        }
        long r = ((Message.Finalization) m).ref();
        Map<Long, Obj> at = observers.pointers("after mps_message_get");
        Obj got = at.get(r);
        int oldest = model.messages.stream().mapToInt(g -> g.batch).min().orElse(-1);
        Reg due = model.messages.stream().filter(g -> g.value == got && g.batch == oldest).findFirst().orElse(null);
        if (due == null && relaxed) {
            due = relaxedSync.adoptMessage(got);
        } else if (due != null) {
            model.messages.remove(due);
        }
        if (due == null) {
            throw new Mismatch("message", "a finalization message for " + Observers.describe(r, at) + ", the model has "
                    + model.messages + (relaxed ? " and no registration of it a cycle could have selected" : ""));
        }
        counts.add(Counter.MESSAGES_TAKEN);
        if (dest < STRONG) {
            roots.setStrong(dest, r, got);
        }
        heap.messages().discard(m);
        return true;
    }
}
