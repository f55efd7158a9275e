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
        /** Called with each live binding. */
        void visit(long key, long data);
    }

    /** {@code fold}'s function, one key, with a Java accumulator. */
    @FunctionalInterface
    public interface Folder<A> {
        /** Returns the accumulator after this binding. */
        A fold(long key, long data, A acc);
    }

    /** {@code fold}'s function, one key, with a heap value as accumulator (kept rooted). */
    @FunctionalInterface
    public interface ValueFolder {
        /** Returns the accumulator (a heap value) after this binding. */
        long fold(long key, long data, long acc);
    }

    /** {@code filter_map_inplace}'s function, one key: the new data, or NONE to drop the binding. */
    @FunctionalInterface
    public interface Mapper {
        /** Returns the binding's new data, or {@code Value.NONE} to remove it. */
        long map(long key, long data);
    }

    /** {@code iter}'s function, two keys. */
    @FunctionalInterface
    public interface Visitor2 {
        /** Called with each live binding. */
        void visit(long key1, long key2, long data);
    }

    /** {@code fold}'s function, two keys. */
    @FunctionalInterface
    public interface Folder2<A> {
        /** Returns the accumulator after this binding. */
        A fold(long key1, long key2, long data, A acc);
    }

    /** {@code filter_map_inplace}'s function, two keys. */
    @FunctionalInterface
    public interface Mapper2 {
        /** Returns the binding's new data, or {@code Value.NONE} to remove it. */
        long map(long key1, long key2, long data);
    }

    /** {@code iter}'s function, n keys (a fresh array per binding). */
    @FunctionalInterface
    public interface VisitorN {
        /** Called with each live binding. */
        void visit(long[] keys, long data);
    }

    /** {@code fold}'s function, n keys. */
    @FunctionalInterface
    public interface FolderN<A> {
        /** Returns the accumulator after this binding. */
        A fold(long[] keys, long data, A acc);
    }

    /** {@code filter_map_inplace}'s function, n keys. */
    @FunctionalInterface
    public interface MapperN {
        /** Returns the binding's new data, or {@code Value.NONE} to remove it. */
        long map(long[] keys, long data);
    }
}
