package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.Op;
import dev.ephemera.tables.engine.WeakSetEngine;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;

/**
 * Weak hash sets: OCaml's {@code Weak.Make (H)} ({@link #make}), a set whose elements are held
 * weakly — an element that nothing else keeps alive disappears at the next collection that
 * finds it dead. The classic use is hash-consing ({@link #merge}).
 *
 * <p>The implementation is {@code stdlib/weak.ml}'s, in the heap ({@code engine.WeakSetEngine}
 * has the design): an array of buckets, each a weak array of elements with a parallel array of
 * their hashes. The observable behaviour — {@link #stats}, which element {@code find} returns among
 * duplicates, {@code find_all}'s order — is OCaml's exactly. Lookups call {@code H.equal} on the
 * element itself (OCaml 5.1+; 4.14 compared a shallow copy), so a physical equality works. Dead
 * elements are never seen: every lookup and iteration reads the slot, which the collector has
 * emptied, and {@link #count} is exact.
 *
 * <p>Sets are heap values; elements are raw values (valid until the next allocation) and may
 * not be {@link Value#NONE}. Modifying a set from inside {@link #iter} or {@link #fold} raises
 * {@link ConcurrentModificationException}. Errors name the OCaml function.
 */
public final class WeakHashSet {
    private final Heap heap;
    private final HashedType hashed;
    private final WeakSetEngine engine;

    private final Op opCreate = Op.named("Weak.Make.create");
    private final Op opClear = Op.named("Weak.Make.clear");
    private final Op opMerge = Op.named("Weak.Make.merge");
    private final Op opAdd = Op.named("Weak.Make.add");
    private final Op opRemove = Op.named("Weak.Make.remove");
    private final Op opFind = Op.named("Weak.Make.find");
    private final Op opFindOpt = Op.named("Weak.Make.find_opt");
    private final Op opFindAll = Op.named("Weak.Make.find_all");
    private final Op opMem = Op.named("Weak.Make.mem");
    private final Op opIter = Op.named("Weak.Make.iter");
    private final Op opFold = Op.named("Weak.Make.fold");
    private final Op opCount = Op.named("Weak.Make.count");
    private final Op opStats = Op.named("Weak.Make.stats");

    private WeakHashSet(Heap heap, HashedType hashed) {
        this.heap = heap;
        this.hashed = hashed;
        this.engine = new WeakSetEngine(heap);
    }

    /**
     * {@code Weak.Make (H)}. The module registers a root stack with the heap: make one per
     * heap and hashed type and keep it.
     *
     * @param heap the heap the sets live in
     * @param h the elements' hash and equality
     * @return the set module
     */
    public static WeakHashSet make(Heap heap, HashedType h) {
        if (heap == null || h == null) {
            throw new IllegalArgumentException("Weak.Make: the heap and the hashed type must not be null");
        }
        return new WeakHashSet(heap, h);
    }

    /** {@code iter}'s function. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called with each element.
         *
         * @param element the element (raw)
         */
        void visit(long element);
    }

    /**
     * {@code fold}'s function.
     *
     * @param <A> the accumulator's type
     */
    @FunctionalInterface
    public interface Folder<A> {
        /**
         * {@return the accumulator after this element}
         *
         * @param element the element (raw)
         * @param acc the accumulator so far
         */
        A fold(long element, A acc);
    }

    /**
     * {@return true if {@code v} is a weak hash set}
     *
     * @param v any value
     */
    public boolean isSet(long v) {
        return WeakSetEngine.isSet(heap, v);
    }

    // ================================================================== creation

    /**
     * {@code create n}: an empty set with {@code n} buckets (at least 7). The result is a raw
     * value: root it before allocating.
     *
     * @param n the number of buckets
     * @return the new set (raw: valid until the next allocation)
     */
    public long create(int n) {
        return engine.create(opCreate, n, hashed);
    }

    /**
     * {@code clear}: removes every element; keeps the bucket count.
     *
     * @param t a set of this module
     */
    public void clear(long t) {
        engine.clear(opClear, t);
    }

    // ================================================================== lookup and insertion

    /**
     * {@code merge t x}: an element of the set equal to {@code x} if there is one, else
     * {@code x}, after adding it. Hash-consing: {@code merge t x == x} tells a new value.
     *
     * @param t a set of this module
     * @param x the value to find or add
     * @return the element equal to {@code x} (raw), which is {@code x} itself if it was added
     */
    public long merge(long t, long x) {
        return engine.merge(opMerge, t, x);
    }

    /**
     * {@code add t x}: adds {@code x}, even if an equal element is there already.
     *
     * @param t a set of this module
     * @param x the value to add
     */
    public void add(long t, long x) {
        engine.add(opAdd, t, x);
    }

    /**
     * {@code remove t x}: removes one element equal to {@code x}, if any.
     *
     * @param t a set of this module
     * @param x the value to remove an equal of
     */
    public void remove(long t, long x) {
        engine.remove(opRemove, t, x);
    }

    /**
     * {@code find t x}: an element equal to {@code x}.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the element (raw)
     * @throws NoSuchElementException if there is none ({@code Not_found})
     */
    public long find(long t, long x) {
        long v = engine.lookup(opFind, t, x, WeakSetEngine.Lookup.ELEMENT);
        if (v == Value.NONE) {
            throw new NoSuchElementException(opFind + ": no element equal to " + Value.describe(x) + " (Not_found)");
        }
        return v;
    }

    /**
     * {@code find_opt t x}: an element equal to {@code x}, or NONE.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the element (raw), or NONE
     */
    public long findOpt(long t, long x) {
        return engine.lookup(opFindOpt, t, x, WeakSetEngine.Lookup.ELEMENT);
    }

    /**
     * {@code mem t x}: true if an element equal to {@code x} is in the set.
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return true if the set holds an element equal to {@code x}
     */
    public boolean mem(long t, long x) {
        return engine.lookup(opMem, t, x, WeakSetEngine.Lookup.MEMBERSHIP) == Value.TRUE;
    }

    /**
     * {@code find_all t x}: every element equal to {@code x} (raw values; last slot first, as
     * OCaml).
     *
     * @param t a set of this module
     * @param x the value to look for
     * @return the elements (raw)
     */
    public long[] findAll(long t, long x) {
        return engine.findAll(opFindAll, t, x);
    }

    // ================================================================== iteration and counts

    /**
     * {@code iter f t}: calls {@code f} on every element (buckets in order, then slots).
     *
     * @param t a set of this module
     * @param f the function called with each element
     */
    public void iter(long t, Visitor f) {
        engine.walk(opIter, t, true, f == null ? null : f::visit);
    }

    /**
     * {@code fold f t init}: OCaml's order (buckets from the last, slots in order).
     *
     * @param <A> the accumulator's type
     * @param t a set of this module
     * @param f the function from an element and the accumulator to the next accumulator
     * @param init the first accumulator
     * @return the last accumulator
     */
    public <A> A fold(long t, Folder<A> f, A init) {
        if (f == null) {
            throw new IllegalArgumentException(opFold + ": the function is null");
        }
        Object[] acc = {init};
        engine.walk(opFold, t, false, v -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = f.fold(v, a);
        });
        @SuppressWarnings("unchecked")
        A result = (A) acc[0];
        return result;
    }

    /**
     * {@code count t}: the number of elements, exact; keeps nothing alive ({@code check}, not
     * {@code get}).
     *
     * @param t a set of this module
     * @return the number of live elements
     */
    public long count(long t) {
        return engine.count(opCount, t);
    }

    /**
     * {@code stats t}: (table length, number of elements, sum of bucket lengths, smallest bucket,
     * median bucket, biggest bucket); bucket lengths are capacities.
     *
     * @param t a set of this module
     * @return the six numbers
     */
    public WeakSetStatistics stats(long t) {
        int[] lengths = engine.bucketLengths(opStats, t);
        int n = lengths.length;
        long total = 0;
        for (int length : lengths) {
            total += length;
        }
        Arrays.sort(lengths);
        return new WeakSetStatistics(n, engine.count(opStats, t), total, lengths[0], lengths[n / 2], lengths[n - 1]);
    }
}
