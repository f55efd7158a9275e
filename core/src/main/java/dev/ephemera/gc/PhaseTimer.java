package dev.ephemera.gc;

import dev.ephemera.event.Phase;
import java.util.EnumMap;
import java.util.Map;

/** Accumulates the time spent in each {@link Phase} since the last {@link #start}. */
final class PhaseTimer {
    private static final Phase[] PHASES = Phase.values();
    private final long[] nanos = new long[PHASES.length];
    private final EnumMap<Phase, Long> totals = new EnumMap<>(Phase.class);
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

    /**
     * The nonzero totals by phase, in a map this timer reuses: valid until its next call, for a
     * {@link dev.ephemera.event.GcEvent} to copy (one map less per collection).
     */
    Map<Phase, Long> snapshot() {
        totals.clear();
        for (Phase p : PHASES) {
            if (nanos[p.ordinal()] != 0) {
                totals.put(p, nanos[p.ordinal()]);
            }
        }
        return totals;
    }
}
