package dev.ephemera.gc;

import java.util.Arrays;

/** A growable stack of longs: the collector's work lists, remembered sets and tables. */
final class LongStack {
    long[] items;
    int size;
    /** The largest size since the last {@link #trim} (or {@link #clear}). */
    private int peak;

    LongStack(int capacity) {
        items = new long[Math.max(capacity, 4)];
    }

    void push(long v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
        if (size > peak) {
            peak = size;
        }
    }

    long pop() {
        return items[--size];
    }

    long get(int i) {
        return items[i];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Empties the stack. Storage more than eight times the peak since the last clear is given
     * back (down to twice that peak), so one burst does not pin memory for the heap's lifetime
     * while a steady program does not re-grow its stacks at every collection. For a stack that
     * is emptied several times per use (a major cycle's lists, emptied by the minor collections
     * inside the cycle too), use {@link #empty} and {@link #trim} instead: judged from one
     * small use, a cycle's list was given back after every cycle and grown again, by doubling,
     * in the next (3×10^6 ephemerons queued in every cycle, minor collections between the
     * cycles: 290–400 ms a cycle, 115 ms with the list kept).
     */
    void clear() {
        empty();
        trim();
    }

    /** Empties the stack; its storage and the peak it is judged by are kept. */
    void empty() {
        size = 0;
    }

    /**
     * Gives storage back if it is more than eight times the peak since the last trim (keeping
     * twice that peak), and starts a new peak. The stack must be empty.
     */
    void trim() {
        int length = trimmedLength(items.length, peak, 1024);
        if (length != items.length) {
            items = new long[length];
        }
        peak = 0;
    }

    /**
     * The shrinking rule of the collector's work lists: an array of {@code length} whose use
     * peaked at {@code peak} is cut to twice the peak (at least {@code floor}) when it is over
     * 4,096 long and more than eight times the peak; otherwise it keeps {@code length}.
     */
    static int trimmedLength(int length, int peak, int floor) {
        return length > 4096 && length > 8 * peak ? Math.max(floor, 2 * peak) : length;
    }
}
