package dev.ephemera.gc;

import java.util.Arrays;

/** A growable stack of longs: the collector's work lists, remembered sets and tables. */
final class LongStack {
    long[] items;
    int size;
    /** The largest size since the last {@link #clear}. */
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
     * while a steady program does not re-grow its stacks at every collection.
     */
    void clear() {
        if (items.length > 4096 && items.length > 8 * peak) {
            items = new long[Math.max(1024, 2 * peak)];
        }
        size = 0;
        peak = 0;
    }
}
