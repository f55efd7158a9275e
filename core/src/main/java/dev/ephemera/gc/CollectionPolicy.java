package dev.ephemera.gc;

/**
 * When a major cycle starts and how much of it each slice does — OCaml's {@code space_overhead}
 * policy, paced by allocation as OCaml 4.14's {@code caml_major_collection_slice} is.
 *
 * <p><b>When.</b> Between two cycles the major heap may take on new words (promoted or allocated
 * directly) amounting to {@code spaceOverhead} percent of what was live after the last one: the
 * <em>threshold</em>. The heap then settles near {@code live × (1 + spaceOverhead/100)}, and the
 * cost of major collection per word promoted stays constant however large the live data grows.
 * A stop-the-world collector collects when the threshold is reached. An incremental cycle
 * starts as late as it can while still ending before the threshold at no more than
 * {@link #REFERENCE_PACE} units of work per word added: a cycle with much to mark starts early
 * (at a quarter of the threshold at the earliest, {@link #EARLIEST_START}, going faster if it
 * must), a cheap one late (at {@link #LATEST_START} at the latest). A cycle is never spread
 * over fewer words than two nurseries (half the minimum threshold), so a cheap cycle that
 * starts late while the threshold is at its minimum is paced to end up to 0.4 of it past the
 * threshold — still far inside the outrun bound below.
 *
 * <p><b>How much.</b> When a cycle starts, its work is estimated — marking the words live after
 * the last cycle, sweeping the heap (a page costs a quarter of its words), scaled by the
 * calibration — and spread over the words the mutator may still add before the threshold, with
 * a quarter to spare: every word promoted or allocated in the major heap during the cycle owes
 * {@link #workPerWord} units of collector work, paid by the slice that follows (after each
 * minor collection, or after a direct major allocation once a nursery's worth has
 * accumulated). So the cycle keeps ahead of the mutator, and a slice's pause is proportional
 * to what the mutator did since the last one, not to the heap. Should the mutator still outrun
 * it (twice the threshold added and the cycle not done) the cycle is finished at once.
 *
 * <p><b>Calibration.</b> The live words include what died since and what was allocated black
 * during the cycle, neither of which costs marking, so the raw estimate is often twice the
 * real work; it is scaled by how far it was from the work the last cycles did
 * ({@link #calibration}).
 *
 * <p><b>Why start late.</b> A cycle in progress makes the mutator's weak accessors and write
 * barrier slower (darkening, cleaning on the spot), and the snapshot keeps what dies during it
 * until the next one; and since the threshold counts from the end of the last cycle, cycles
 * that start early and end early come more often than stop-the-world collections would. Cheap
 * cycles (little live data, or a threshold at its minimum) therefore start late. The reference
 * pace is the one a large heap's cycle goes at when started half-way with the default
 * {@code space_overhead} of 120 (a heap of about 2.2 × live: (live + heap/4) × 1.25 over
 * 0.6 × live is about 3 units per word), so large heaps, whose pauses the pace sets, keep
 * that pace: they start about half-way when the estimate is exact, and later (about
 * 1 − 0.54 × calibration) as the calibration finds it an overestimate.
 */
final class CollectionPolicy {
    /**
     * Units of collector work per word added that a cycle is paced at when it can start late
     * enough (see the class comment for the value).
     */
    static final double REFERENCE_PACE = 3.0;
    /** Bounds of the fraction of the threshold at which a cycle starts. */
    static final double EARLIEST_START = 0.25;
    static final double LATEST_START = 0.9;
    /** Bounds of the calibration: an odd cycle neither stalls the pacing nor lets the heap run away. */
    private static final double MIN_CALIBRATION = 0.5;
    private static final double MAX_CALIBRATION = 2.0;
    /** Work estimates are multiplied by this, so that a cycle ends with room to spare. */
    private static final double MARGIN = 1.25;
    /** A cycle not finished by this many thresholds is finished at once. */
    private static final int OUTRUN_THRESHOLDS = 2;

    private int spaceOverhead;
    private final long minWorkWords;
    /** Words promoted or allocated in the major heap since the last cycle ended. */
    private long workSinceCycle;
    private long thresholdWords;
    /** During a cycle: collector work owed per word added, and the work owed now. */
    private double workPerWord;
    private double owed;
    /** Words added since the last slice (for a slice after direct major allocations). */
    private long sinceSlice;
    /** The running cycle's uncalibrated work estimate (0 between cycles) and the work done so far. */
    private double rawEstimate;
    private long cycleWork;
    /** Real work over the raw estimate, from the last cycles (smoothed); 1 until a cycle has ended. */
    private double calibration = 1.0;

    CollectionPolicy(int spaceOverhead, long minWorkWords) {
        this.spaceOverhead = spaceOverhead;
        this.minWorkWords = minWorkWords;
        this.thresholdWords = minWorkWords;
    }

    /** {@code words} were promoted or allocated directly in the major heap. */
    void addWork(long words) {
        workSinceCycle += words;
        sinceSlice += words;
        owed += words * workPerWord;
    }

    /** A stop-the-world collection is due (the threshold is reached). */
    boolean majorDue() {
        return workSinceCycle >= thresholdWords;
    }

    /**
     * An incremental cycle should start now, the heap holding {@code liveWords} words of blocks
     * in {@code heapWords}: the words left before the threshold are as few as its estimated work
     * allows at {@link #REFERENCE_PACE}.
     */
    boolean cycleDue(long liveWords, long heapWords) {
        double window = calibrated(rawEstimate(liveWords, heapWords)) / REFERENCE_PACE;
        double start = Math.min(LATEST_START, Math.max(EARLIEST_START, 1 - window / thresholdWords));
        return workSinceCycle >= (long) (thresholdWords * start);
    }

    /** A cycle's work, estimated before it starts: its raw estimate {@code raw}, calibrated, with a margin. */
    private double calibrated(double raw) {
        return raw * calibration * MARGIN;
    }

    /** Marking the live words, sweeping the heap (a page costs a quarter of its words), and a constant. */
    private static double rawEstimate(long liveWords, long heapWords) {
        return liveWords + heapWords / 4.0 + 4096;
    }

    /** A running cycle has been outrun by the mutator and must be finished now. */
    boolean cycleOutrun() {
        return workSinceCycle >= OUTRUN_THRESHOLDS * thresholdWords;
    }

    /** Direct major allocations have added a nursery's worth since the last slice. */
    boolean sliceDueAfterDirectAllocation(long nurseryWords) {
        return sinceSlice >= nurseryWords;
    }

    /**
     * A cycle starts: its work is estimated from the live words after the last one and the
     * heap's size, and spread over what may still be added before the threshold.
     */
    void cycleStarted(long liveWords, long heapWords) {
        rawEstimate = rawEstimate(liveWords, heapWords);
        cycleWork = 0;
        long window = Math.max(thresholdWords - workSinceCycle, minWorkWords / 2);
        workPerWord = calibrated(rawEstimate) / window;
        owed = 0;
    }

    /** The budget of an automatic slice: the work owed for what was added since the last one. */
    long sliceBudget() {
        sinceSlice = 0;
        return (long) Math.ceil(owed);
    }

    /**
     * The budget of an explicit slice asked to do enough work to free about {@code words}
     * words ({@code Gc.major_slice n}): the work the pacing owes for adding that many.
     */
    long budgetFor(long words) {
        sinceSlice = 0;
        return (long) Math.ceil(Math.max(1, words) * Math.max(workPerWord, 1.0));
    }

    /** A slice did {@code spent} units of work. */
    void sliceDone(long spent) {
        owed = Math.max(0, owed - spent);
        cycleWork += spent;
    }

    /** A cycle ended with {@code liveWords} live. */
    void cycleEnded(long liveWords) {
        if (rawEstimate > 0) {
            double ratio = Math.min(MAX_CALIBRATION, Math.max(MIN_CALIBRATION, cycleWork / rawEstimate));
            calibration = (calibration + ratio) / 2;
            rawEstimate = 0;
        }
        workSinceCycle = 0;
        sinceSlice = 0;
        workPerWord = 0;
        owed = 0;
        thresholdWords = Math.max(minWorkWords, liveWords / 100 * spaceOverhead);
    }

    /** Free words worth keeping after a sweep: what the mutator may promote before the next cycle. */
    long keepFreeWords() {
        return thresholdWords;
    }

    int spaceOverhead() {
        return spaceOverhead;
    }

    void setSpaceOverhead(int percent) {
        this.spaceOverhead = percent;
    }
}
