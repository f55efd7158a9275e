package dev.ephemera.gc;

import dev.ephemera.event.Phase;
import dev.ephemera.object.layout.Header;
import java.util.List;

/**
 * The major collection as an incremental cycle, OCaml 4.14's model: <em>mark</em> (roots, main,
 * final) → <em>clean</em> → <em>sweep</em> → idle, run in slices between which the mutator
 * runs. A stop-the-world collection is the same cycle run in one slice.
 *
 * <h2>The invariant: a snapshot at the beginning</h2>
 * A cycle starts on an empty nursery: the strong roots are marked at once ({@link Phase#ROOTS};
 * the roots the collector itself holds — queued finalisers, finaliser functions — in budgeted
 * steps after it, see {@link WeakClient#markDeferredRoots}), and from then until marking ends the {@linkplain WriteBarrier write barrier} darkens every
 * pointer a store overwrites in an old block (a deletion barrier). Blocks allocated or promoted
 * while the cycle marks or cleans are black ({@link MajorHeap#allocationColour}). So every
 * block reachable when the cycle began is marked by the end of marking, whatever the mutator
 * does (Yuasa; OCaml 4.14): what the mutator can reach later is either such a block, or a
 * newer one — black, or young and so not condemned. The one way around it is a weak slot,
 * which can hand the mutator a block nothing strong reaches: so reading a weak slot while
 * marking darkens the value read ({@link WeakSlots}). The verifier checks the invariant after
 * every slice in its tricolour form: a white block that a black block or a root points to is
 * still reachable from the grey set through white blocks ({@link Verifier}).
 *
 * <h2>Ephemerons and finalisers across slices</h2>
 * The {@linkplain EphemeronFixpoint ephemeron fixpoint} runs inside marking and keeps its
 * waiting state between slices (waited headers keep their size and tag, so the mutator can
 * read them); a store into a reached ephemeron requeues it. When marking is complete —
 * checked in the same slice as what follows, so no mutator runs in between — the finaliser
 * tables select their unreached finalise-first values (all of them before any is retained)
 * and resurrect them ({@link Phase#FINALISE_FIRST}), marking resumes, guardians repeat until
 * they find nothing more; then marking ends ({@link Phase#FINALISE_LAST}): finalise-last
 * values still unmarked are selected, weak roots splatted and foreign boxes released, all at
 * once. Ephemeron keys and data are then cleared in budgeted steps ({@link Phase#CLEAN}),
 * the accessors cleaning what they touch in the meantime, and the sweep frees the rest, lazily
 * ({@link Phase#SWEEP}).
 *
 * <p>This class never runs client code and is used by the heap's owner thread only.
 */
final class MajorCycle {
    /** Where a cycle is: OCaml's {@code caml_gc_phase}. */
    enum State { IDLE, MARK, CLEAN, SWEEP }

    private final MajorHeap major;
    /** The budget of the clients that clear at once, reset for each (nothing made per cycle). */
    private final Budget wholeClear = Budget.unlimited();
    private final Marker marker;
    private final EphemeronFixpoint ephemerons;
    private final WriteBarrier barrier;
    private final RootSet roots;
    private final List<WeakClient> clients;
    private final Schedule schedule;
    private State state = State.IDLE;
    /** Free words worth keeping when the sweep ends (the pacer's say). */
    private long keepFreeWords;

    /** FINALISE_FIRST: the next round, and which clients asked to be called again. */
    private int round;
    /** ROOTS: the atomic part is done; deferred roots are being marked. */
    private boolean snapshotTaken;
    private final boolean[] wantsRound;

    MajorCycle(MajorHeap major, Marker marker, EphemeronFixpoint ephemerons, WriteBarrier barrier,
               RootSet roots, List<WeakClient> clients) {
        this.major = major;
        this.marker = marker;
        this.ephemerons = ephemerons;
        this.barrier = barrier;
        this.roots = roots;
        this.clients = List.copyOf(clients);
        this.wantsRound = new boolean[this.clients.size()];
        this.schedule = new Schedule(
                new Phase[] {Phase.ROOTS, Phase.MARK, Phase.FINALISE_FIRST, Phase.FINALISE_LAST, Phase.CLEAN, Phase.SWEEP},
                new Schedule.Step[] {this::markRoots, marker::drain, this::finaliseFirst, this::endMarking,
                    this::clean, this::sweep});
    }

    State state() {
        return state;
    }

    /** True while dead ephemeron keys are being cleared (accessors clean before they read). */
    boolean isCleaning() {
        return state == State.CLEAN;
    }

    /** The phase the next slice resumes, or null when idle. */
    Phase currentPhase() {
        return schedule.current();
    }

    /**
     * Starts a cycle; the nursery must be empty. {@code keepFreeWords} is how much free space
     * the sweep should leave when it gives chunks back.
     */
    void start(long keepFreeWords) {
        if (state != State.IDLE) {
            throw new IllegalStateException("MajorCycle.start: a cycle is already running (" + state + ")");
        }
        this.keepFreeWords = keepFreeWords;
        schedule.start();
        state = State.MARK;
    }

    /**
     * Runs the cycle until {@code budget} is spent or the cycle ends; returns true in the
     * second case (the heap is then swept and idle). The nursery must be empty.
     */
    boolean slice(Budget budget, PhaseTimer timer) {
        if (state == State.IDLE) {
            return true;
        }
        if (schedule.run(budget, timer)) {
            state = State.IDLE;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ the steps

    /**
     * The snapshot, then the roots the clients deferred (see {@link #markDeferredRoots}): the
     * first call takes the snapshot, and this and later calls mark deferred roots until the
     * budget is spent. With nothing deferred, the step ends in the slice that starts the cycle.
     */
    private boolean markRoots(Budget budget) {
        if (!snapshotTaken) {
            takeSnapshot(budget);
            snapshotTaken = true;
        }
        if (!markDeferredRoots(budget)) {
            return false;
        }
        snapshotTaken = false;
        return true;
    }

    private void takeSnapshot(Budget budget) {
        marker.reset();
        ephemerons.trim();
        major.setAllocationColour(Header.BLACK);
        barrier.startMarking(marker, ephemerons);
        round = 0;
        roots.forEachStrong(v -> {
            marker.mark(v);
            return v;
        });
        for (WeakClient c : clients) {
            c.visitRoots(marker);
        }
        budget.spend(roots.strongRegionSlots() + 64L);
    }

    /**
     * The collector-owned roots the clients left for later (queued finalisers, finaliser
     * functions), in budgeted steps — as OCaml 4.14 darkens its modules' global data in the
     * slices of its {@code Subphase_mark_roots} ({@code caml_darken_all_roots_slice}). Handles,
     * root areas and global roots, which the mutator writes without a barrier, are marked at
     * once; these change only through the collector or through a path that darkens what it
     * removes.
     */
    private boolean markDeferredRoots(Budget budget) {
        for (WeakClient c : clients) {
            if (!c.markDeferredRoots(marker, budget)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The resurrecting band, in rounds with the closure between them: round 0 (every client
     * selects, nothing is retained yet) and round 1 (they retain) run back to back, once
     * marking is complete; later rounds run while some client asks for one.
     */
    private boolean finaliseFirst(Budget budget) {
        while (true) {
            if (!marker.drain(budget)) {
                return false;
            }
            boolean again = false;
            if (round == 0) {
                for (int i = 0; i < clients.size(); i++) {
                    wantsRound[i] = clients.get(i).resurrect(marker, 0);
                }
                round = 1;
            }
            for (int i = 0; i < clients.size(); i++) {
                if (wantsRound[i]) {
                    wantsRound[i] = clients.get(i).resurrect(marker, round);
                    again |= wantsRound[i];
                }
            }
            round++;
            if (!again && marker.isDrained()) {
                return true;
            }
        }
    }

    /**
     * Marking ends, atomically: the closure is drained one last time (the mutator may have
     * darkened something since, a guardian among them: its unreached values are handed over
     * and marked, and the closure drained again), the dead are selected, and weak references
     * that the mutator could read without an accessor (weak roots) are cleared now.
     */
    private boolean endMarking(Budget budget) {
        boolean again = true;
        while (again) {
            if (!marker.drain(budget)) {
                return false;
            }
            again = false;
            for (WeakClient c : clients) {
                again |= c.selectRevived(marker);
            }
        }
        for (WeakClient c : clients) {
            c.selectDead(marker);
        }
        barrier.stopMarking();
        ephemerons.endMarking();
        state = State.CLEAN;
        for (WeakClient c : clients) {
            if (!c.clearsIncrementally()) {
                c.clear(marker, wholeClear.reset(Long.MAX_VALUE));
            }
        }
        return true;
    }

    private boolean clean(Budget budget) {
        for (WeakClient c : clients) {
            if (c.clearsIncrementally() && !c.clear(marker, budget)) {
                return false;
            }
        }
        major.startSweep();
        state = State.SWEEP;
        return true;
    }

    private boolean sweep(Budget budget) {
        if (!major.sweepSlice(budget)) {
            return false;
        }
        major.finishSweep(keepFreeWords);
        return true;
    }

    /** Abandons any cycle (the heap is being closed). */
    void abandon() {
        snapshotTaken = false;
        barrier.stopMarking();
        ephemerons.abandon();
        marker.reset();
        state = State.IDLE;
    }
}
