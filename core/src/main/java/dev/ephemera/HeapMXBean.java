package dev.ephemera;

/**
 * The management interface of one {@link Heap}, registered with the platform MBean server as
 * {@code dev.ephemera:type=Heap,name=NAME} (see {@link HeapConfig#name} and
 * {@link HeapConfig#mbean}) and unregistered when the heap is closed. JConsole, VisualVM, JDK
 * Mission Control and any JMX client see it.
 *
 * <h2>Threads</h2>
 * A heap is used by one thread, its owner; JMX calls come from other threads. So the attributes
 * never read the heap: they read the figures the owner thread records at the end of every
 * collection (and once when the heap is created). Heap, live, free and top words are therefore
 * as of the end of the last collection — live words are exact after a major collection, as in
 * OCaml's {@code Gc.stat}. The operations do not collect on the calling thread either: they
 * queue a request, which the owner thread carries out at its next safe point —
 * {@link Heap#poll()} or an explicit collection call ({@link Gc#minor()}, {@link Gc#major()},
 * {@link Gc#fullMajor()}, {@link Gc#compact()}). Requests made before that safe point
 * coalesce, and only the strongest runs: {@code compact} includes {@code fullMajor}, which
 * includes {@code minor}. A heap whose owner never reaches a safe point never carries them
 * out; finalisers that the requested collection makes pending run at that safe point, as after
 * any collection there, and what they throw propagates from it.
 */
public interface HeapMXBean {
    /**
     * The heap's name, as in the MBean's object name.
     *
     * @return the name
     */
    String getName();

    /**
     * Minor collections so far.
     *
     * @return the count
     */
    long getMinorCollections();

    /**
     * Major collections so far (every cycle, elided ones included, as OCaml counts them).
     *
     * @return the count
     */
    long getMajorCollections();

    /**
     * All collections so far: minor and major.
     *
     * @return the count
     */
    long getCollections();

    /**
     * The sum of every pause, in milliseconds: minor collections, slices of major cycles (a
     * stop-the-world cycle is one slice) and compactions.
     *
     * @return total pause time
     */
    double getTotalPauseMillis();

    /**
     * The longest pause so far — a minor collection, a slice of a major cycle or a compaction —
     * in milliseconds.
     *
     * @return maximum pause time
     */
    double getMaxPauseMillis();

    /**
     * The longest minor collection so far, in milliseconds.
     *
     * @return maximum minor pause time
     */
    double getMaxMinorPauseMillis();

    /**
     * The longest slice of a major cycle so far, in milliseconds (with incremental collection
     * off, a whole cycle is one slice).
     *
     * @return maximum slice pause time
     */
    double getMaxSlicePauseMillis();

    /**
     * The size of the major heap in words (8 bytes), at the end of the last collection.
     *
     * @return heap words
     */
    long getHeapWords();

    /**
     * Words held by allocated blocks in the major heap at the end of the last collection.
     *
     * @return live words
     */
    long getLiveWords();

    /**
     * Words of the major heap not held by blocks at the end of the last collection.
     *
     * @return free words
     */
    long getFreeWords();

    /**
     * The largest size the major heap has had, in words.
     *
     * @return top heap words
     */
    long getTopHeapWords();

    /**
     * The last collection's GC log line (kind, reason, pause, sizes), or an empty string before
     * the first collection.
     *
     * @return the log line
     */
    String getLastCollection();

    /**
     * The collection requested through this MBean and not yet carried out by the owner thread
     * ({@code "minor"}, {@code "fullMajor"} or {@code "compact"}), or {@code "none"}.
     *
     * @return the pending request
     */
    String getPendingRequest();

    /**
     * Requests a minor collection at the owner thread's next safe point.
     *
     * @return what was queued, in words
     */
    String minor();

    /**
     * Requests {@link Gc#fullMajor()} at the owner thread's next safe point.
     *
     * @return what was queued, in words
     */
    String fullMajor();

    /**
     * Requests {@link Gc#compact()} at the owner thread's next safe point.
     *
     * @return what was queued, in words
     */
    String compact();
}
