package dev.ephemera.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The reference model: what a collection must do, written from the definitions in OCaml's
 * {@code Ephemeron}, {@code Weak} and {@code Gc} documentation, Jane Street Core's
 * {@code Gc.Expert}, OCaml's runtime ({@code minor_gc.c}, {@code major_gc.c},
 * {@code finalise.c}) and the MPS manual's weak references, finalization and messages (as
 * docs/semantics.md restates them), over a plain Java object graph. It knows nothing of addresses, colours, remembered sets or waiting lists:
 * it is the oracle the differential fuzzer ({@code dev.ephemera.fuzz}) checks the heap against.
 *
 * <p>A slot (a field, a key, a data slot, a root) holds {@code null} (empty, OCaml's
 * {@code None}), a {@link Long} (an immediate) or an {@link Obj}. Only objects can die.
 * Every object is young or old; ephemerons are born old, as in OCaml.
 *
 * <p>The model is deliberately slow (every collection recomputes liveness from scratch) and
 * deliberately plain: if it and the heap disagree, the heap is suspect first.
 */
public final class Model {
    /** A weak array is an {@link #EPHEMERON} whose data stays empty (OCaml's Weak: a weak array is an ephemeron without data). */
    public enum Kind { BLOCK, EPHEMERON, GUARDIAN, LEAF }

    /**
     * The four tables of registrations: OCaml's finalise-first and finalise-last, MPS
     * finalization, and guardians.
     */
    public enum Table { FIRST, LAST, MPS, GUARDIAN }

    /** An object of the graph. */
    public static final class Obj {
        public final int id;
        public final Kind kind;
        public boolean young;
        /** BLOCK: its ordinary fields. EPHEMERON: its keys. */
        public final Object[] fields;
        /** EPHEMERON: its data. */
        public Object data;
        /** GUARDIAN: the objects handed back to it and not yet polled, oldest first (strong). */
        public final List<Obj> handedBack = new ArrayList<>();

        public Obj(int id, Kind kind, int fields, boolean young) {
            this.id = id;
            this.kind = kind;
            this.fields = new Object[fields];
            this.young = young;
        }

        /** What the object keeps alive by ordinary pointers: not an ephemeron's keys or data. */
        List<Object> ordinaryPointers() {
            List<Object> out = new ArrayList<>(handedBack);
            if (kind == Kind.BLOCK) {
                out.addAll(Arrays.asList(fields));
            }
            return out;
        }

        @Override
        public String toString() {
            return "#" + id;
        }
    }

    /** A registration: a value, and the function (heap function, or the guardian) to go with it. */
    public static final class Reg {
        public final int id;
        public final Table table;
        public final Obj value;
        /** A heap function (a root while registered), the guardian (weak), or null. */
        public final Obj function;
        /** What the client runs when it fires: opaque to the model. */
        public final Object action;
        /** Number of the collection that selected it. */
        public int batch;

        Reg(int id, Table table, Obj value, Obj function, Object action) {
            this.id = id;
            this.table = table;
            this.value = value;
            this.function = function;
            this.action = action;
        }

        @Override
        public String toString() {
            return "reg" + id + "(" + table + " " + value + (function == null ? "" : " fn " + function) + ")";
        }
    }

    /** Every object not yet freed, by id. */
    public final Map<Integer, Obj> objects = new LinkedHashMap<>();
    /** Strong root slots (global roots, handles, root areas of rank strong). */
    public final Object[] strong;
    /** Weak root slots (MPS rank weak): splatted when their referent dies. */
    public final Object[] weak;
    /** Values the heap roots itself during the call in progress (allocation arguments). */
    public final Deque<Object> temps = new ArrayDeque<>();
    /** Registrations not yet selected, in registration order. */
    public final List<Reg> registered = new ArrayList<>();
    /** Finalisers selected and not yet run: one batch per kind per collection, FIFO. */
    public final Deque<List<Reg>> toRun = new ArrayDeque<>();
    /** Finalisers running now (their value and function are held in handles). */
    public final List<Reg> running = new ArrayList<>();
    /** OCaml's running_finalisation_function: no finaliser starts while it is set. */
    public boolean finaliserRunning;
    /** MPS finalization messages posted and not discarded: each keeps its block alive. */
    public final List<Reg> messages = new ArrayList<>();
    /** Guardian hand-backs selected and not yet put in their guardian's queue. */
    public final List<Reg> toDeliver = new ArrayList<>();
    /** Collections so far. */
    public int collections;

    public Model(int strongRoots, int weakRoots) {
        this.strong = new Object[strongRoots];
        this.weak = new Object[weakRoots];
    }

    public Obj allocate(int id, Kind kind, int fields, boolean young) {
        Obj o = new Obj(id, kind, fields, young && kind != Kind.EPHEMERON);
        objects.put(id, o);
        return o;
    }

    public Reg register(int id, Table table, Obj value, Obj function, Object action) {
        Reg r = new Reg(id, table, value, function, action);
        registered.add(r);
        return r;
    }

    // ------------------------------------------------------------------ liveness

    /**
     * The least fixpoint OCaml's {@code Ephemeron} documentation defines: a value is alive if it is a root, if it is reachable from
     * an alive value by ordinary pointers, or if it is the data of an alive ephemeron all of
     * whose full keys are alive (empty keys do not count; immediates are always alive).
     */
    static Set<Obj> alive(Collection<Obj> roots) {
        Set<Obj> alive = new HashSet<>();
        Deque<Obj> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            while (!todo.isEmpty()) {
                Obj o = todo.pop();
                if (alive.add(o)) {
                    o.ordinaryPointers().forEach(f -> push(todo, f));
                }
            }
            for (Obj e : alive) {
                if (e.kind == Kind.EPHEMERON && allFullKeysAlive(e, alive) && !alive.contains(e.data)) {
                    push(todo, e.data);
                }
            }
        }
        return alive;
    }

    private static boolean allFullKeysAlive(Obj e, Set<Obj> alive) {
        for (Object k : e.fields) {
            if (k instanceof Obj && !alive.contains(k)) {
                return false;
            }
        }
        return true;
    }

    private static void push(Deque<Obj> todo, Object v) {
        if (v instanceof Obj) {
            todo.push((Obj) v);
        }
    }

    /** The roots of every collection. */
    List<Obj> roots() {
        List<Obj> r = new ArrayList<>();
        Arrays.asList(strong).forEach(v -> addObj(r, v));
        temps.forEach(v -> addObj(r, v));
        for (Reg g : registered) {
            if (g.table != Table.GUARDIAN) {
                addObj(r, g.function); // anything reachable from a registered function is alive
            }
        }
        toRun.forEach(batch -> batch.forEach(g -> heldByQueue(r, g)));
        running.forEach(g -> heldByQueue(r, g));
        messages.forEach(m -> addObj(r, m.value));                  // a message keeps its block alive
        toDeliver.forEach(g -> heldByQueue(r, g));
        return r;
    }

    /** A queued or running finaliser holds its function, and its value unless it is finalise-last. */
    private static void heldByQueue(List<Obj> roots, Reg g) {
        addObj(roots, g.function);
        if (g.table != Table.LAST) {
            addObj(roots, g.value);
        }
    }

    private static void addObj(List<Obj> objs, Object v) {
        if (v instanceof Obj) {
            objs.add((Obj) v);
        }
    }

    // ------------------------------------------------------------------ collections

    /**
     * A minor collection (OCaml 4.14's {@code minor_gc.c}): old objects count as alive; among
     * young objects, the same fixpoint. Young values registered with a resurrecting kind are
     * promoted (never selected by a minor collection) — a guarded one only while its guardian
     * lives, and the registrations of guardians that die are dropped; weak slots to young
     * objects that died are emptied; young finalise-last values that died are queued.
     * Survivors become old. Returns the objects freed.
     */
    public Set<Obj> minor() {
        collections++;
        List<Obj> roots = roots();
        objects.values().stream().filter(o -> !o.young).forEach(roots::add);
        registered.stream().filter(g -> (g.table == Table.FIRST || g.table == Table.MPS) && g.value.young)
                .forEach(g -> roots.add(g.value));
        Set<Obj> alive = alive(roots);
        for (List<Obj> guarded = guardedBy(alive); !guarded.isEmpty(); guarded = guardedBy(alive)) {
            roots.addAll(guarded);
            alive = alive(roots);
        }
        Set<Obj> survivors = alive;
        registered.removeIf(g -> g.table == Table.GUARDIAN && !survivors.contains(g.function));
        Set<Obj> dead = new HashSet<>();
        objects.values().stream().filter(o -> !survivors.contains(o)).forEach(dead::add);
        clear(dead);
        enqueue(select(Table.LAST, g -> dead.contains(g.value)));
        free(dead);
        objects.values().forEach(o -> o.young = false);
        return dead;
    }

    /**
     * A major collection, over an empty nursery (OCaml 4.14's {@code major_gc.c} and
     * {@code finalise.c}; MPS finalization): the fixpoint; then every finalise-first, MPS and guarded value that is not alive is
     * selected — all of them before any is resurrected — and resurrected with everything it
     * reaches; guardians made alive by that select their dead values too, until none is left;
     * the registrations of dead guardians are dropped; finalise-last values still dead are
     * selected; then the weak slots of dead values are emptied and the dead are freed.
     * Returns the objects freed.
     */
    public Set<Obj> major() {
        if (objects.values().stream().anyMatch(o -> o.young)) {
            throw new IllegalStateException("a major collection must start with a minor one");
        }
        collections++;
        List<Obj> roots = roots();
        Set<Obj> before = alive(roots);
        List<Reg> first = select(Table.FIRST, g -> !before.contains(g.value));
        List<Reg> mps = select(Table.MPS, g -> !before.contains(g.value));
        List<Reg> guarded = select(Table.GUARDIAN, g -> before.contains(g.function) && !before.contains(g.value));
        Set<Obj> alive = before;
        List<Reg> selected = new ArrayList<>(first);
        selected.addAll(mps);
        selected.addAll(guarded);
        while (!selected.isEmpty()) {
            selected.forEach(g -> roots.add(g.value));
            alive = alive(roots);
            Set<Obj> now = alive;
            selected = select(Table.GUARDIAN, g -> now.contains(g.function) && !now.contains(g.value));
            guarded.addAll(selected);
        }
        Set<Obj> resurrected = alive;
        registered.removeIf(g -> g.table == Table.GUARDIAN && !resurrected.contains(g.function));
        List<Reg> last = select(Table.LAST, g -> !resurrected.contains(g.value));
        Set<Obj> dead = new HashSet<>();
        objects.values().stream().filter(o -> !resurrected.contains(o)).forEach(dead::add);
        clear(dead);
        free(dead);
        enqueue(first);
        enqueue(last);
        messages.addAll(mps);
        toDeliver.addAll(guarded);
        return dead;
    }

    // ------------------------------------------------------------------ an incremental heap
    // What a heap collecting in slices may do ahead of the model, and the model then adopts:
    // see the differential fuzzer's relaxed mode.

    /** The objects alive now: the fixpoint from every root. */
    public Set<Obj> aliveNow() {
        return alive(roots());
    }

    /** The heap freed {@code o}, which {@link #aliveNow} no longer holds: the model forgets it. */
    public void adoptFreed(Obj o) {
        objects.remove(o.id);
    }

    /**
     * The heap started the finaliser of {@code g} (still registered in the model: a cycle the
     * model did not follow selected it): it runs now, as {@link #startFinaliser} would run it.
     */
    public void startSelected(Reg g) {
        registered.remove(g);
        running.add(g);
        finaliserRunning = true;
    }

    /** The heap handed {@code g}'s value back to its guardian, selected by a cycle the model did not follow. */
    public void deliverSelected(Reg g) {
        registered.remove(g);
        g.function.handedBack.add(g.value);
    }

    /** The heap posted {@code g}'s finalization message, selected by a cycle the model did not follow. */
    public void postSelected(Reg g) {
        registered.remove(g);
    }

    /** The values of live guardians that are not alive themselves. */
    private List<Obj> guardedBy(Set<Obj> alive) {
        List<Obj> values = new ArrayList<>();
        for (Reg g : registered) {
            if (g.table == Table.GUARDIAN && alive.contains(g.function) && !alive.contains(g.value)) {
                values.add(g.value);
            }
        }
        return values;
    }

    /** Removes from the table, in registration order, the registrations that {@code fires}. */
    private List<Reg> select(Table table, Predicate<Reg> fires) {
        List<Reg> selected = new ArrayList<>();
        for (Iterator<Reg> it = registered.iterator(); it.hasNext(); ) {
            Reg g = it.next();
            if (g.table == table && fires.test(g)) {
                g.batch = collections;
                selected.add(g);
                it.remove();
            }
        }
        return selected;
    }

    private void enqueue(List<Reg> batch) {
        if (!batch.isEmpty()) {
            toRun.addLast(batch);
        }
    }

    /**
     * When a key dies, that key and the data are emptied together (OCaml's {@code Ephemeron}); a weak root to a
     * dead value is splatted (MPS rank weak). Immediates are never emptied.
     */
    private void clear(Set<Obj> dead) {
        for (Obj e : objects.values()) {
            if (e.kind == Kind.EPHEMERON && !dead.contains(e)) {
                for (int i = 0; i < e.fields.length; i++) {
                    if (dead.contains(e.fields[i])) {
                        e.fields[i] = null;
                        e.data = null;
                    }
                }
            }
        }
        for (int i = 0; i < weak.length; i++) {
            if (dead.contains(weak[i])) {
                weak[i] = null;
            }
        }
    }

    private void free(Set<Obj> dead) {
        dead.forEach(o -> objects.remove(o.id));
    }

    // ------------------------------------------------------------------ delivery

    /**
     * The finaliser a safe point runs next (OCaml 4.14's {@code finalise.c}): batches first in, first out;
     * within a batch, from the last registration to the first; none while one is running.
     * Returns null if none may start now.
     */
    public Reg startFinaliser() {
        if (finaliserRunning || toRun.isEmpty()) {
            return null;
        }
        List<Reg> batch = toRun.peekFirst();
        Reg g = batch.remove(batch.size() - 1);
        if (batch.isEmpty()) {
            toRun.removeFirst();
        }
        running.add(g);
        finaliserRunning = true;
        return g;
    }

    /** The finaliser returned or threw: the next one may start. */
    public void finaliserEnded(Reg g) {
        running.remove(g);
        finaliserRunning = false;
    }

    /** {@code Gc.finalise_release}. */
    public void finaliseRelease() {
        finaliserRunning = false;
    }

    /** Finalisers queued and not started. */
    public int pendingFinalisers() {
        return toRun.stream().mapToInt(List::size).sum();
    }

    /** A guardian hand-back reached its guardian's queue. */
    public void delivered(Reg g) {
        toDeliver.remove(g);
        g.function.handedBack.add(g.value);
    }

    /**
     * {@code mps_definalize}: removes one registration of {@code v} not yet posted — the oldest
     * not in {@code maybePosted} if there is one, else the oldest. Registrations of one block are
     * interchangeable to the program (a message carries only the block); which one the model
     * drops matters only to a run that does not know which ones a cycle has already posted:
     * it passes those a cycle may have selected, so that the one dropped is one the heap still
     * holds.
     */
    public boolean definalize(Obj v, Set<Reg> maybePosted) {
        Reg first = null;
        for (Reg g : registered) {
            if (g.table == Table.MPS && g.value == v) {
                if (!maybePosted.contains(g)) {
                    return registered.remove(g);
                }
                if (first == null) {
                    first = g;
                }
            }
        }
        return first != null && registered.remove(first);
    }
}
