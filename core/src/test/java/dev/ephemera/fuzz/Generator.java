package dev.ephemera.fuzz;

import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Op;
import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses the next act of a program from a seeded random source, looking at the model's state
 * (which objects exist, of what kind) so that most acts do something. The same seed gives the
 * same program on the same heap.
 */
final class Generator {
    /** Relative weights of the top-level operations. */
    private static final Object[][] WEIGHTS = {
        {Op.ALLOC, 16}, {Op.LEAF, 3}, {Op.EPHE, 10}, {Op.WEAK_ARRAY, 4}, {Op.GUARDIAN, 2},
        {Op.SET_FIELD, 10}, {Op.SET_KEY, 10}, {Op.SET_DATA, 6}, {Op.BLIT_KEY, 3}, {Op.BLIT_DATA, 2},
        {Op.FILL, 1}, {Op.GET, 5}, {Op.QUERY, 2}, {Op.STORE, 8}, {Op.SET_WEAK, 3}, {Op.FINALISE, 7},
        {Op.GUARD, 3}, {Op.GUARD_POLL, 2}, {Op.MPS_FINALIZE, 2}, {Op.MPS_DEFINALIZE, 1}, {Op.MSG_TAKE, 2},
        {Op.MINOR, 6}, {Op.MAJOR, 4}, {Op.FULL_MAJOR, 1}, {Op.POLL, 2}, {Op.JUNK, 3}, {Op.RELEASE, 1},
        {Op.SCOPED, 2}, {Op.RESIZE, 1}, {Op.SLICE, 4}, {Op.COMPACT, 1},
    };
    /** Weights of what a finaliser body does. */
    private static final Object[][] BODY_WEIGHTS = {
        {Op.STORE, 10}, {Op.SET_FIELD, 3}, {Op.SET_KEY, 3}, {Op.FINALISE, 3}, {Op.GUARD, 1}, {Op.MPS_FINALIZE, 1},
        {Op.ALLOC, 4}, {Op.JUNK, 2}, {Op.MINOR, 3}, {Op.MAJOR, 2}, {Op.POLL, 1}, {Op.RELEASE, 3}, {Op.THROW, 2},
        {Op.SLICE, 1},
    };

    private final Random rnd;
    /** The model of the program being run: what exists now, of what kind. */
    private final Model model;
    private int nextId = 1;

    /** Collections that are not safe points, so that queued finalisers wait for an allocation. */
    private final boolean preferUnsafeCollections;
    /** Programs that fill whole pages ({@link FuzzConfig#FULL_PAGES}). */
    private final boolean fillsPages;

    Generator(Random rnd, Model model, FuzzConfig config) {
        this.rnd = rnd;
        this.model = model;
        this.preferUnsafeCollections = config.finalisersAtAllocation();
        this.fillsPages = config == FuzzConfig.FULL_PAGES;
    }

    Act next() {
        if (pending.isEmpty() && fillsPages && rnd.nextInt(40) == 0) {
            fillPages();
        }
        if (pending.isEmpty() && rnd.nextInt(30) == 0) {
            if (rnd.nextBoolean()) {
                chain();
            } else {
                dataPointsBack();
            }
        }
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        Op op = pick(WEIGHTS);
        if (preferUnsafeCollections && (op == Op.MINOR || op == Op.MAJOR) && rnd.nextInt(4) > 0) {
            op = Op.RESIZE;             // a minor collection (maybe a major) that runs no finaliser
        }
        return act(op, false, 0);
    }

    // ------------------------------------------------------------------ macros
    // Short sequences of ordinary acts building shapes that random acts rarely reach.

    private final java.util.ArrayDeque<Act> pending = new java.util.ArrayDeque<>();

    private static Act of(Op op, int id, int a, int b, int c, Val... vals) {
        return new Act(op, id, a, b, c, 0, List.of(vals), List.of());
    }

    /**
     * A macro's block: its id in field 0 or in its last field at random (the act's {@code d},
     * see {@code AllocationSteps.alloc}), as a random {@code ALLOC}'s is.
     */
    private Act alloc(int id, int a, int b, int c, Val... vals) {
        return new Act(Op.ALLOC, id, a, b, c, rnd.nextBoolean() ? AllocationSteps.ID_LAST_BIT : 0, List.of(vals), List.of());
    }

    /**
     * An ephemeron chain (issue 3's shape): ephemeron i has key k(i) and data k(i+1), the
     * ephemerons created in a random order, held by a block; then only k(0) stays a root, so
     * the whole chain lives through the fixpoint alone. Some ephemerons get a second key; minor
     * collections in between put keys of one chain in both generations.
     */
    private void chain() {
        int n = 2 + rnd.nextInt(10);
        int slot = rnd.nextInt(ProgramRoots.STRONG);
        int ephSlot = (slot + 1) % ProgramRoots.STRONG;
        int scratch = (slot + 2) % ProgramRoots.STRONG;
        int keyHolder = nextId++;
        int ephHolder = nextId++;
        pending.add(alloc(keyHolder, 0, 0, slot, nones(n + 1)));       // alloc(tag 0, size) path
        pending.add(alloc(ephHolder, 0, 0, ephSlot, nones(n)));
        int[] keys = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            keys[i] = nextId++;
            pending.add(alloc(keys[i], 2, 0, scratch, Val.imm(i)));
            pending.add(of(Op.SET_FIELD, 0, i, 0, 0, Val.ref(keyHolder), Val.ref(keys[i])));
            if (rnd.nextInt(4) == 0) {
                pending.add(of(Op.MINOR, 0, 0, 0, 0));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, rnd);
        for (int i : order) {
            int e = nextId++;
            boolean twoKeys = rnd.nextInt(4) == 0;
            Val extra = Val.ref(keys[rnd.nextInt(n + 1)]);
            pending.add(twoKeys ? of(Op.EPHE, e, 2, 2, scratch, Val.ref(keys[i + 1]), Val.ref(keys[i]), extra)
                    : of(Op.EPHE, e, 2, 1, scratch, Val.ref(keys[i + 1]), Val.ref(keys[i])));
            pending.add(of(Op.SET_FIELD, 0, i, 0, 0, Val.ref(ephHolder), Val.ref(e)));
            if (rnd.nextInt(6) == 0) {
                pending.add(of(Op.MINOR, 0, 0, 0, 0));
            }
        }
        pending.add(of(Op.STORE, 0, slot, 0, 0, Val.ref(keys[0])));
        pending.add(of(Op.STORE, 0, scratch, 0, 0, Val.NONE));
    }

    /**
     * Blocks of one size class, enough to fill whole pages of the major heap, kept by holder
     * blocks; then about half of them dropped and a major collection, then more of the same
     * size (into the cells just freed) and another. Random programs never fill a page, so a
     * sweep that mishandled a page's last cell (or first) went unnoticed.
     * Two shapes: blocks born old ({@code alloc(tag, 300)}, 12 to a page) and 61-field blocks
     * promoted by minor collections (64 to a page).
     *
     * <p>Only in {@link FuzzConfig#FULL_PAGES} programs (stop-the-world cycles: see there). The
     * macro still makes garbage only right after a major collection, so that it stays valid
     * should those programs run incremental cycles again.
     */
    private void fillPages() {
        boolean bornOld = rnd.nextBoolean();
        int fields = bornOld ? AllocationSteps.BIG_WORDS : 61;
        int perPage = dev.ephemera.gc.PageGeometry.cellsPerPage(fields);
        int n = 2 * perPage + rnd.nextInt(3);
        int slot = rnd.nextInt(ProgramRoots.STRONG);
        int slot2 = (slot + 2) % ProgramRoots.STRONG;
        int scratch = (slot + 1) % ProgramRoots.STRONG;
        int holderFields = Math.min(n, 200);
        int holder = nextId++;
        int holder2 = nextId++;
        pending.add(of(Op.MAJOR, 0, 0, 0, 0));                 // no cycle runs from here ...
        for (int r : new int[] {slot, slot2, scratch}) {
            pending.add(of(Op.STORE, 0, r, 0, 0, Val.NONE));   // ... while this makes garbage
        }
        pending.add(alloc(holder, 0, 0, slot, nones(holderFields)));
        pending.add(alloc(holder2, 0, 0, slot2, nones(Math.max(1, n - holderFields))));
        int[] blocks = new int[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = nextId++;
            pending.add(page(blocks[i], bornOld, fields, scratch));
            pending.add(setHolder(i, holderFields, holder, holder2, Val.ref(blocks[i])));
        }
        pending.add(of(Op.STORE, 0, scratch, 0, 0, Val.NONE));
        pending.add(of(Op.MAJOR, 0, 0, 0, 0));                 // promoted, and no cycle runs
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                dropped.add(i);
                pending.add(setHolder(i, holderFields, holder, holder2, Val.NONE));
            }
        }
        pending.add(of(rnd.nextBoolean() ? Op.MAJOR : Op.FULL_MAJOR, 0, 0, 0, 0));
        for (int i : dropped.subList(0, rnd.nextInt(dropped.size() + 1))) {
            int b = nextId++;
            pending.add(page(b, bornOld, fields, scratch));
            pending.add(setHolder(i, holderFields, holder, holder2, Val.ref(b)));
        }
        pending.add(of(Op.STORE, 0, scratch, 0, 0, Val.NONE));
        pending.add(of(Op.MAJOR, 0, 0, 0, 0));
    }

    private Act page(int id, boolean bornOld, int fields, int slot) {
        return bornOld ? alloc(id, 6, 0, slot) : alloc(id, 0, 0, slot, nones(fields - 1));
    }

    private static Act setHolder(int i, int holderFields, int holder, int holder2, Val v) {
        return of(Op.SET_FIELD, 0, i < holderFields ? i : i - holderFields, 0, 0,
                Val.ref(i < holderFields ? holder : holder2), v);
    }

    /**
     * OCaml's {@code Ephemeron} model: data that points back to its own key, or to its own
     * ephemeron, keeps neither alive. The ephemeron stays a root; key and data do not.
     */
    private void dataPointsBack() {
        int slot = rnd.nextInt(ProgramRoots.STRONG);
        int scratch = (slot + 1) % ProgramRoots.STRONG;
        int k = nextId++;
        int d = nextId++;
        int e = nextId++;
        pending.add(alloc(k, 1, 0, scratch));
        pending.add(alloc(d, 2, 0, (slot + 2) % ProgramRoots.STRONG, Val.ref(k)));
        pending.add(of(Op.EPHE, e, 2, 1, slot, Val.ref(d), Val.ref(k)));
        if (rnd.nextBoolean()) {
            pending.add(of(Op.SET_FIELD, 0, 0, 0, 0, Val.ref(d), Val.ref(e)));
        }
        pending.add(of(Op.STORE, 0, scratch, 0, 0, Val.NONE));
        pending.add(of(Op.STORE, 0, (slot + 2) % ProgramRoots.STRONG, 0, 0, Val.NONE));
    }

    private static Val[] nones(int n) {
        Val[] v = new Val[n];
        java.util.Arrays.fill(v, Val.NONE);
        return v;
    }

    private static Op pick(Object[][] weights, Random rnd) {
        int total = 0;
        for (Object[] w : weights) {
            total += (Integer) w[1];
        }
        int r = rnd.nextInt(total);
        for (Object[] w : weights) {
            r -= (Integer) w[1];
            if (r < 0) {
                return (Op) w[0];
            }
        }
        throw new AssertionError();
    }

    private Op pick(Object[][] weights) {
        return pick(weights, rnd);
    }

    private Act act(Op op, boolean inBody, int nesting) {
        int a = rnd.nextInt(1000);
        int b = rnd.nextInt(1000);
        int c = rnd.nextInt(1000);
        int d = rnd.nextInt(1000);
        List<Val> vals = new ArrayList<>();
        List<Act> body = List.of();
        int id = 0;
        switch (op) {
            case ALLOC -> {
                id = nextId++;
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    vals.add(value(inBody));
                }
            }
            case LEAF, GUARDIAN -> id = nextId++;
            case EPHE, WEAK_ARRAY -> {
                id = nextId++;
                for (int i = 0; i < 6; i++) {
                    vals.add(rnd.nextInt(4) == 0 ? Val.NONE : value(inBody));
                }
            }
            case SET_FIELD -> {
                vals.add(some(Kind.BLOCK));
                vals.add(inBody && rnd.nextBoolean() ? Val.SELF : value(inBody));
            }
            case SET_KEY, SET_DATA, FILL -> {
                vals.add(some(Kind.EPHEMERON));
                vals.add(inBody && rnd.nextBoolean() ? Val.SELF : rnd.nextInt(6) == 0 ? Val.NONE : value(inBody));
            }
            case BLIT_KEY, BLIT_DATA -> {
                vals.add(some(Kind.EPHEMERON));
                vals.add(some(Kind.EPHEMERON));
            }
            case GET -> {
                vals.add(some(Kind.EPHEMERON));
                id = nextId++;
            }
            case QUERY -> {
                vals.add(some(Kind.EPHEMERON));
                for (int i = 0; i < 3; i++) {
                    vals.add(value(inBody));
                }
            }
            case SCOPED -> vals.add(value(inBody));
            case STORE -> vals.add(inBody && rnd.nextInt(3) > 0 ? Val.SELF : rnd.nextInt(4) == 0 ? Val.NONE : value(inBody));
            case SET_WEAK -> vals.add(value(inBody));
            case FINALISE -> {
                id = nextId++;
                vals.add(inBody && rnd.nextBoolean() ? Val.SELF : some(null));
                vals.add(rnd.nextBoolean() ? value(inBody) : Val.NONE);
                int n = nesting >= 2 ? 0 : rnd.nextInt(4);
                List<Act> acts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    acts.add(act(pick(BODY_WEIGHTS), true, nesting + 1));
                }
                body = acts;
            }
            case GUARD -> {
                id = nextId++;
                vals.add(some(Kind.GUARDIAN));
                vals.add(inBody && rnd.nextBoolean() ? Val.SELF : some(null));
            }
            case GUARD_POLL -> vals.add(some(Kind.GUARDIAN));
            case MPS_FINALIZE -> {
                id = nextId++;
                vals.add(inBody && rnd.nextBoolean() ? Val.SELF : some(null));
            }
            case MPS_DEFINALIZE -> vals.add(some(null));
            default -> { }
        }
        return new Act(op, id, a, b, c, d, vals, body);
    }

    /** A value operand: mostly an existing object (recent ones more often), else empty or an immediate. */
    private Val value(boolean inBody) {
        int r = rnd.nextInt(20);
        if (r < 2) {
            return Val.NONE;
        }
        if (r < 4) {
            return Val.imm(rnd.nextInt(100));
        }
        if (inBody && r < 6) {
            return Val.SELF;
        }
        return some(null);
    }

    /** An existing object of {@code kind} (any kind if null), or NONE if there is none. */
    private Val some(Kind kind) {
        List<Obj> candidates = new ArrayList<>();
        for (Obj o : model.objects.values()) {
            if (kind == null || o.kind == kind) {
                candidates.add(o);
            }
        }
        if (candidates.isEmpty()) {
            return kind == null ? Val.NONE : Val.ref(-1); // names nothing: the act is a no-op
        }
        int n = candidates.size();
        int i = rnd.nextBoolean() ? n - 1 - rnd.nextInt(Math.min(n, 8)) : rnd.nextInt(n);
        return Val.ref(candidates.get(i).id);
    }
}
