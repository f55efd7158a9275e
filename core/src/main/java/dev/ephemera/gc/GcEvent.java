package dev.ephemera.gc;

import java.util.Map;

/**
 * What one collection did; delivered to listeners and written to the GC log.
 *
 * <p>Sizes are in words. For a minor collection the condemned set is the nursery's allocated
 * words and the survivors are the promoted words; for a major collection it is every block of
 * the major heap, and the survivors are the marked words.
 */
public final class GcEvent {
    /** Which collection. */
    public enum Kind { MINOR, MAJOR }

    public final Kind kind;
    /** 1-based count of collections of this kind, this one included. */
    public final long number;
    /** Why the collection ran (policy trigger or explicit request). */
    public final String reason;
    public final long pauseNanos;
    /** Words in the condemned set before the collection. */
    public final long condemnedWords;
    /** Words of the condemned set that survived (promoted, or marked). */
    public final long survivedWords;
    /** Words of the heap outside the condemned set. */
    public final long notCondemnedWords;
    public final long heapWordsBefore;
    public final long heapWordsAfter;
    public final long liveWordsAfter;
    /** Nanoseconds per phase (major only). */
    public final Map<Phase, Long> phaseNanos;

    public GcEvent(Kind kind, long number, String reason, long pauseNanos, long condemnedWords,
                   long survivedWords, long notCondemnedWords, long heapWordsBefore,
                   long heapWordsAfter, long liveWordsAfter, Map<Phase, Long> phaseNanos) {
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
        this.phaseNanos = Map.copyOf(phaseNanos);
    }

    /** The one-line log form: {@code [gc] minor #12 pause=0.412ms before=262144w promoted=1830w heap=1048576w}. */
    public String logLine() {
        StringBuilder b = new StringBuilder("[gc] ");
        b.append(kind == Kind.MINOR ? "minor" : "major").append(" #").append(number);
        b.append(" reason=\"").append(reason).append('"');
        b.append(String.format(java.util.Locale.ROOT, " pause=%.3fms", pauseNanos / 1e6));
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
