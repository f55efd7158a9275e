package dev.ephemera.tables;

/**
 * The functions that table iterations call, one shape per key arity. Keys and data are raw
 * values, valid until the next allocation; the table keeps the binding alive while the
 * function runs, and the function may allocate. It must not modify the table being iterated
 * ({@link java.util.ConcurrentModificationException}).
 */
public final class Bindings {
    private Bindings() {}

    /** {@code iter}'s function, one key. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called with each live binding.
         *
         * @param key the binding's key (raw)
         * @param data the binding's data (raw)
         */
        void visit(long key, long data);
    }

    /**
     * {@code fold}'s function, one key, with a Java accumulator.
     *
     * @param <A> the accumulator's type
     */
    @FunctionalInterface
    public interface Folder<A> {
        /**
         * {@return the accumulator after this binding}
         *
         * @param key the binding's key (raw)
         * @param data the binding's data (raw)
         * @param acc the accumulator so far
         */
        A fold(long key, long data, A acc);
    }

    /** {@code fold}'s function, one key, with a heap value as accumulator (kept rooted). */
    @FunctionalInterface
    public interface ValueFolder {
        /**
         * {@return the accumulator (a heap value) after this binding}
         *
         * @param key the binding's key (raw)
         * @param data the binding's data (raw)
         * @param acc the accumulator so far, rooted by the table
         */
        long fold(long key, long data, long acc);
    }

    /** {@code filter_map_inplace}'s function, one key: the new data, or NONE to drop the binding. */
    @FunctionalInterface
    public interface Mapper {
        /**
         * {@return the binding's new data, or {@code Value.NONE} to remove it}
         *
         * @param key the binding's key (raw)
         * @param data the binding's data (raw)
         */
        long map(long key, long data);
    }

    /** {@code iter}'s function, two keys. */
    @FunctionalInterface
    public interface Visitor2 {
        /**
         * Called with each live binding.
         *
         * @param key1 the binding's first key (raw)
         * @param key2 the binding's second key (raw)
         * @param data the binding's data (raw)
         */
        void visit(long key1, long key2, long data);
    }

    /**
     * {@code fold}'s function, two keys.
     *
     * @param <A> the accumulator's type
     */
    @FunctionalInterface
    public interface Folder2<A> {
        /**
         * {@return the accumulator after this binding}
         *
         * @param key1 the binding's first key (raw)
         * @param key2 the binding's second key (raw)
         * @param data the binding's data (raw)
         * @param acc the accumulator so far
         */
        A fold(long key1, long key2, long data, A acc);
    }

    /** {@code filter_map_inplace}'s function, two keys. */
    @FunctionalInterface
    public interface Mapper2 {
        /**
         * Returns the binding's new data, or {@code Value.NONE} to remove it.
         *
         * @param key1 the binding's first key (raw)
         * @param key2 the binding's second key (raw)
         * @param data the binding's data (raw)
         * @return the binding's new data, or {@code Value.NONE} to remove it
         */
        long map(long key1, long key2, long data);
    }

    /** {@code iter}'s function, n keys (a fresh array per binding). */
    @FunctionalInterface
    public interface VisitorN {
        /**
         * Called with each live binding.
         *
         * @param keys the binding's keys (raw; the array is the caller's, valid for this call only)
         * @param data the binding's data (raw)
         */
        void visit(long[] keys, long data);
    }

    /**
     * {@code fold}'s function, n keys.
     *
     * @param <A> the accumulator's type
     */
    @FunctionalInterface
    public interface FolderN<A> {
        /**
         * {@return the accumulator after this binding}
         *
         * @param keys the binding's keys (raw; the array is the caller's, valid for this call only)
         * @param data the binding's data (raw)
         * @param acc the accumulator so far
         */
        A fold(long[] keys, long data, A acc);
    }

    /** {@code filter_map_inplace}'s function, n keys. */
    @FunctionalInterface
    public interface MapperN {
        /**
         * Returns the binding's new data, or {@code Value.NONE} to remove it.
         *
         * @param keys the binding's keys (raw; the array is the caller's, valid for this call only)
         * @param data the binding's data (raw)
         * @return the binding's new data, or {@code Value.NONE} to remove it
         */
        long map(long[] keys, long data);
    }
}
