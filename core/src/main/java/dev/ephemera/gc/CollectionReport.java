package dev.ephemera.gc;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;

/**
 * What one collection (or slice) did, in a form the collector fills in place and reuses: the
 * figures a {@link GcEvent} carries, as primitives. The observer turns it into a {@code GcEvent}
 * only when someone will read one — a listener, the GC log, the logger, a flight recording —
 * and otherwise copies what it keeps (the MBean's counts). So a collection nobody listens to
 * allocates nothing on the JVM's heap: with a small young generation (the launcher's), the
 * few hundred bytes a collection used to leave behind added up to a young collection of the
 * JVM's — a pause of a millisecond or more — every few thousand minor collections, and one
 * fell, sooner or later, into any run long enough to matter (docs/design.md, "The JVM under
 * the heap").
 *
 * <p>Valid until the collector's next report (one report serves minor collections, slices,
 * compactions and elided cycles; a cycle's end has one of its own): an observer that keeps it
 * must copy it ({@link #copyFrom}).
 */
public final class CollectionReport {
    private static final Phase[] PHASES = Phase.values();

    GcEvent.Kind kind;
    long number;
    String reason;
    long pauseNanos;
    long condemnedWords;
    long survivedWords;
    long notCondemnedWords;
    long heapWordsBefore;
    long heapWordsAfter;
    long liveWordsAfter;
    long work;
    long maxPauseNanos;
    /** Nanoseconds by {@link Phase#ordinal()}; zero for a phase that did not run. */
    private final long[] phaseNanos = new long[PHASES.length];

    /** An empty report, to be filled by the collector or copied into. */
    public CollectionReport() {
    }

    /** Fills this report in; {@code phases} null: no phase times (a compaction, an elided cycle). */
    void set(GcEvent.Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
             long survivedWords, long notCondemnedWords, long heapWordsBefore, long heapWordsAfter,
             long liveWordsAfter, PhaseTimer phases, long work, long maxPauseNanos) {
        this.kind = kind;
        this.number = number;
        this.reason = reason;
        this.pauseNanos = pauseNanos;
        this.condemnedWords = condemnedWords;
        this.survivedWords = survivedWords;
        this.notCondemnedWords = notCondemnedWords;
        this.heapWordsBefore = heapWordsBefore;
        this.heapWordsAfter = heapWordsAfter;
        this.liveWordsAfter = liveWordsAfter;
        this.work = work;
        this.maxPauseNanos = maxPauseNanos;
        if (phases == null) {
            java.util.Arrays.fill(phaseNanos, 0L);
        } else {
            phases.copyTo(phaseNanos);
        }
    }

    /** Makes this report a copy of {@code other}. */
    public void copyFrom(CollectionReport other) {
        kind = other.kind;
        number = other.number;
        reason = other.reason;
        pauseNanos = other.pauseNanos;
        condemnedWords = other.condemnedWords;
        survivedWords = other.survivedWords;
        notCondemnedWords = other.notCondemnedWords;
        heapWordsBefore = other.heapWordsBefore;
        heapWordsAfter = other.heapWordsAfter;
        liveWordsAfter = other.liveWordsAfter;
        work = other.work;
        maxPauseNanos = other.maxPauseNanos;
        System.arraycopy(other.phaseNanos, 0, phaseNanos, 0, phaseNanos.length);
    }

    /** Which collection this reports; null for a report never filled in. */
    public GcEvent.Kind kind() {
        return kind;
    }

    /** Words in the condemned set before the collection. */
    public long condemnedWords() {
        return condemnedWords;
    }

    /** Words of the condemned set that survived (promoted, or marked). */
    public long survivedWords() {
        return survivedWords;
    }

    /** Words of the heap outside the condemned set. */
    public long notCondemnedWords() {
        return notCondemnedWords;
    }

    /** How long the mutator was stopped, in nanoseconds (for a major cycle, all its slices). */
    public long pauseNanos() {
        return pauseNanos;
    }

    /** The event listeners and the log see: a new, immutable {@link GcEvent}. */
    public GcEvent toEvent() {
        return GcEvent.of(kind, number, reason, pauseNanos, condemnedWords, survivedWords, notCondemnedWords,
                heapWordsBefore, heapWordsAfter, liveWordsAfter, phaseNanos, work, maxPauseNanos);
    }
}
