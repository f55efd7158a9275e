package dev.ephemera.gc;

import dev.ephemera.object.Value;

/**
 * The major collection: mark, weak processing, finalisation selection, sweep — stop the world,
 * over an empty nursery. Phases, in order (named in {@link Phase}):
 * <ol>
 * <li>ROOTS: strong roots, finaliser functions, queued finalisers;</li>
 * <li>MARK: the closure, ephemeron fixpoint included ({@link Marker});</li>
 * <li>FINALISE_FIRST: values registered with a resurrecting finaliser and not marked are
 *     selected (all of them, before any is marked, so a registered value reachable only from
 *     another is selected in the same cycle), then marked, and the closure resumes;</li>
 * <li>FINALISE_LAST: values registered with a finalise-last function and still not marked are
 *     selected (they stay unmarked);</li>
 * <li>CLEAR: ephemeron keys and data, weak roots, foreign boxes ({@link WeakProcessor});</li>
 * <li>SWEEP: unmarked blocks are freed, marked ones whitened.</li>
 * </ol>
 */
final class MajorCollector {
    private final MajorHeap major;
    private final Marker marker;
    private final WeakProcessor weak;
    private final SlotVisitor markRoot;
    private final SlotVisitor survivor;

    MajorCollector(MajorHeap major, Marker marker, WeakProcessor weak) {
        this.major = major;
        this.marker = marker;
        this.weak = weak;
        this.markRoot = v -> {
            marker.mark(v);
            return v;
        };
        this.survivor = v -> marker.isReached(v) ? v : Value.NONE;
    }

    /** Values the last collection selected and resurrected (finalise-first, MPS, guardians). */
    private int resurrected;

    /** The number of values the last collection resurrected for a finaliser, a message or a guardian. */
    int resurrected() {
        return resurrected;
    }

    /** Runs a major collection; the nursery must be empty. Returns the words of the blocks that survived. */
    long collect(RootSet roots, FinaliserTable[] finalisers, FinalisationQueue[] queues,
                 ForeignTable foreign, long keepFreeWords, PhaseTimer timer) {
        marker.reset();
        timer.enter(Phase.ROOTS);
        roots.forEachStrong(markRoot);
        for (FinaliserTable t : finalisers) {
            t.majorRoots(markRoot);
        }
        for (FinalisationQueue q : queues) {
            q.forEachRoot(markRoot);
        }

        timer.enter(Phase.MARK);
        marker.drain();

        timer.enter(Phase.FINALISE_FIRST);
        FinalisationQueue.Batch[] batches = new FinalisationQueue.Batch[finalisers.length];
        for (int k = 0; k < finalisers.length; k++) {
            FinaliserTable t = finalisers[k];
            batches[k] = new FinalisationQueue.Batch(!t.resurrects);
            if (t.kind == FinaliserTable.Kind.GUARDIAN) {
                t.selectGuarded(marker, batches[k], false);
            } else if (t.resurrects) {
                t.select(0, survivor, batches[k]);
            }
        }
        resurrected = 0;
        for (FinalisationQueue.Batch b : batches) {
            if (!b.last) {
                markValues(b, 0);
            }
        }
        marker.drain();
        for (int k = 0; k < finalisers.length; k++) {
            FinaliserTable t = finalisers[k];
            if (t.kind == FinaliserTable.Kind.GUARDIAN) {
                // Resurrection may have reached more guardians: repeat until nothing changes.
                int from = batches[k].size;
                while (t.selectGuarded(marker, batches[k], false) > 0) {
                    markValues(batches[k], from);
                    from = batches[k].size;
                    marker.drain();
                }
                t.selectGuarded(marker, null, true);
            }
        }

        timer.enter(Phase.FINALISE_LAST);
        for (int k = 0; k < finalisers.length; k++) {
            FinaliserTable t = finalisers[k];
            if (!t.resurrects) {
                t.select(0, survivor, batches[k]);
            }
        }

        timer.enter(Phase.CLEAR);
        weak.majorClear(marker, roots);
        foreign.majorSweep(marker);

        timer.enter(Phase.SWEEP);
        major.sweep(keepFreeWords);
        long marked = major.liveWords();
        marker.reset();
        for (int k = 0; k < finalisers.length; k++) {
            if (!batches[k].last) {
                resurrected += batches[k].size;
            }
            finalisers[k].queue.append(batches[k]);
        }
        timer.enter(null);
        return marked;
    }

    private void markValues(FinalisationQueue.Batch b, int from) {
        for (int i = from; i < b.size; i++) {
            marker.mark(b.values[i]);
        }
    }
}
