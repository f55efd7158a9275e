package dev.ephemera.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * What one collection did; delivered to listeners and written to the GC log.
 *
 * <p>Sizes are in words. For a minor collection the condemned set is the nursery's allocated
 * words and the survivors are the promoted words; for a major collection it is every block of
 * the major heap, and the survivors are the marked words.
 */
public final class GcEvent {
    /**
     * Which collection: a minor collection; a major cycle (reported once, when it ends); one
     * slice of a major cycle (reported to {@code GcListener.slice}, and in the verbose log); or
     * a compaction of the major heap (after a cycle, stop the world).
     */
    public enum Kind {
        /** A minor collection: the nursery emptied into the major heap. */
        MINOR,
        /** A major cycle, reported when it ends; its pause is the sum of its slices'. */
        MAJOR,
        /** One slice of a major cycle. */
        MAJOR_SLICE,
        /** A compaction of the major heap, after a cycle. */
        COMPACTION
    }

    /** Which collection this is. */
    public final Kind kind;
    /** 1-based count of collections of this kind, this one included. */
    public final long number;
    /** Why the collection ran (policy trigger or explicit request). */
    public final String reason;
    /** How long the mutator was stopped, in nanoseconds (for a major cycle, all its slices). */
    public final long pauseNanos;
    /** Words in the condemned set before the collection. */
    public final long condemnedWords;
    /** Words of the condemned set that survived (promoted, or marked). */
    public final long survivedWords;
    /** Words of the heap outside the condemned set. */
    public final long notCondemnedWords;
    /** Words of the major heap before the collection. */
    public final long heapWordsBefore;
    /** Words of the major heap after the collection. */
    public final long heapWordsAfter;
    /** Words of allocated blocks in the major heap after the collection. */
    public final long liveWordsAfter;
    /**
     * Nanoseconds per phase: of the minor collection, of the whole major cycle, or of the slice.
     * Unmodifiable; iterates in the order the phases run ({@link Phase}'s order).
     */
    public final Map<Phase, Long> phaseNanos;
    private static final Phase[] PHASES = Phase.values();
    /**
     * MAJOR: the slices the cycle took (1 for a stop-the-world cycle). MAJOR_SLICE: the units of
     * work the slice did (words marked, swept a quarter at a time, or cleared). COMPACTION: the
     * words moved. MINOR: 0.
     */
    public final long work;
    /** MAJOR: the longest slice of the cycle, in nanoseconds; otherwise the pause itself. */
    public final long maxPauseNanos;

    /**
     * An event with no work count ({@link #work} 0) whose longest pause is its pause: how a
     * minor collection is reported.
     *
     * @param kind which collection
     * @param number 1-based count of collections of this kind
     * @param reason why the collection ran
     * @param pauseNanos how long the mutator was stopped
     * @param condemnedWords words in the condemned set before the collection
     * @param survivedWords words of the condemned set that survived
     * @param notCondemnedWords words of the heap outside the condemned set
     * @param heapWordsBefore words of the major heap before
     * @param heapWordsAfter words of the major heap after
     * @param liveWordsAfter words of allocated blocks in the major heap after
     * @param phaseNanos nanoseconds per phase (copied)
     */
    public GcEvent(Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
                   long survivedWords, long notCondemnedWords, long heapWordsBefore,
                   long heapWordsAfter, long liveWordsAfter, Map<Phase, Long> phaseNanos) {
        this(kind, number, reason, pauseNanos, condemnedWords, survivedWords, notCondemnedWords,
                heapWordsBefore, heapWordsAfter, liveWordsAfter, phaseNanos, 0, pauseNanos);
    }

    /**
     * An event with every field given.
     *
     * @param kind which collection
     * @param number 1-based count of collections of this kind
     * @param reason why the collection ran
     * @param pauseNanos how long the mutator was stopped
     * @param condemnedWords words in the condemned set before the collection
     * @param survivedWords words of the condemned set that survived
     * @param notCondemnedWords words of the heap outside the condemned set
     * @param heapWordsBefore words of the major heap before
     * @param heapWordsAfter words of the major heap after
     * @param liveWordsAfter words of allocated blocks in the major heap after
     * @param phaseNanos nanoseconds per phase (copied)
     * @param work slices, units of work or words moved, by kind (see {@link #work})
     * @param maxPauseNanos the longest slice of a major cycle, else the pause
     */
    public GcEvent(Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
                   long survivedWords, long notCondemnedWords, long heapWordsBefore,
                   long heapWordsAfter, long liveWordsAfter, Map<Phase, Long> phaseNanos,
                   long work, long maxPauseNanos) {
        this(kind, number, reason, pauseNanos, condemnedWords, survivedWords, notCondemnedWords, heapWordsBefore,
                heapWordsAfter, liveWordsAfter, PhaseTimes.copyOf(phaseNanos), work, maxPauseNanos);
    }

    /**
     * An event whose phase times are given by {@link Phase#ordinal()}, a phase with time 0
     * left out: how the collector reports, with one array copied and nothing boxed until read
     * (a collection makes an event for each listener's benefit; see {@code GcListener}).
     *
     * @param kind which collection
     * @param number 1-based count of collections of this kind
     * @param reason why the collection ran
     * @param pauseNanos how long the mutator was stopped
     * @param condemnedWords words in the condemned set before the collection
     * @param survivedWords words of the condemned set that survived
     * @param notCondemnedWords words of the heap outside the condemned set
     * @param heapWordsBefore words of the major heap before
     * @param heapWordsAfter words of the major heap after
     * @param liveWordsAfter words of allocated blocks in the major heap after
     * @param phaseNanosByOrdinal nanoseconds per phase, indexed by {@link Phase#ordinal()},
     *     one per phase (copied)
     * @param work slices, units of work or words moved, by kind (see {@link #work})
     * @param maxPauseNanos the longest slice of a major cycle, else the pause
     * @return the event
     */
    public static GcEvent of(Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
                             long survivedWords, long notCondemnedWords, long heapWordsBefore,
                             long heapWordsAfter, long liveWordsAfter, long[] phaseNanosByOrdinal,
                             long work, long maxPauseNanos) {
        Objects.requireNonNull(phaseNanosByOrdinal, "GcEvent.of: phaseNanosByOrdinal is null");
        if (phaseNanosByOrdinal.length != PHASES.length) {
            throw new IllegalArgumentException("GcEvent.of: phaseNanosByOrdinal has " + phaseNanosByOrdinal.length
                    + " entries, not one per phase (" + PHASES.length + ")");
        }
        int present = 0;
        for (int i = 0; i < PHASES.length; i++) {
            if (phaseNanosByOrdinal[i] != 0) {
                present |= 1 << i;
            }
        }
        return new GcEvent(kind, number, reason, pauseNanos, condemnedWords, survivedWords, notCondemnedWords,
                heapWordsBefore, heapWordsAfter, liveWordsAfter, new PhaseTimes(phaseNanosByOrdinal.clone(), present),
                work, maxPauseNanos);
    }

    /** Every event's constructor: {@code phases} is already an immutable copy. */
    private GcEvent(Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
                    long survivedWords, long notCondemnedWords, long heapWordsBefore,
                    long heapWordsAfter, long liveWordsAfter, PhaseTimes phases,
                    long work, long maxPauseNanos) {
        this.work = work;
        this.maxPauseNanos = maxPauseNanos;
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
        this.phaseNanos = phases;
    }

    /**
     * Phase times as an unmodifiable map in the order the phases run, over a primitive array
     * and a bit per phase present: an event holds three objects, not a map of boxed entries.
     */
    private static final class PhaseTimes extends AbstractMap<Phase, Long> {
        static {
            if (PHASES.length > Integer.SIZE) {
                throw new AssertionError("GcEvent.PhaseTimes: more phases than bits in an int");
            }
        }

        private final long[] nanos;
        private final int present;

        PhaseTimes(long[] nanos, int present) {
            this.nanos = nanos;
            this.present = present;
        }

        /** An ordered copy of {@code phases}, refusing a null map, phase or time by name. */
        static PhaseTimes copyOf(Map<Phase, Long> phases) {
            Objects.requireNonNull(phases, "GcEvent: phaseNanos is null");
            long[] nanos = new long[PHASES.length];
            int present = 0;
            for (Map.Entry<Phase, Long> e : phases.entrySet()) {
                Phase p = Objects.requireNonNull(e.getKey(), "GcEvent: a phase is null");
                Long t = e.getValue();
                if (t == null) {
                    throw new NullPointerException("GcEvent: the time of phase " + p + " is null");
                }
                nanos[p.ordinal()] = t;
                present |= 1 << p.ordinal();
            }
            return new PhaseTimes(nanos, present);
        }

        @Override
        public int size() {
            return Integer.bitCount(present);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof Phase p && (present & (1 << p.ordinal())) != 0;
        }

        @Override
        public Long get(Object key) {
            return containsKey(key) ? nanos[((Phase) key).ordinal()] : null;
        }

        @Override
        public Set<Map.Entry<Phase, Long>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return PhaseTimes.this.size();
                }

                @Override
                public Iterator<Map.Entry<Phase, Long>> iterator() {
                    return new Iterator<>() {
                        private int left = present;

                        @Override
                        public boolean hasNext() {
                            return left != 0;
                        }

                        @Override
                        public Map.Entry<Phase, Long> next() {
                            if (left == 0) {
                                throw new NoSuchElementException("GcEvent.phaseNanos: no more phases");
                            }
                            int i = Integer.numberOfTrailingZeros(left);
                            left &= left - 1;
                            return new AbstractMap.SimpleImmutableEntry<>(PHASES[i], nanos[i]);
                        }
                    };
                }
            };
        }
    }

    /**
     * {@return the one-line log form: {@code [gc] minor #12 pause=0.412ms before=262144w
     * promoted=1830w heap=1048576w}; a major cycle's line gives its total pause, its slices and the
     * longest}
     */
    public String logLine() {
        StringBuilder b = new StringBuilder("[gc] ");
        b.append(kind == Kind.MINOR ? "minor" : kind == Kind.MAJOR ? "major" : kind == Kind.MAJOR_SLICE ? "slice"
                : "compaction").append(" #").append(number);
        b.append(" reason=\"").append(reason).append('"');
        b.append(String.format(java.util.Locale.ROOT, " pause=%.3fms", pauseNanos / 1e6));
        if (kind == Kind.COMPACTION) {
            b.append(" moved=").append(work).append('w');
            b.append(" live=").append(liveWordsAfter).append('w');
            b.append(" heap=").append(heapWordsBefore).append("w->").append(heapWordsAfter).append('w');
            return b.toString();
        }
        if (kind == Kind.MAJOR_SLICE) {
            b.append(" work=").append(work).append('w');
            b.append(" phases=").append(phaseNanos.keySet());
            b.append(" heap=").append(heapWordsAfter).append('w');
            return b.toString();
        }
        if (kind == Kind.MAJOR) {
            b.append(" slices=").append(work);
            b.append(String.format(java.util.Locale.ROOT, " max=%.3fms", maxPauseNanos / 1e6));
        }
        if (kind == Kind.MINOR) {
            b.append(" before=").append(condemnedWords).append('w');
            b.append(" promoted=").append(survivedWords).append('w');
            b.append(" heap=").append(heapWordsAfter).append('w');
        } else {
            b.append(" before=").append(condemnedWords).append('w');
            b.append(" after=").append(liveWordsAfter).append('w');
            b.append(" marked=").append(survivedWords).append('w');
            b.append(" heap=").append(heapWordsBefore).append("w->").append(heapWordsAfter).append('w');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return logLine();
    }
}
