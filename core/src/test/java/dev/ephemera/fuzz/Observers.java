package dev.ephemera.fuzz;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.TestAccess;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.GuardianLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the run sees of the heap's objects without keeping any of them alive, and how it knows
 * which is which.
 *
 * <p>Every object gets a weak root when it is allocated (its observer): it reads NONE once the
 * heap has freed the object, so the heap's alive set is read without keeping anything alive.
 * An object is recognised by what it carries: blocks their id in field 0 or in their last
 * field ({@link #idIndex}; and their tag and size), custom leaves their id in their first raw
 * word, foreign boxes their id as their Java object; ephemerons and weak arrays move only when the heap is compacted, so their address
 * names them (learnt again from the observers after each compaction).
 */
final class Observers {
    private final Heap heap;
    private final Model model;
    private final Map<Integer, GlobalRoot> observers = new HashMap<>();
    private final Map<Integer, Long> ephemeronAddress = new HashMap<>();
    private final Map<Integer, Integer> tagOf = new HashMap<>();
    private final Set<Integer> weakArrays = new HashSet<>();
    private final Set<Integer> foreignLeaves = new HashSet<>();
    /** The blocks whose id is in their last field, their model fields in fields 0 to n - 1. */
    private final Set<Integer> idLast = new HashSet<>();

    Observers(Heap heap, Model model) {
        this.heap = heap;
        this.model = model;
    }

    /** Starts observing the new object {@code o}, at {@code v}. */
    void watch(Obj o, long v) {
        observers.put(o.id, heap.newWeakRoot(v));
    }

    /** Stops observing {@code o}; returns what its observer held last (NONE if the heap freed it). */
    long forget(Obj o) {
        GlobalRoot observer = observers.remove(o.id);
        long last = TestAccess.peek(observer);
        observer.close();
        return last;
    }

    /** Where {@code o} is now, read as the program reads it (through the read barrier). */
    long read(Obj o) {
        return observers.get(o.id).get();
    }

    /** Where {@code o} is now, looked at without the read barrier (NONE if the heap freed it). */
    long peek(Obj o) {
        return TestAccess.peek(observers.get(o.id));
    }

    /** {@link #peek}, or NONE for an object no longer observed (the heap freed it, and the run forgot it). */
    long peekIfObserved(Obj o) {
        GlobalRoot observer = observers.get(o.id);
        return observer == null ? Value.NONE : TestAccess.peek(observer);
    }

    void rememberTag(Obj block, int tag) {
        tagOf.put(block.id, tag);
    }

    int tagOf(Obj block) {
        return tagOf.get(block.id);
    }

    void rememberIdLast(Obj block, boolean last) {
        if (last) {
            idLast.add(block.id);
        }
    }

    boolean isIdLast(Obj block) {
        return idLast.contains(block.id);
    }

    /**
     * The heap field of a block that holds its id: 0, or (one block in two) its last field —
     * so that the model's fields, which follow or precede it, cover the first field too, where
     * a forwarding stub keeps its new pointer and a chain may go on.
     */
    int idIndex(Obj block) {
        return idLast.contains(block.id) ? block.fields.length : 0;
    }

    /** The heap field of model field {@code i} of a block. */
    int fieldIndex(Obj block, int i) {
        return idLast.contains(block.id) ? i : 1 + i;
    }

    void rememberEphemeron(Obj o, long address) {
        ephemeronAddress.put(o.id, address);
    }

    /** A weak array is an ephemeron without data, used through {@code Weak} only. */
    void rememberWeakArray(Obj o, long address) {
        weakArrays.add(o.id);
        ephemeronAddress.put(o.id, address);
    }

    boolean isWeakArray(Obj o) {
        return weakArrays.contains(o.id);
    }

    void rememberForeignLeaf(int id) {
        foreignLeaves.add(id);
    }

    /** After a compaction: the ephemerons may have moved, and their observers followed them. */
    void relearnEphemeronAddresses() {
        ephemeronAddress.replaceAll((id, a) -> observers.containsKey(id)
                ? TestAccess.peek(observers.get(id)) : a);
    }

    /**
     * The pointer of every object the model has, checking that the heap has it too (its
     * observer is not splatted) and that it is that object.
     */
    Map<Long, Obj> pointers(String when) {
        Map<Long, Obj> at = new HashMap<>();
        for (Obj o : model.objects.values()) {
            long v = TestAccess.peek(observers.get(o.id));
            if (v == Value.NONE) {
                throw new Mismatch("alive set", when + ": " + o + " is alive in the model, but the heap freed it");
            }
            boolean same = switch (o.kind) {
                case BLOCK -> heap.tag(v) == tagOf.get(o.id) && heap.size(v) == 1 + o.fields.length
                        && heap.field(v, idIndex(o)) == Value.ofInt(o.id);
                case EPHEMERON -> v == ephemeronAddress.get(o.id) && heap.ephemerons().length(v) == o.fields.length;
                case GUARDIAN -> heap.guardians().isGuardian(v);
                case LEAF -> foreignLeaves.contains(o.id) ? Integer.valueOf(o.id).equals(heap.foreign(v))
                        : heap.rawField(v, 1) == o.id;
            };
            if (!same || at.put(v, o) != null) {
                throw new Mismatch("identity", when + ": the weak root of " + o + " points to " + Value.describe(v)
                        + ", which is not it");
            }
        }
        return at;
    }

    /** A heap value as the run knows it: none, an immediate, an object of the model, or unknown. */
    static String describe(long v, Map<Long, Obj> at) {
        if (v == Value.NONE) {
            return "none";
        }
        if (Value.isInt(v)) {
            return Long.toString(Value.intOf(v));
        }
        Obj o = at.get(v);
        return o != null ? o.toString() : "an unknown block " + Value.describe(v);
    }

    /** The objects queued in guardian {@code g}, looked at (its observer peeked, not read). */
    List<Obj> guardianQueue(Obj g, Map<Long, Obj> at) {
        List<Obj> out = new ArrayList<>();
        for (long cell = heap.field(TestAccess.peek(observers.get(g.id)), GuardianLayout.HEAD_FIELD); cell != Value.NONE;
                cell = heap.field(cell, GuardianLayout.PAIR_NEXT_FIELD)) {
            long v = heap.field(cell, GuardianLayout.PAIR_OBJECT_FIELD);
            Obj o = at.get(v);
            if (o == null || out.size() > 100_000) {
                throw new Mismatch("guardian", "guardian " + g + " holds " + describe(v, at));
            }
            out.add(o);
        }
        return out;
    }
}
