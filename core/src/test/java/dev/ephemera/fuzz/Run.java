package dev.ephemera.fuzz;

import dev.ephemera.EphemeronK1;
import dev.ephemera.EphemeronK2;
import dev.ephemera.EphemeronKn;
import dev.ephemera.Ephemerons;
import dev.ephemera.GcListener;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Message;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.TestAccess;
import dev.ephemera.Weak;
import dev.ephemera.WrongTagException;
import dev.ephemera.event.GcEvent;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Op;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.model.Model.Reg;
import dev.ephemera.model.Model.Table;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a program on a real heap and on the {@link Model} side by side, and checks that they
 * agree after every collection.
 *
 * <h2>Lockstep</h2>
 * The model does not guess when the heap collects: collections are the heap's policy, not its
 * semantics. Instead a {@link GcListener} applies the model's {@link Model#minor} or
 * {@link Model#major} each time the heap announces one, including the collections an
 * allocation triggers in the middle of an act (the model then holds the act's arguments as
 * {@link Model#temps}, exactly what the heap promises to root). After each collection
 * {@link #compare} checks the whole observable state. Finalisers run the same way: the heap
 * calls them, and each call must be the one {@link Model#startFinaliser} says is next.
 *
 * <h2>What is observed</h2>
 * Every object gets a weak root when it is allocated (an "observer"): it reads NONE once the
 * heap has freed the object, so the heap's alive set is read without keeping anything alive.
 * Blocks carry their id in field 0; custom leaves in their first raw word; foreign boxes as
 * their Java object; ephemerons move only when the heap is compacted, so their address names them (learnt again
 * from the observers after each compaction). Then every field, key,
 * data slot, root, guardian queue, queued-finaliser count and registration count is compared.
 */
final class Run implements AutoCloseable {
    static final int STRONG = 6;
    static final int WEAK = 3;
    /** Block tags used; LAZY and FORWARD blocks cannot be finalised (OCaml refuses them). */
    static final int[] TAGS = {0, 0, 0, 0, 1, 7, Tag.CLOSURE, Tag.LAZY, Tag.FORWARD};
    private static final long CUSTOM_KIND = 77;
    static final int BIG_WORDS = 300;

    /** What the client runs for a registration: its body, and whether it is a heap function (applied). */
    record Finaliser(List<Act> body, boolean heapFunction) {}

    /** What a finaliser body throws. */
    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom() {
            super("finaliser body throws (as the program says)", null, false, false);
        }
    }

    final Heap heap;
    final Model model = new Model(STRONG, WEAK);
    /** One line per act executed, operands resolved: the readable form of a failing program. */
    final List<String> trace = new ArrayList<>();
    private final Map<Integer, GlobalRoot> observers = new HashMap<>();
    private final Map<Integer, Long> ephemeronAddress = new HashMap<>();
    final Map<Integer, Integer> tagOf = new HashMap<>();
    final Set<Integer> weakArrays = new HashSet<>();
    private final Set<Integer> foreignLeaves = new HashSet<>();
    private final List<Obj> freedUnchecked = new ArrayList<>();
    private final GlobalRoot[] strongGlobals = new GlobalRoot[2];
    private final RootArea strongArea;
    private final Scope scope;
    private final Handle[] handles = new Handle[2];
    private final GlobalRoot weakGlobal;
    private final RootArea weakArea;
    /** Finalised values of the finaliser bodies running, innermost last (null: finalise-last). */
    private final List<Obj> selves = new ArrayList<>();
    private int depth;
    /** True while the heap runs a safe point for us (and not a finaliser body). */
    private boolean atSafePoint;
    /** The heap runs pending finalisers at allocations too: any allocation is a safe point. */
    private final boolean finalisersAtAllocation;
    long finalisersRun;
    long finalisersAtAllocations;
    long handBacks;
    long messagesTaken;
    long slotsCleared;
    private int currentLine;
    long minors;
    long majors;
    long slices;
    long compactions;
    /**
     * Relaxed mode (incremental configurations): major cycles span acts, so what a cycle frees,
     * clears and selects cannot be foreseen; the run adopts into the model what the heap did,
     * after checking that the model allows it (see {@link #relaxedSync}).
     */
    private final boolean relaxed;
    /**
     * Relaxed mode: registrations whose value the model found dead at a collection since they
     * were made — the only ones a cycle may have selected.
     */
    private final Set<Reg> eligible = new HashSet<>();
    /** Relaxed mode: when the cycle now running started, nothing was selected that the model did not know. */
    private boolean cycleStartAgrees;

    Run(FuzzConfig config) {
        heap = Heap.create(config.heapConfig());
        finalisersAtAllocation = config.finalisersAtAllocation();
        relaxed = config.relaxed();
        for (int i = 0; i < strongGlobals.length; i++) {
            strongGlobals[i] = heap.newGlobalRoot(Value.NONE);
        }
        strongArea = heap.newRootArea(2, Rank.STRONG);
        strongArea.setUsed(2);
        weakGlobal = heap.newWeakRoot(Value.NONE);
        weakArea = heap.newRootArea(2, Rank.WEAK);
        weakArea.setUsed(2);
        scope = heap.openScope();
        for (int i = 0; i < handles.length; i++) {
            handles[i] = scope.handle(Value.NONE);
        }
        heap.messages().enable(Message.Type.FINALIZATION);
        heap.gc().setFinaliserApplier((function, value) -> finaliserCalled(null, value, function));
        heap.gc().addListener(new GcListener() {
            @Override
            public void starting(GcEvent.Kind kind, String reason) {
                syncDeliveries("before a " + kind + " collection", null, null);
                if (kind == GcEvent.Kind.MAJOR) {
                    // a cycle the model can follow exactly starts with nothing selected that the
                    // model has not adopted: no finaliser, message or hand-back it does not know
                    cycleStartAgrees = heap.gc().pendingFinalisers() == model.pendingFinalisers()
                            && TestAccess.pendingFinalizationMessages(heap) == model.messages.size()
                            && TestAccess.pendingHandBacks(heap) == model.toDeliver.size();
                }
                if (kind == GcEvent.Kind.MAJOR && model.objects.values().stream().anyMatch(o -> o.young)) {
                    throw new Mismatch("minor before major", "a major collection (" + reason
                            + ") started with young objects in the nursery");
                }
            }

            @Override
            public void slice(GcEvent event) {
                slices++;
                if (relaxed) {
                    relaxedSync("after major slice " + event.number + " (" + event.reason + ")");
                    compare("after major slice " + event.number);
                }
            }

            @Override
            public void collected(GcEvent event) {
                if (event.kind == GcEvent.Kind.COMPACTION) {
                    // not a collection: nothing dies, blocks move (ephemerons too); the
                    // observers follow them, so the ephemerons' addresses are learnt again
                    compactions++;
                    ephemeronAddress.replaceAll((id, a) -> observers.containsKey(id)
                            ? TestAccess.peek(observers.get(id)) : a);
                    compare("after compaction " + event.number + " (" + event.reason + ")");
                    return;
                }
                String when = "after " + event.kind.name().toLowerCase() + " collection " + (model.collections + 1)
                        + " (" + event.reason + ")";
                if (relaxed) {
                    relaxedSync(when);
                    // A cycle run whole in one slice, with nothing it selected earlier still
                    // queued, is the model's major collection exactly; one that spanned acts is
                    // what relaxedSync adopted.
                    boolean exact = event.kind == GcEvent.Kind.MINOR || (event.work == 1 && cycleStartAgrees);
                    if (!exact) {
                        majors++;
                        compare(when);
                        return;
                    }
                }
                long full = fullWeakSlots();
                Set<Obj> freed = event.kind == GcEvent.Kind.MINOR ? model.minor() : model.major();
                long ofFreed = freed.stream().filter(o -> o.kind == Kind.EPHEMERON)
                        .mapToLong(o -> Arrays.stream(o.fields).filter(x -> x instanceof Obj).count()
                                + (o.data instanceof Obj ? 1 : 0)).sum();
                slotsCleared += full - fullWeakSlots() - ofFreed;
                if (event.kind == GcEvent.Kind.MINOR) {
                    minors++;
                } else {
                    majors++;
                }
                freedUnchecked.addAll(freed);
                compare("after " + event.kind.name().toLowerCase() + " collection " + model.collections
                        + " (" + event.reason + ")");
            }
        });
    }

    // ================================================================== roots and operands

    long strongRoot(int i) {
        return i < 2 ? strongGlobals[i].get() : i < 4 ? strongArea.get(i - 2) : handles[i - 4].get();
    }

    private void setStrong(int i, long v, Object m) {
        if (i < 2) {
            strongGlobals[i].set(v);
        } else if (i < 4) {
            strongArea.set(i - 2, v);
        } else {
            handles[i - 4].set(v);
        }
        model.strong[i] = m;
    }

    private long weakRoot(int i) {
        return i == 0 ? weakGlobal.get() : weakArea.get(i - 1);
    }

    /** A weak root's value, looked at without the read barrier (comparisons only). */
    private long peekWeakRoot(int i) {
        return i == 0 ? TestAccess.peek(weakGlobal) : TestAccess.peek(weakArea, i - 1);
    }

    private void setWeak(int i, long v, Object m) {
        if (i == 0) {
            weakGlobal.set(v);
        } else {
            weakArea.set(i - 1, v);
        }
        model.weak[i] = m;
    }

    /** The model value of an operand now: null, a Long, or a present Obj. */
    private Object modelOf(Val v) {
        switch (v.kind()) {
            case 'i': return v.n();
            case '#': return model.objects.get((int) v.n());
            case 's': return selves.isEmpty() ? null : selves.get(selves.size() - 1);
            default: return null;
        }
    }

    /** The heap value of a model value, read now (valid until the next allocation). */
    private long heapOf(Object m) {
        if (m == null) {
            return Value.NONE;
        }
        if (m instanceof Long) {
            return Value.ofInt((Long) m);
        }
        return observers.get(((Obj) m).id).get();
    }

    private Obj target(Act a, int i, Kind kind) {
        Object m = a.vals().size() > i ? modelOf(a.vals().get(i)) : null;
        return m instanceof Obj && (kind == null || ((Obj) m).kind == kind) ? (Obj) m : null;
    }

    private static String show(Object m) {
        if (m instanceof List) {
            return ((List<?>) m).stream().map(Run::show).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return m == null ? "none" : m.toString();
    }

    // ================================================================== acts

    /** Executes one act on both sides. */
    void exec(Act a) {
        if (!applicable(a)) {
            return; // its target does not exist: a no-op
        }
        if (depth == 0 && finalisersAtAllocation) {
            try {
                execute(a);
            } catch (Boom b) {
                // A finaliser run by an allocation threw: the exception reaches the code at that
                // safe point (OCaml's rule), and the act stops there, before the allocation.
                trace.add("  (a finaliser run at an allocation threw; the act stops there)");
                afterBoomAtAllocation();
            }
            return;
        }
        execute(a);
    }

    /** After an exception from a finaliser run at an allocation: nothing may have been lost. */
    private void afterBoomAtAllocation() {
        syncDeliveries("after a finaliser threw at an allocation", null, null);
    }

    private void execute(Act a) {
        currentLine = trace.size();
        trace.add("  ".repeat(depth) + a.op().name().toLowerCase());
        switch (a.op()) {
            case ALLOC -> alloc(a);
            case LEAF -> leaf(a);
            case EPHE -> ephemeron(a);
            case WEAK_ARRAY -> weakArray(a);
            case GUARDIAN -> {
                note("#" + a.id() + " = Guardians.make() -> S" + a.c() % STRONG);
                long g = heap.guardians().make();
                born(model.allocate(a.id(), Kind.GUARDIAN, 0, true), g, a.c() % STRONG);
            }
            case SET_FIELD -> {
                Obj o = target(a, 0, Kind.BLOCK);
                Object x = modelOf(a.vals().get(1));
                int i = a.a() % o.fields.length;
                note(o + ".field" + i + " := " + show(x));
                heap.setField(heapOf(o), 1 + i, heapOf(x));
                o.fields[i] = x;
            }
            case SET_KEY -> setKey(a);
            case SET_DATA -> setData(a);
            case BLIT_KEY -> blitKey(a);
            case BLIT_DATA -> blitData(a);
            case FILL -> {
                Obj e = target(a, 0, Kind.EPHEMERON);
                int n = e.fields.length;
                int len = a.b() % (n + 1);
                int ofs = a.a() % (n - len + 1);
                Object x = modelOf(a.vals().get(1));
                note("Weak.fill " + e + "[" + ofs + ".." + (ofs + len) + ") := " + show(x));
                heap.weak().fill(heapOf(e), ofs, len, heapOf(x));
                Arrays.fill(e.fields, ofs, ofs + len, x);
            }
            case GET -> get(a);
            case QUERY -> query(a);
            case STORE -> {
                Object x = modelOf(a.vals().get(0));
                note("S" + a.a() % STRONG + " := " + show(x));
                setStrong(a.a() % STRONG, heapOf(x), x);
            }
            case SET_WEAK -> {
                Object x = modelOf(a.vals().get(0));
                note("W" + a.a() % WEAK + " := " + show(x) + " (weak root)");
                setWeak(a.a() % WEAK, heapOf(x), x);
            }
            case FINALISE -> finalise(a);
            case GUARD -> {
                Obj g = target(a, 0, Kind.GUARDIAN);
                Obj o = target(a, 1, null);
                note("Guardians.register(" + g + ", " + o + ")  [reg" + a.id() + "]");
                heap.guardians().register(heapOf(g), heapOf(o));
                model.register(a.id(), Table.GUARDIAN, o, g, null);
            }
            case GUARD_POLL -> guardianPoll(a);
            case MPS_FINALIZE -> {
                Obj o = target(a, 0, null);
                note("Messages.finalize(" + o + ")  [reg" + a.id() + "]");
                heap.messages().finalize(heapOf(o));
                model.register(a.id(), Table.MPS, o, null, null);
            }
            case MPS_DEFINALIZE -> {
                Obj o = target(a, 0, null);
                note("Messages.definalize(" + o + ")");
                boolean removed = heap.messages().definalize(heapOf(o));
                List<Reg> ofO = model.registered.stream().filter(g -> g.table == Table.MPS && g.value == o).toList();
                // relaxed mode: a cycle may have selected every registration of o (its message is coming)
                boolean allSelected = relaxed && !ofO.isEmpty() && eligible.containsAll(ofO);
                if (removed ? !model.definalize(o) : !ofO.isEmpty() && !allSelected) {
                    throw new Mismatch("definalize", "mps_definalize(" + o + ") returned " + removed);
                }
            }
            case MSG_TAKE -> {
                int dest = a.a() % (STRONG + 1);
                note("take a finalization message" + (dest < STRONG ? ", its block -> S" + dest : "") + ", discard it");
                takeMessage(dest);
            }
            case MINOR -> {
                note("Gc.minor()");
                safePoint(a.op(), () -> heap.gc().minor());
            }
            case MAJOR -> {
                note("Gc.major()");
                safePoint(a.op(), () -> heap.gc().major());
            }
            case FULL_MAJOR -> {
                note("Gc.full_major()");
                safePoint(a.op(), () -> heap.gc().fullMajor());
            }
            case POLL -> {
                note("Heap.poll()");
                safePoint(a.op(), heap::poll);
            }
            case SLICE -> {
                note("Gc.major_slice(0)");
                safePoint(a.op(), () -> heap.gc().majorSlice(0));
            }
            case COMPACT -> {
                note("Gc.compact()");
                safePoint(a.op(), () -> heap.gc().compact());
            }
            case JUNK -> {
                note("allocate " + (1 + a.a() % 48) + " garbage blocks");
                for (int i = 0; i <= a.a() % 48; i++) {
                    heap.allocBlock(0, 1 + i % 6);
                }
            }
            case SCOPED -> {
                Object x = modelOf(a.vals().get(0));
                int dest = a.b() % STRONG;
                note("in a new scope: h := " + show(x) + ", allocate " + (1 + a.a() % 48) + " garbage blocks, S" + dest
                        + " := h");
                model.temps.push(x == null ? Val.NONE : x);
                try (Scope inner = heap.openScope()) {
                    Handle h = inner.handle(heapOf(x));
                    for (int i = 0; i <= a.a() % 48; i++) {
                        heap.alloc(0, Value.NONE, Value.NONE);
                    }
                    setStrong(dest, h.get(), x);
                } finally {
                    model.temps.pop();
                }
            }
            case RESIZE -> {
                int words = 256 << (a.a() % 4);
                note("Gc.set minor_heap_size " + words);
                heap.gc().setMinorHeapWords(words);
            }
            case RELEASE -> {
                note("Gc.finalise_release()");
                heap.gc().finaliseRelease();
                model.finaliseRelease();
            }
            case THROW -> {
                note("throw");
                throw new Boom();
            }
            default -> throw new IllegalStateException(a.op().toString());
        }
    }

    /** False if the act's target does not exist now (the act is then a no-op). */
    private boolean applicable(Act a) {
        boolean ok = switch (a.op()) {
            case SET_FIELD -> target(a, 0, Kind.BLOCK) != null && target(a, 0, Kind.BLOCK).fields.length > 0;
            case SET_KEY -> target(a, 0, Kind.EPHEMERON) != null && target(a, 0, Kind.EPHEMERON).fields.length > 0;
            case SET_DATA, FILL, QUERY -> target(a, 0, Kind.EPHEMERON) != null;
            case BLIT_KEY, BLIT_DATA -> target(a, 0, Kind.EPHEMERON) != null && target(a, 1, Kind.EPHEMERON) != null;
            case GET -> a.a() % 3 == 2 || target(a, 0, Kind.EPHEMERON) != null
                    && (a.a() % 3 == 1 || target(a, 0, Kind.EPHEMERON).fields.length > 0);
            case FINALISE, MPS_FINALIZE, MPS_DEFINALIZE -> target(a, 0, null) != null;
            case GUARD -> target(a, 0, Kind.GUARDIAN) != null && target(a, 1, null) != null;
            case GUARD_POLL -> target(a, 0, Kind.GUARDIAN) != null;
            case THROW, RELEASE -> depth > 0 || a.op() == Op.RELEASE;
            case ALLOC, LEAF, EPHE, WEAK_ARRAY, GUARDIAN -> !model.objects.containsKey(a.id());
            default -> true;
        };
        return ok;
    }

    /** Replaces the trace line of the act being executed by a readable description. */
    private void note(String text) {
        trace.set(currentLine, "  ".repeat(depth) + text);
    }

    private void born(Obj o, long v, int slot) {
        observers.put(o.id, heap.newWeakRoot(v));
        setStrong(slot, v, o);
    }

    /** Calls the heap with {@code args} rooted in the model, as the heap promises to root them. */
    private long withTemps(List<Object> args, java.util.function.LongSupplier call) {
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

    /** The model values of {@code a.vals()[from..]}, dropping those that died meanwhile. */
    private List<Object> values(Act a, int from) {
        List<Object> out = new ArrayList<>();
        for (int i = from; i < a.vals().size(); i++) {
            out.add(modelOf(a.vals().get(i)));
        }
        return out;
    }

    private List<Object> stillPresent(List<Object> ms) {
        List<Object> out = new ArrayList<>();
        for (Object m : ms) {
            out.add(m instanceof Obj && !model.objects.containsKey(((Obj) m).id) ? null : m);
        }
        return out;
    }

    private void alloc(Act a) {
        int how = a.a() % 7;
        int tag = how == 5 ? 0 : TAGS[a.b() % TAGS.length]; // allocArray makes tag 0
        int slot = a.c() % STRONG;
        List<Object> xs = values(a, 0);
        long id = Value.ofInt(a.id());
        long v;
        switch (how) {
            case 1 -> xs = List.of();
            case 2 -> xs = xs.subList(0, Math.min(1, xs.size()));
            case 3 -> xs = xs.subList(0, Math.min(2, xs.size()));
            case 5 -> xs = xs.isEmpty() ? List.of() : java.util.Collections.nCopies(1 + a.d() % 4, xs.get(0));
            default -> { }
        }
        List<Object> fs = xs;
        String[] paths = {"alloc(tag, size) + setField", "alloc(tag, f0)", "alloc(tag, f0, f1)", "alloc(tag, f0, f1, f2)",
            "allocFields", "allocArray", "alloc(tag, 300): a large block, born old"};
        note("#" + a.id() + " = block tag " + tag + " fields " + show(fs) + " via " + paths[how] + " -> S" + slot);
        switch (how) {
            case 1 -> v = heap.alloc(tag, id);
            case 2 -> v = fs.size() == 1 ? withTemps(fs, () -> heap.alloc(tag, id, heapOf(fs.get(0))))
                    : heap.alloc(tag, id);
            case 3 -> v = fs.size() == 2
                    ? withTemps(fs, () -> heap.alloc(tag, id, heapOf(fs.get(0)), heapOf(fs.get(1))))
                    : withTemps(fs, () -> heap.allocFields(tag, concat(id, fs)));
            case 4 -> v = withTemps(fs, () -> heap.allocFields(tag, concat(id, fs)));
            case 5 -> {
                v = withTemps(fs, () -> heap.allocArray(1 + fs.size(), fs.isEmpty() ? Value.NONE : heapOf(fs.get(0))));
                heap.setField(v, 0, id);
            }
            default -> { // alloc(tag, size), or a large block born old, then stores
                int size = how == 6 ? BIG_WORDS : 1 + fs.size();
                v = heap.allocBlock(tag, size);
                heap.setField(v, 0, id);
                xs = stillPresent(fs);
                for (int i = 0; i < xs.size(); i++) {
                    heap.setField(v, 1 + i, heapOf(xs.get(i)));
                }
            }
        }
        int fields = how == 6 ? BIG_WORDS - 1 : xs.size();
        Obj o = model.allocate(a.id(), Kind.BLOCK, fields, how != 6);
        for (int i = 0; i < xs.size(); i++) {
            o.fields[i] = xs.get(i);
        }
        tagOf.put(o.id, tag);
        born(o, v, slot);
    }

    private long[] concat(long id, List<Object> ms) {
        long[] out = new long[1 + ms.size()];
        out[0] = id;
        for (int i = 0; i < ms.size(); i++) {
            out[1 + i] = heapOf(ms.get(i));
        }
        return out;
    }

    private void leaf(Act a) {
        long v;
        boolean foreign = a.a() % 2 == 1;
        note("#" + a.id() + " = " + (foreign ? "allocForeign" : "allocCustom") + " -> S" + a.c() % STRONG);
        if (foreign) {
            v = heap.allocForeign(Integer.valueOf(a.id()));
            foreignLeaves.add(a.id());
        } else {
            v = heap.allocCustom(CUSTOM_KIND, 1);
            heap.setRawField(v, 1, a.id());
        }
        born(model.allocate(a.id(), Kind.LEAF, 0, true), v, a.c() % STRONG);
    }

    private void ephemeron(Act a) {
        int n = a.b() % 4;
        int how = a.a() % 4;
        Ephemerons eph = heap.ephemerons();
        List<Object> xs = values(a, 0);
        while (xs.size() < n + 1) {
            xs.add(null);
        }
        xs = xs.subList(0, n + 1);          // data and keys: exactly what make roots
        Object data = xs.get(0);
        List<Object> keys = xs.subList(1, n + 1);
        String[] paths = {"Obj.Ephemeron.create", "K1/K2/Kn.create", "K1/K2/Kn.make", "create + set_key/set_data"};
        note("#" + a.id() + " = ephemeron " + (how >= 2 ? "keys " + show(keys) + " data " + show(data) : "with " + n + " empty key(s)")
                + " via " + paths[how] + " -> S" + a.c() % STRONG);
        long e;
        if (how == 2) {
            e = withTemps(xs, () -> {
                long d = heapOf(data);
                if (n == 1) {
                    return eph.k1().make(heapOf(keys.get(0)), d);
                } else if (n == 2) {
                    return eph.k2().make(heapOf(keys.get(0)), heapOf(keys.get(1)), d);
                }
                long[] ks = new long[n];
                for (int i = 0; i < n; i++) {
                    ks[i] = heapOf(keys.get(i));
                }
                return eph.kn().make(ks, d);
            });
        } else {
            e = how == 1 ? (n == 1 ? eph.k1().create() : n == 2 ? eph.k2().create() : eph.kn().create(n))
                    : eph.create(n);
        }
        Obj o = model.allocate(a.id(), Kind.EPHEMERON, n, false);
        if (how == 2 || how == 3) {
            List<Object> now = how == 2 ? xs : stillPresent(xs);
            for (int i = 0; i < n; i++) {
                o.fields[i] = now.get(1 + i);
                if (how == 3) {
                    eph.setKey(e, i, heapOf(o.fields[i]));
                }
            }
            o.data = now.get(0);
            if (how == 3) {
                eph.setData(e, heapOf(o.data));
            }
        }
        ephemeronAddress.put(o.id, e);
        born(o, e, a.c() % STRONG);
    }

    private void weakArray(Act a) {
        int n = 1 + a.b() % 5;
        List<Object> init = values(a, 0);
        note("#" + a.id() + " = Weak.create " + n + ", then Weak.set " + show(init.subList(0, Math.min(n, init.size())))
                + " -> S" + a.c() % STRONG);
        long ar = heap.weak().create(n);
        Obj o = model.allocate(a.id(), Kind.EPHEMERON, n, false);
        List<Object> xs = values(a, 0);
        for (int i = 0; i < n && i < xs.size(); i++) {
            heap.weak().set(ar, i, heapOf(xs.get(i)));
            o.fields[i] = xs.get(i);
        }
        weakArrays.add(o.id);
        ephemeronAddress.put(o.id, ar);
        born(o, ar, a.c() % STRONG);
    }

    private void setKey(Act a) {
        Obj o = target(a, 0, Kind.EPHEMERON);
        int n = o.fields.length;
        int i = a.a() % n;
        Object x = modelOf(a.vals().get(1));
        long e = heapOf(o);
        long k = heapOf(x);
        int api = weakArrays.contains(o.id) ? 2 : a.b() % 3;
        note(o + ".key" + i + " := " + show(x) + " via " + new String[] {"Obj.Ephemeron", "K1/K2/Kn", "Weak.set"}[api]);
        switch (api) {
            case 0 -> {
                if (x == null) {
                    heap.ephemerons().unsetKey(e, i);
                } else {
                    heap.ephemerons().setKey(e, i, k);
                }
            }
            case 1 -> {
                EphemeronK2 k2 = heap.ephemerons().k2();
                if (n == 1 && x == null) {
                    heap.ephemerons().k1().unsetKey(e);
                } else if (n == 1) {
                    heap.ephemerons().k1().setKey(e, k);
                } else if (n == 2 && x == null) {
                    if (i == 0) {
                        k2.unsetKey1(e);
                    } else {
                        k2.unsetKey2(e);
                    }
                } else if (n == 2) {
                    if (i == 0) {
                        k2.setKey1(e, k);
                    } else {
                        k2.setKey2(e, k);
                    }
                } else if (x == null) {
                    heap.ephemerons().kn().unsetKey(e, i);
                } else {
                    heap.ephemerons().kn().setKey(e, i, k);
                }
            }
            default -> heap.weak().set(e, i, k);
        }
        o.fields[i] = x;
    }

    private void setData(Act a) {
        Obj o = target(a, 0, Kind.EPHEMERON);
        Object x = modelOf(a.vals().get(1));
        long e = heapOf(o);
        long d = heapOf(x);
        int n = o.fields.length;
        note(o + ".data := " + show(x));
        if (a.b() % 2 == 0) {
            if (x == null) {
                heap.ephemerons().unsetData(e);
            } else {
                heap.ephemerons().setData(e, d);
            }
        } else if (n == 1) {
            if (x == null) {
                heap.ephemerons().k1().unsetData(e);
            } else {
                heap.ephemerons().k1().setData(e, d);
            }
        } else if (n == 2) {
            if (x == null) {
                heap.ephemerons().k2().unsetData(e);
            } else {
                heap.ephemerons().k2().setData(e, d);
            }
        } else if (x == null) {
            heap.ephemerons().kn().unsetData(e);
        } else {
            heap.ephemerons().kn().setData(e, d);
        }
        o.data = x;
    }

    private void blitKey(Act a) {
        Obj o1 = target(a, 0, Kind.EPHEMERON);
        Obj o2 = target(a, 1, Kind.EPHEMERON);
        int n1 = o1.fields.length;
        int n2 = o2.fields.length;
        int len = a.c() % (Math.min(n1, n2) + 1);
        int from = a.a() % (n1 - len + 1);
        int to = a.b() % (n2 - len + 1);
        long e1 = heapOf(o1);
        long e2 = heapOf(o2);
        int api = a.d() % 4;
        note("blit keys " + o1 + "[" + from + ".." + (from + len) + ") -> " + o2 + "[" + to + ".." + (to + len) + ")");
        if (api == 3 && n1 == 1 && n2 == 1 && len == 1) {
            heap.ephemerons().k1().blitKey(e1, e2);
        } else if (api == 3 && n1 == 2 && n2 == 2 && len == 2) {
            heap.ephemerons().k2().blitKey12(e1, e2);
        } else if (api == 3 && n1 == 2 && n2 == 2 && len == 1 && from == to) {
            if (from == 0) {
                heap.ephemerons().k2().blitKey1(e1, e2);
            } else {
                heap.ephemerons().k2().blitKey2(e1, e2);
            }
        } else if (api == 1) {
            heap.ephemerons().kn().blitKey(e1, from, e2, to, len);
        } else if (api == 2) {
            heap.weak().blit(e1, from, e2, to, len);
        } else {
            heap.ephemerons().blitKey(e1, from, e2, to, len);
        }
        Object[] copied = Arrays.copyOfRange(o1.fields, from, from + len);
        System.arraycopy(copied, 0, o2.fields, to, len);
    }

    private void blitData(Act a) {
        Obj o1 = target(a, 0, Kind.EPHEMERON);
        Obj o2 = target(a, 1, Kind.EPHEMERON);
        long e1 = heapOf(o1);
        long e2 = heapOf(o2);
        int n = o1.fields.length;
        note(o2 + ".data := " + o1 + ".data (blit_data)");
        if (a.a() % 2 == 1 && n == o2.fields.length) {
            if (n == 1) {
                heap.ephemerons().k1().blitData(e1, e2);
            } else if (n == 2) {
                heap.ephemerons().k2().blitData(e1, e2);
            } else {
                heap.ephemerons().kn().blitData(e1, e2);
            }
        } else {
            heap.ephemerons().blitData(e1, e2);
        }
        o2.data = o1.data;
    }

    /** Reads a key, the data or a weak root into a strong root; a copy of a block allocates a new object. */
    private void get(Act a) {
        int what = a.a() % 3;
        int dest = a.c() % STRONG;
        boolean copy = a.d() % 3 == 0;
        Obj e = target(a, 0, Kind.EPHEMERON);
        Object x;
        int i = 0;
        if (what == 2) {
            x = model.weak[a.b() % WEAK];
        } else if (what == 1) {
            x = e.data;
        } else {
            i = a.b() % e.fields.length;
            x = e.fields[i];
        }
        boolean copies = copy && x instanceof Obj && ((Obj) x).kind == Kind.BLOCK;
        note("S" + dest + " := " + (what == 2 ? "W" + a.b() % WEAK : what == 1 ? e + ".data" : e + ".key" + i)
                + (copies ? " copied: #" + a.id() + " (get_copy)" : copy ? " (get_copy: not copied)" : ""));
        copy = copy && !(x instanceof Obj && ((Obj) x).kind == Kind.GUARDIAN); // a copy of a guardian would be a second guardian
        if (what == 2) {
            long v = weakRoot(a.b() % WEAK);
            setStrong(dest, v, x);
            return;
        }
        long v;
        if (!copies) {
            long h = heapOf(e);
            EphemeronKn kn = heap.ephemerons().kn();
            if (what == 1) {
                v = copy ? kn.getDataCopy(h) : e.fields.length == 1 ? heap.ephemerons().k1().getData(h) : kn.getData(h);
            } else if (weakArrays.contains(e.id)) {
                v = copy ? heap.weak().getCopy(h, i) : heap.weak().get(h, i);
            } else {
                v = copy ? heap.ephemerons().getKeyCopy(h, i) : e.fields.length == 1 && i == 0
                        ? heap.ephemerons().k1().getKey(h) : kn.getKey(h, i);
            }
            setStrong(dest, v, x);
            return;
        }
        Obj orig = (Obj) x;
        int keyIndex = i;
        v = withTemps(List.of(orig), () -> {
            long h = heapOf(e);
            if (what == 1) {
                return e.fields.length == 2 ? heap.ephemerons().k2().getDataCopy(h) : heap.ephemerons().getDataCopy(h);
            }
            if (weakArrays.contains(e.id)) {
                return heap.weak().getCopy(h, keyIndex);
            }
            if (e.fields.length == 1) {
                return heap.ephemerons().k1().getKeyCopy(h);
            }
            if (e.fields.length == 2) {
                return keyIndex == 0 ? heap.ephemerons().k2().getKey1Copy(h) : heap.ephemerons().k2().getKey2Copy(h);
            }
            return heap.ephemerons().kn().getKeyCopy(h, keyIndex);
        });
        heap.setField(v, 0, Value.ofInt(a.id()));
        Obj c = model.allocate(a.id(), Kind.BLOCK, orig.fields.length, orig.fields.length + 1 <= 256);
        System.arraycopy(orig.fields, 0, c.fields, 0, orig.fields.length);
        tagOf.put(c.id, tagOf.get(orig.id));
        born(c, v, dest);
    }

    private void query(Act a) {
        Obj e = target(a, 0, Kind.EPHEMERON);
        List<Object> ks = values(a, 1);
        int n = e.fields.length;
        int len = n == 0 ? 0 : a.a() % 5 == 0 ? (n + 1) : n;   // sometimes the wrong number of keys
        while (ks.size() < len) {
            ks.add(null);
        }
        ks = ks.subList(0, len);
        note("S" + a.c() % STRONG + " := query " + e + " " + show(ks));
        long h = heapOf(e);
        long v;
        if (n == 1 && len == 1 && a.b() % 2 == 0) {
            v = heap.ephemerons().k1().query(h, heapOf(ks.get(0)));
        } else if (n == 2 && len == 2 && a.b() % 2 == 0) {
            v = heap.ephemerons().k2().query(h, heapOf(ks.get(0)), heapOf(ks.get(1)));
        } else {
            long[] keys = new long[len];
            for (int i = 0; i < len; i++) {
                keys[i] = heapOf(ks.get(i));
            }
            v = heap.ephemerons().kn().query(h, keys);
        }
        boolean matches = len == n;
        for (int i = 0; i < len && matches; i++) {
            Object k = e.fields[i];
            matches = k != null && (k instanceof Long ? k.equals(ks.get(i)) : k == ks.get(i));
        }
        setStrong(a.c() % STRONG, v, matches ? e.data : null);
    }

    // ================================================================== finalisation

    private void finalise(Act a) {
        Obj o = target(a, 0, null);
        int api = a.a() % 11;
        boolean last = api % 2 == 1;
        // OCaml's raise Invalid_argument on a refusal; Core's _exn variants raise Failure
        // (Heap_block.is_ok is false); the others, With_leak_protection included, ignore it
        boolean ocaml = api <= 1 || api == 4 || api == 5;
        boolean coreExn = api == 6 || api == 7;
        Object fn = api == 4 || api == 5 ? modelOf(a.vals().size() > 1 ? a.vals().get(1) : Val.NONE) : null;
        Obj function = fn instanceof Obj ? (Obj) fn : null;
        int tag = o.kind == Kind.BLOCK ? tagOf.get(o.id) : 0;
        boolean refused = tag == Tag.LAZY || tag == Tag.FORWARD;
        long v = heapOf(o);
        Integer reg = a.id();
        String[] apis = {"Gc.finalise", "Gc.finalise_last", "Gc.add_finalizer", "Gc.add_finalizer_last",
            "Gc.finalise (heap function " + show(function) + ")", "Gc.finalise_last (heap function " + show(function) + ")",
            "Gc.add_finalizer_exn", "Gc.add_finalizer_last_exn", "Gc.add_finalizer_ignore", "Gc.add_finalizer_last_ignore",
            "Gc.With_leak_protection.add_finalizer"};
        note(apis[api] + " on " + o + "  [reg" + a.id() + ", body of " + a.body().size() + " acts]"
                + (refused ? " (refused: " + Tag.name(tag) + ")" : ""));
        dev.ephemera.Gc gc = heap.gc();
        try {
            switch (api) {
                case 0 -> gc.finalise(h -> finaliserCalled(reg, h, null), v);
                case 1 -> gc.finaliseLast(() -> finaliserCalled(reg, null, null), v);
                case 2 -> gc.addFinalizer(v, h -> finaliserCalled(reg, h, null));
                case 3 -> gc.addFinalizerLast(v, () -> finaliserCalled(reg, null, null));
                case 4 -> gc.finaliseWith(heapOf(function), v);
                case 5 -> gc.finaliseLastWith(heapOf(function), v);
                case 6 -> gc.addFinalizerExn(v, h -> finaliserCalled(reg, h, null));
                case 7 -> gc.addFinalizerLastExn(v, () -> finaliserCalled(reg, null, null));
                case 8 -> gc.addFinalizerIgnore(v, h -> finaliserCalled(reg, h, null));
                case 9 -> gc.addFinalizerLastIgnore(v, () -> finaliserCalled(reg, null, null));
                default -> withTemps(List.of(o), () -> {  // allocates a foreign box and an ephemeron
                    gc.addFinalizerWithLeakProtection(heapOf(o), h -> finaliserCalled(reg, h, null));
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
     * The heap runs a finaliser: it must be the one the model says is next. {@code reg} is the
     * registration of a Java finaliser; for a heap function, {@code function} is its handle.
     */
    private void finaliserCalled(Integer reg, Handle value, Handle function) {
        String who = reg != null ? "reg" + reg : "heap function";
        if (!atSafePoint) {
            finalisersAtAllocations++;
        }
        if (!atSafePoint && !finalisersAtAllocation) {
            throw new Mismatch("safe point", "the heap ran " + who + " outside a safe point (finalisers run only at"
                    + " poll() and the explicit collection calls)");
        }
        Reg r = relaxed ? relaxedFinaliser(reg, value, function) : model.startFinaliser();
        if (r == null) {
            throw new Mismatch("finaliser order", "the heap ran " + who + " but the model runs none now ("
                    + (model.finaliserRunning ? "one is running" : "none is queued") + ")");
        }
        try {
            Map<Long, Obj> at = pointers("when a finaliser starts");
            if (reg != null && r.id != reg || (reg == null) != ((Finaliser) r.action).heapFunction()) {
                throw new Mismatch("finaliser order", "the heap ran " + who + ", the model expected " + r);
            }
            if (function != null && at.get(function.get()) != r.function) {
                throw new Mismatch("finaliser order", "the heap applied " + describe(function.get(), at)
                        + ", the model expected " + r);
            }
            Object got = value == null ? null : at.get(value.get());
            if (got != (r.table == Table.LAST ? null : r.value)) {
                throw new Mismatch("finaliser value", r + " was called with " + show(got));
            }
            trace.add("  ".repeat(depth) + "  finaliser " + r + " runs");
            finalisersRun++;
            selves.add(r.table == Table.LAST ? null : r.value);
            depth++;
            atSafePoint = false;
            try {
                for (Act b : ((Finaliser) r.action).body()) {
                    exec(b);
                }
            } finally {
                atSafePoint = true;
                depth--;
                selves.remove(selves.size() - 1);
            }
        } finally {
            model.finaliserEnded(r);
        }
    }

    /**
     * Relaxed mode: the finaliser the heap starts is the model's next (a batch the model queued,
     * from a minor collection or a whole cycle) or one a cycle the model did not follow
     * selected: still registered, and eligible (its value was dead at a collection since it was
     * registered). Returns it, started in the model, or null.
     */
    private Reg relaxedFinaliser(Integer reg, Handle value, Handle function) {
        if (model.finaliserRunning) {
            return null;
        }
        Map<Long, Obj> at = pointers("when a finaliser starts");
        Obj fn = function == null ? null : at.get(function.get());
        Obj v = value == null ? null : at.get(value.get());
        if (!model.toRun.isEmpty()) {
            List<Reg> batch = model.toRun.peekFirst();
            Reg next = batch.get(batch.size() - 1);
            boolean matches = reg != null ? next.id == reg
                    : ((Finaliser) next.action).heapFunction() && next.function == fn
                        && (next.table == Table.LAST ? v == null : next.value == v);
            if (matches) {
                return model.startFinaliser();
            }
        }
        Reg g = null;
        for (Reg c : model.registered) {
            if (!(c.table == Table.FIRST || c.table == Table.LAST) || !eligible.contains(c)) {
                continue;
            }
            boolean matches = reg != null ? c.id == reg
                    : ((Finaliser) c.action).heapFunction() && c.function == fn
                        && (c.table == Table.LAST ? v == null : c.value == v);
            if (matches) {
                g = c;
                break;
            }
        }
        if (g == null) {
            return null;
        }
        model.startSelected(g);
        eligible.remove(g);
        return g;
    }

    /** Relaxed mode: a registration of {@code table} for {@code value} (and guardian) that a cycle may have selected. */
    private Reg selected(Table table, Obj value, Obj guardian, Object unused) {
        for (Reg c : model.registered) {
            if (c.table == table && c.value == value && (guardian == null || c.function == guardian) && eligible.contains(c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Relaxed mode, at every collection and slice: adopts into the model what the heap did ahead
     * of it, after checking that the model allows it — every object the heap freed, every weak
     * root it splatted, every key it emptied is dead in the model now (dead things stay dead:
     * nothing reaches them again, and a weak read of one while a cycle marks keeps it); data is
     * emptied only with a key. Registrations whose value is dead now become eligible: a cycle
     * may have selected them, and the heap's calls, hand-backs and messages are checked
     * against that. The comparison that follows is then exact.
     */
    private void relaxedSync(String when) {
        Set<Obj> alive = model.aliveNow();
        for (Reg g : model.registered) {
            // A guarded value may be handed back once it is dead; whether its guardian lives the
            // model cannot always tell (the heap may hold it through a value a cycle selected and
            // the model adopts only when it is delivered), and a dead guardian's queue is unseen.
            if (!alive.contains(g.value) && eligible.add(g)) {
                trace.add("  ".repeat(depth) + "  (" + when + ": " + g + " may be selected)");
            }
        }
        for (int i = 0; i < WEAK; i++) {
            if (model.weak[i] instanceof Obj o && peekWeakRoot(i) == Value.NONE) {
                if (alive.contains(o)) {
                    throw new Mismatch("cleared", when + ": weak root " + i + " was splatted, but " + o
                            + " is alive in the model");
                }
                model.weak[i] = null;
            }
        }
        List<Obj> freed = new ArrayList<>();
        for (Obj o : model.objects.values()) {
            long v = TestAccess.peek(observers.get(o.id));
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
                    slotsCleared++;
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
            observers.remove(o.id).close();
        }
        Set<Obj> gone = Set.copyOf(freed);
        model.registered.removeIf(g -> g.table == Table.GUARDIAN && gone.contains(g.function));
    }

    /** An explicit safe point: afterwards nothing may be left to run or to deliver. Returns false if a finaliser threw. */
    private boolean safePoint(Op op, Runnable call) {
        long compactionsBefore = compactions;
        long minorsBefore = minors;
        long majorsBefore = majors;
        boolean threw = false;
        boolean wasAtSafePoint = atSafePoint;
        atSafePoint = true;
        try {
            call.run();
        } catch (Boom b) {
            if (depth > 0) {
                throw b;
            }
            threw = true;
            trace.add("  (a finaliser threw; the rest stay queued)");
        } finally {
            atSafePoint = wasAtSafePoint;
        }
        if (op == Op.MINOR && minors == minorsBefore || (op == Op.MAJOR || op == Op.FULL_MAJOR) && majors == majorsBefore
                || op == Op.FULL_MAJOR && !threw && majors < majorsBefore + 2) {
            throw new Mismatch("collection count", op + " ran " + (minors - minorsBefore) + " minor and "
                    + (majors - majorsBefore) + " major collections");
        }
        if (op == Op.COMPACT && !threw && compactions == compactionsBefore) {
            throw new Mismatch("collection count", "Gc.compact did not compact");
        }
        if (threw) {
            return false;
        }
        if (relaxed && !model.finaliserRunning && heap.gc().pendingFinalisers() > 0) {
            throw new Mismatch("finaliser order", op + " returned with " + heap.gc().pendingFinalisers()
                    + " finalisers still queued in the heap");
        }
        if (!model.finaliserRunning && model.pendingFinalisers() > 0) {
            throw new Mismatch("finaliser order", op + " returned with " + model.pendingFinalisers()
                    + " finalisers the model says it should have run: " + model.toRun);
        }
        syncDeliveries("after " + op, null, null);
        if (!model.toDeliver.isEmpty()) {
            throw new Mismatch("guardian", op + " did not deliver " + model.toDeliver);
        }
        return true;
    }

    private void guardianPoll(Act a) {
        Obj g = target(a, 0, Kind.GUARDIAN);
        int dest = a.a() % (STRONG + 1);
        note((dest < STRONG ? "S" + dest + " := " : "") + "Guardians.poll(" + g + ")");
        long r = withTemps(List.of(g), () -> heap.guardians().poll(heapOf(g)));
        Map<Long, Obj> at = pointers("after Guardians.poll");
        Obj got = at.get(r);
        if (r != Value.NONE && got == null) {
            throw new Mismatch("guardian", "Guardians.poll(" + g + ") returned " + describe(r, at));
        }
        syncDeliveries("after Guardians.poll", g, got);
        if (!model.toDeliver.isEmpty()) {
            throw new Mismatch("guardian", "Guardians.poll did not deliver " + model.toDeliver);
        }
        Obj expected = g.handedBack.isEmpty() ? null : g.handedBack.remove(0);
        if (expected != got) {
            throw new Mismatch("guardian", "Guardians.poll(" + g + ") returned " + show(got) + ", the model expected "
                    + show(expected));
        }
        if (dest < STRONG) {
            setStrong(dest, r, got);
        }
    }

    /**
     * Brings the model's deliveries up to date with the guardians' queues in the heap: what the
     * heap added at their tails must be due (selected by a collection, not yet delivered), and
     * from the oldest collection that has something due for that guardian.
     */
    private void syncDeliveries(String when, Obj polled, Obj polledValue) {
        if (model.toDeliver.isEmpty() && polled == null && !relaxed) {
            return;
        }
        Map<Long, Obj> at = pointers(when);
        for (Obj g : List.copyOf(model.objects.values())) {
            if (g.kind != Kind.GUARDIAN) {
                continue;
            }
            List<Obj> queue = guardianQueue(g, at);
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
                } else if (relaxed && (due = selected(Table.GUARDIAN, v, g, null)) != null) {
                    model.deliverSelected(due);
                    eligible.remove(due);
                } else {
                    throw new Mismatch("guardian", when + ": guardian " + g + " was handed back " + v
                            + " but the model has " + model.toDeliver + " due"
                            + (relaxed ? " and no registration of it a cycle could have selected (registered "
                                + model.registered + ", eligible " + eligible + ")" : ""));
                }
                handBacks++;
            }
        }
    }

    /** The objects queued in guardian {@code g}, looked at (its observer peeked, not read). */
    private List<Obj> guardianQueue(Obj g, Map<Long, Obj> at) {
        List<Obj> out = new ArrayList<>();
        for (long cell = heap.field(TestAccess.peek(observers.get(g.id)), 1); cell != Value.NONE; cell = heap.field(cell, 1)) {
            long v = heap.field(cell, 0);
            Obj o = at.get(v);
            if (o == null || out.size() > 100_000) {
                throw new Mismatch("guardian", "guardian " + g + " holds " + describe(v, at));
            }
            out.add(o);
        }
        return out;
    }

    /** Takes one finalization message; returns false if there was none. */
    private boolean takeMessage(int dest) {
        Message m = heap.messages().get(Message.Type.FINALIZATION);
        if (m == null) {
            if (!model.messages.isEmpty()) {
                throw new Mismatch("message", "no finalization message, the model has " + model.messages);
            }
            return false;
        }
        long r = ((Message.Finalization) m).ref();
        Map<Long, Obj> at = pointers("after mps_message_get");
        Obj got = at.get(r);
        int oldest = model.messages.stream().mapToInt(g -> g.batch).min().orElse(-1);
        Reg due = model.messages.stream().filter(g -> g.value == got && g.batch == oldest).findFirst().orElse(null);
        if (due == null && relaxed) {
            due = selected(Table.MPS, got, null, null);
            if (due != null) {
                model.postSelected(due);
                eligible.remove(due);
            }
        } else if (due != null) {
            model.messages.remove(due);
        }
        if (due == null) {
            throw new Mismatch("message", "a finalization message for " + describe(r, at) + ", the model has "
                    + model.messages + (relaxed ? " and no registration of it a cycle could have selected" : ""));
        }
        messagesTaken++;
        if (dest < STRONG) {
            setStrong(dest, r, got);
        }
        heap.messages().discard(m);
        return true;
    }

    // ================================================================== comparison

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

    /**
     * The pointer of every object the model has, checking that the heap has it too (its
     * observer is not splatted) and that it is that object.
     */
    private Map<Long, Obj> pointers(String when) {
        Map<Long, Obj> at = new HashMap<>();
        for (Obj o : model.objects.values()) {
            long v = TestAccess.peek(observers.get(o.id));
            if (v == Value.NONE) {
                throw new Mismatch("alive set", when + ": " + o + " is alive in the model, but the heap freed it");
            }
            boolean same = switch (o.kind) {
                case BLOCK -> heap.tag(v) == tagOf.get(o.id) && heap.size(v) == 1 + o.fields.length
                        && heap.field(v, 0) == Value.ofInt(o.id);
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

    private String describe(long v, Map<Long, Obj> at) {
        if (v == Value.NONE) {
            return "none";
        }
        if (Value.isInt(v)) {
            return Long.toString(Value.intOf(v));
        }
        Obj o = at.get(v);
        return o != null ? o.toString() : "an unknown block " + Value.describe(v);
    }

    private void same(String when, String where, long v, Object m, Map<Long, Obj> at) {
        boolean ok = m == null ? v == Value.NONE : m instanceof Long ? v == Value.ofInt((Long) m) : at.get(v) == m;
        if (!ok) {
            throw new Mismatch(m == null && v != Value.NONE ? "not cleared" : "slot", when + ": " + where
                    + " holds " + describe(v, at) + ", the model " + show(m));
        }
    }

    /** Compares everything observable. */
    void compare(String when) {
        for (Obj o : freedUnchecked) {
            GlobalRoot observer = observers.remove(o.id);
            if (TestAccess.peek(observer) != Value.NONE) {
                throw new Mismatch("alive set", when + ": " + o + " is dead in the model, but the heap kept it");
            }
            observer.close();
        }
        freedUnchecked.clear();
        Map<Long, Obj> at = pointers(when);
        for (Obj o : model.objects.values()) {
            long v = TestAccess.peek(observers.get(o.id));
            switch (o.kind) {
                case BLOCK -> {
                    for (int i = 0; i < o.fields.length; i++) {
                        same(when, "field " + i + " of " + o, heap.field(v, 1 + i), o.fields[i], at);
                    }
                }
                case EPHEMERON -> {
                    for (int i = 0; i < o.fields.length; i++) {
                        same(when, "key " + i + " of " + o, TestAccess.peekKey(heap, v, i), o.fields[i], at);
                    }
                    same(when, "the data of " + o, TestAccess.peekData(heap, v), o.data, at);
                }
                case GUARDIAN -> {
                    if (!guardianQueue(o, at).equals(o.handedBack)) {
                        throw new Mismatch("guardian", when + ": guardian " + o + " holds " + guardianQueue(o, at)
                                + ", the model " + o.handedBack);
                    }
                }
                default -> { }
            }
        }
        for (int i = 0; i < STRONG; i++) {
            same(when, "strong root " + i, strongRoot(i), model.strong[i], at);
        }
        for (int i = 0; i < WEAK; i++) {
            same(when, "weak root " + i, peekWeakRoot(i), model.weak[i], at);
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

    // ================================================================== end

    /**
     * The end of a program: a safe point, then every message and guardian drained, every root
     * dropped, and two full major collections; the heap must agree with the model throughout.
     */
    void finish() {
        step("(end) Heap.poll()");
        for (int i = 0; i < 50 && !safePoint(Op.POLL, heap::poll); i++) {
            step("(end) Heap.poll() again");
        }
        compare("at the end of the program");
        step("(end) every root := none");
        for (int i = 0; i < STRONG; i++) {
            setStrong(i, Value.NONE, null);
        }
        for (int i = 0; i < WEAK; i++) {
            setWeak(i, Value.NONE, null);
        }
        for (int round = 0; round < 3; round++) {
            step("(end) take and discard every finalization message");
            // every message the heap has: in relaxed mode it may have some the model adopts only now
            for (int i = 0; i < 100_000 && takeMessage(STRONG); i++) {
                step("(end) take another message");
            }
            step("(end) Gc.full_major()");
            for (int i = 0; i < 50 && !safePoint(Op.FULL_MAJOR, () -> heap.gc().fullMajor()); i++) {
                step("(end) Gc.full_major() again");
            }
            for (Obj g : List.copyOf(model.objects.values())) {
                while (g.kind == Kind.GUARDIAN && model.objects.containsKey(g.id) && !g.handedBack.isEmpty()) {
                    step("(end)");
                    guardianPoll(new Act(Op.GUARD_POLL, 0, STRONG, 0, 0, 0, List.of(Val.ref(g.id)), List.of()));
                }
            }
        }
        compare("after the final collections");
    }

    private void step(String text) {
        currentLine = trace.size();
        trace.add(text);
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
