package dev.ephemera.gc;

/**
 * When to run a major collection, OCaml-style: the major heap may take on, between two major
 * collections, new words (promoted or allocated directly) amounting to {@code spaceOverhead}
 * percent of what was live after the last one. The heap then settles near
 * {@code live × (1 + spaceOverhead/100)}, and the cost of major collections per word promoted
 * stays constant however large the live data grows.
 */
final class CollectionPolicy {
    private int spaceOverhead;
    private final long minWorkWords;
    /** Words promoted or allocated in the major heap since the last major collection. */
    private long workSinceMajor;
    private long thresholdWords;

    CollectionPolicy(int spaceOverhead, long minWorkWords) {
        this.spaceOverhead = spaceOverhead;
        this.minWorkWords = minWorkWords;
        this.thresholdWords = minWorkWords;
    }

    void addWork(long words) {
        workSinceMajor += words;
    }

    boolean majorDue() {
        return workSinceMajor >= thresholdWords;
    }

    void afterMajor(long liveWords) {
        workSinceMajor = 0;
        thresholdWords = Math.max(minWorkWords, liveWords / 100 * spaceOverhead);
    }

    /** Free words worth keeping after a sweep: what the mutator may promote before the next major. */
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
