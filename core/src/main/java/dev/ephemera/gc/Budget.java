package dev.ephemera.gc;

/**
 * An amount of collector work a slice may still do, in words scanned, swept or cleared. A
 * stop-the-world collection runs with {@link #unlimited()}. Phases spend it as they go and
 * stop at a point where they can resume when it runs out.
 */
final class Budget {
    private long remaining;
    private long spent;

    private Budget(long remaining) {
        this.remaining = remaining;
    }

    /** A budget of {@code words} units. */
    static Budget of(long words) {
        return new Budget(Math.max(0, words));
    }

    /**
     * Makes this a fresh budget of {@code words} units, nothing spent: the collector's paced
     * slices reuse one, so that a slice allocates nothing on the JVM's heap.
     */
    Budget reset(long words) {
        remaining = Math.max(0, words);
        spent = 0;
        return this;
    }

    /** A budget that never runs out: the phase runs to its end. */
    static Budget unlimited() {
        return new Budget(Long.MAX_VALUE);
    }

    boolean isExhausted() {
        return remaining <= 0;
    }

    /** Units left: 0 or less once exhausted (a slice may overrun), {@code Long.MAX_VALUE} if unlimited. */
    long remaining() {
        return remaining;
    }

    void spend(long units) {
        remaining -= units;
        spent += units;
    }

    /** Units spent so far. */
    long spent() {
        return spent;
    }
}
