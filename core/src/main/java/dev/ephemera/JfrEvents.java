package dev.ephemera;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The heap's JDK Flight Recorder events, fed from the collector's {@link GcEvent} stream:
 * <ul>
 *   <li>{@value #COLLECTION}: one per collection, with its kind, reason, pause and sizes: a minor
 *       collection, each slice of a major cycle ({@code MAJOR_SLICE}: its duration is its
 *       pause), each major cycle when it ends ({@code MAJOR}: its duration spans the whole
 *       cycle, the mutator's time between slices included; its pause is the sum of its
 *       slices'), and each compaction;</li>
 *   <li>{@value #PHASE}: one per timed phase of a collection or slice (a major cycle's roots,
 *       mark, finalise-first, finalise-last, clean and sweep), with the phase's time as
 *       {@code phaseDuration} (the phases are timed by the collector; the events are committed
 *       when the collection ends).</li>
 * </ul>
 * Sizes are in words (8 bytes), as everywhere in the heap; the byte figures are there for JDK
 * Mission Control's displays. Until Flight Recorder is started a collection costs one
 * {@link FlightRecorder#isInitialized()} check, and the event classes are not even registered;
 * when no recording has the events enabled, one {@link Event#isEnabled()} check more: no event
 * object is made, no field filled, nothing committed. This class is
 * loaded only when the runtime has the {@code jdk.jfr} module ({@link #AVAILABLE}).
 */
final class JfrEvents {
    /** The name of the per-collection event. */
    static final String COLLECTION = "dev.ephemera.Collection";
    /** The name of the per-phase event. */
    static final String PHASE = "dev.ephemera.CollectionPhase";

    /** Whether this runtime has JFR (a jlinked image may not). */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    /**
     * Never committed: asked whether a recording wants the event, so that a collection nobody
     * records allocates no event object ({@link Event#isEnabled()} reads the event type's
     * setting, not the instance's). In a holder: creating the first event registers the event
     * classes with Flight Recorder, which initialises its metadata repository — 15 ms, measured
     * inside a heap's first collection — so it waits until Flight Recorder is running.
     */
    private static final class Probes {
        static final CollectionEvent COLLECTION = new CollectionEvent();
        static final PhaseEvent PHASE = new PhaseEvent();
    }

    /**
     * Whether a recording may want the collection event: Flight Recorder has been started
     * (by {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the API) and the event is
     * enabled in one of its recordings.
     */
    private static boolean collectionWanted() {
        return FlightRecorder.isInitialized() && Probes.COLLECTION.isEnabled();
    }

    /** The same for the phase event. */
    private static boolean phaseWanted() {
        return FlightRecorder.isInitialized() && Probes.PHASE.isEnabled();
    }

    /**
     * Whether a collection that began with {@code begun} (what {@link #begin()} returned)
     * should be reported to Flight Recorder: its event began, or a recording wants one now.
     */
    static boolean wanted(Object begun) {
        return begun != null || collectionWanted() || phaseWanted();
    }

    private JfrEvents() {}

    /** One collection of one heap. */
    @Name(COLLECTION)
    @Label("ephemera Collection")
    @Category({"ephemera", "Collector"})
    @Description("One collection of an ephemera heap: its kind, reason, pause and sizes in words")
    @StackTrace(false)
    static final class CollectionEvent extends Event {
        @Label("Heap")
        @Description("The heap's name (HeapConfig.name; its MBean is dev.ephemera:type=Heap,name=...)")
        String heap;

        @Label("Kind")
        @Description("MINOR, MAJOR (a whole cycle), MAJOR_SLICE or COMPACTION (GcEvent.Kind)")
        String kind;

        @Label("Number")
        @Description("1-based count of collections of this kind in this heap, this one included")
        long number;

        @Label("Reason")
        String reason;

        @Label("Pause")
        @Timespan(Timespan.NANOSECONDS)
        long pause;

        @Label("Words Before")
        @Description("Words in the condemned set before the collection: the nursery's allocated words "
                + "(minor) or the major heap's allocated words (major)")
        long wordsBefore;

        @Label("Words After")
        @Description("Words of the condemned set that survived: promoted (minor) or marked (major)")
        long wordsAfter;

        @Label("Words Promoted")
        @Description("Words copied from the nursery into the major heap (minor collections; 0 for major ones)")
        long wordsPromoted;

        @Label("Heap Words Before")
        long heapWordsBefore;

        @Label("Heap Words After")
        long heapWordsAfter;

        @Label("Live Words After")
        long liveWordsAfter;

        @Label("Heap Size After")
        @DataAmount(DataAmount.BYTES)
        long heapBytesAfter;
    }

    /** One timed phase of one collection. */
    @Name(PHASE)
    @Label("ephemera Collection Phase")
    @Category({"ephemera", "Collector"})
    @Description("One timed phase of an ephemera collection (committed when the collection ends)")
    @StackTrace(false)
    static final class PhaseEvent extends Event {
        @Label("Heap")
        String heap;

        @Label("Kind")
        String kind;

        @Label("Number")
        long number;

        @Label("Phase")
        @Description("A collection phase: MINOR_ROOTS ... MINOR_CLEAR, ROOTS, MARK, FINALISE_FIRST, FINALISE_LAST, CLEAN, SWEEP")
        String phase;

        @Label("Phase Duration")
        @Timespan(Timespan.NANOSECONDS)
        long phaseDuration;
    }

    /**
     * Called as a collection starts: an event whose clock is started when a recording wants
     * it, else null.
     */
    static Object begin() {
        if (!collectionWanted()) {
            return null;
        }
        CollectionEvent e = new CollectionEvent();
        e.begin();
        return e;
    }

    /**
     * Called as a collection ends, with what {@link #begin()} returned for it (null: a new
     * event, if any recording wants one). One case per kind of {@link GcEvent}: a kind with no
     * case of its own gets the collection event alone.
     */
    static void ended(Object begun, String heap, GcEvent event) {
        switch (event.kind) {
            case MAJOR, MAJOR_SLICE -> {
                collection(begun, heap, event);
                phases(heap, event);
            }
            // Each kind reports its collection event; kinds whose GcEvent carries phase times
            // report them too.
            default -> collection(begun, heap, event);
        }
    }

    private static void collection(Object begun, String heap, GcEvent event) {
        if (begun == null && !collectionWanted()) {
            return;
        }
        CollectionEvent e = begun instanceof CollectionEvent ? (CollectionEvent) begun : new CollectionEvent();
        if (!e.shouldCommit()) {
            return;
        }
        e.heap = heap;
        e.kind = event.kind.name();
        e.number = event.number;
        e.reason = event.reason;
        e.pause = event.pauseNanos;
        e.wordsBefore = event.condemnedWords;
        e.wordsAfter = event.survivedWords;
        e.wordsPromoted = event.kind == GcEvent.Kind.MINOR ? event.survivedWords : 0;
        e.heapWordsBefore = event.heapWordsBefore;
        e.heapWordsAfter = event.heapWordsAfter;
        e.liveWordsAfter = event.liveWordsAfter;
        e.heapBytesAfter = event.heapWordsAfter * Long.BYTES;
        e.commit();
    }

    private static void phases(String heap, GcEvent event) {
        if (event.phaseNanos.isEmpty()) {
            return;
        }
        if (!phaseWanted()) {
            return;
        }
        for (Phase p : Phase.values()) {
            Long nanos = event.phaseNanos.get(p);
            if (nanos == null) {
                continue;
            }
            PhaseEvent e = new PhaseEvent();
            e.heap = heap;
            e.kind = event.kind.name();
            e.number = event.number;
            e.phase = p.name();
            e.phaseDuration = nanos;
            e.commit();
        }
    }
}
