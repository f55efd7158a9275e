package dev.ephemera.gc;

import dev.ephemera.event.Phase;

/** Accumulates the time spent in each {@link Phase} since the last {@link #start}. */
final class PhaseTimer {
    private static final Phase[] PHASES = Phase.values();
    private final long[] nanos = new long[PHASES.length];
    private Phase current;
    private long since;

    void start() {
        java.util.Arrays.fill(nanos, 0L);
        current = null;
    }

    /** Leaves the current phase and enters {@code next} (null: none). */
    void enter(Phase next) {
        long now = System.nanoTime();
        if (current != null) {
            nanos[current.ordinal()] += now - since;
        }
        current = next;
        since = now;
    }

    /** Adds another timer's totals to this one's. */
    void add(PhaseTimer other) {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] += other.nanos[i];
        }
    }

    /** Copies the totals, by {@link Phase#ordinal()}, into {@code into} (allocates nothing). */
    void copyTo(long[] into) {
        System.arraycopy(nanos, 0, into, 0, nanos.length);
    }
}
