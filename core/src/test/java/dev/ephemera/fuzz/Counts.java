package dev.ephemera.fuzz;

/**
 * What a run of a program counted, for the statistics the test prints and the floors it checks
 * (enough collections, slices, compactions that the programs exercised what they should).
 */
final class Counts {
    /** The things counted, in the order the test prints them. */
    enum Counter {
        MINOR_COLLECTIONS("minor collections"),
        MAJOR_COLLECTIONS("major collections"),
        FINALISERS_RUN("finalisers run"),
        HAND_BACKS("guardian hand-backs"),
        MESSAGES_TAKEN("finalization messages"),
        /** Keys, data and weak roots a collection emptied while their ephemeron or root lived on. */
        SLOTS_CLEARED("weak slots emptied"),
        /** Finalisers the heap ran at an allocation rather than at an explicit safe point. */
        FINALISERS_AT_ALLOCATIONS("finalisers run at allocations"),
        MAJOR_SLICES("major slices"),
        COMPACTIONS("compactions");

        /** How the test's summary line names it. */
        final String label;

        Counter(String label) {
            this.label = label;
        }
    }

    private final long[] counts = new long[Counter.values().length];

    void add(Counter c) {
        counts[c.ordinal()]++;
    }

    void add(Counter c, long n) {
        counts[c.ordinal()] += n;
    }

    long get(Counter c) {
        return counts[c.ordinal()];
    }

    /** The counts, indexed by {@link Counter#ordinal()}. */
    long[] toArray() {
        return counts.clone();
    }
}
