package dev.ephemera.gc;

import java.util.Arrays;

/** A growable stack of longs: the collector's work lists, remembered sets and tables. */
final class LongStack {
    long[] items;
    int size;

    LongStack(int capacity) {
        items = new long[Math.max(capacity, 4)];
    }

    void push(long v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    long pop() {
        return items[--size];
    }

    long get(int i) {
        return items[i];
    }

    void set(int i, long v) {
        items[i] = v;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Empties the stack; storage that grew far beyond what the last use needed is given back,
     * so one burst does not pin memory for the heap's lifetime.
     */
    void clear() {
        if (items.length > 1024 && size < items.length / 4) {
            items = new long[Math.max(1024, items.length / 2)];
        }
        size = 0;
    }
}
