package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.gc.WeakSlots;
import dev.ephemera.gc.WriteBarrier;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;

/**
 * Ephemerons: OCaml's untyped {@code Obj.Ephemeron} layer, and the typed views {@link #k1()},
 * {@link #k2()}, {@link #kn()} ({@code Ephemeron.K1/K2/Kn}).
 *
 * <p>An ephemeron holds {@code n ≥ 0} keys and one data slot; each slot is full or empty
 * ({@link Value#NONE}). Its data is kept alive by the collector only while the ephemeron is
 * alive and every full key is alive; when any key dies, the collector empties that key and the
 * data together. Keys are weak, like {@linkplain Weak weak pointers}. Immediates are never
 * emptied. Ephemerons are allocated directly in the major heap (as in OCaml); like every old
 * block they move only when the heap is compacted.
 *
 * <p>"Getting" returns {@link Value#NONE} for an empty slot, where OCaml returns {@code None}.
 * A major cycle runs in slices between which client code runs, so OCaml 4.14's distinctions
 * hold: while a cycle marks, {@code get} keeps the value it returns alive for the rest of the
 * cycle (its erasure is delayed to the next one), while {@code get_copy}, {@code check} and
 * {@code blit} do not (a copy's fields are kept instead; a value {@code get_copy} hands out as it
 * is — a custom block, an ephemeron, a library structure — is kept as by {@code get}); while a
 * cycle cleans, every accessor first empties what the cleaning would, so each answers as if all
 * the cleaning had happened at once.
 *
 * <p>Argument checks follow {@code Obj.Ephemeron}: indices must be in {@code [0, length)},
 * blit ranges within both ephemerons; errors name the OCaml function.
 */
public final class Ephemerons {
    private final EntryChecks checks;
    private final Allocator allocator;
    private final WriteBarrier barrier;
    /** The heap's root stack, where slot values wait out an allocation. */
    private final RootStack roots;
    /** The ephemeron slots' accessors: what they read or write depends on the major cycle's phase. */
    private final WeakSlots weakSlots;
    private final EphemeronK1 k1;
    private final EphemeronK2 k2;
    private final EphemeronKn kn;

    Ephemerons(Collector collector, RootStack roots, EntryChecks checks, Allocator allocator) {
        this.checks = checks;
        this.allocator = allocator;
        this.barrier = collector.barrier();
        this.roots = roots;
        this.weakSlots = collector.weakSlots();
        this.k1 = new EphemeronK1(this);
        this.k2 = new EphemeronK2(this);
        this.kn = new EphemeronKn(this);
    }

    /** {@return ephemerons with one key ({@code Ephemeron.K1})} */
    public EphemeronK1 k1() {
        return k1;
    }

    /** {@return ephemerons with two keys ({@code Ephemeron.K2})} */
    public EphemeronK2 k2() {
        return k2;
    }

    /** {@return ephemerons with any number of keys ({@code Ephemeron.Kn})} */
    public EphemeronKn kn() {
        return kn;
    }

    // ================================================================== Obj.Ephemeron

    /**
     * {@return a new ephemeron with {@code keys} empty keys and empty data ({@code
     * Obj.Ephemeron.create})}
     *
     * @param keys the number of keys, 0 to the largest ephemeron
     */
    public long create(int keys) {
        return create("Obj.Ephemeron.create", keys);
    }

    /**
     * {@return the number of keys ({@code Obj.Ephemeron.length})}
     *
     * @param e an ephemeron (or a weak array)
     */
    public int length(long e) {
        return keyCount("Obj.Ephemeron.length", e);
    }

    /**
     * {@return true if {@code v} is an ephemeron (or a weak array, which is one)}
     *
     * @param v any value
     */
    public boolean isEphemeron(long v) {
        checks.enter("Ephemerons.isEphemeron");
        return Value.isBlock(v) && Header.tag(checks.header(checks.block("Ephemerons.isEphemeron", v))) == Tag.EPHEMERON;
    }

    /**
     * {@return key {@code i}, or NONE if empty ({@code Obj.Ephemeron.get_key})}
     *
     * @param e an ephemeron
     * @param i the key's index, in [0, length)
     */
    public long getKey(long e, int i) {
        return getKey("Obj.Ephemeron.get_key", e, i);
    }

    /**
     * {@return a shallow copy of key {@code i}, or NONE ({@code Obj.Ephemeron.get_key_copy})}
     *
     * @param e an ephemeron
     * @param i the key's index, in [0, length)
     */
    public long getKeyCopy(long e, int i) {
        return getKeyCopy("Obj.Ephemeron.get_key_copy", e, i);
    }

    /**
     * Makes key {@code i} full, pointing to {@code k}; NONE empties it ({@code
     * Obj.Ephemeron.set_key}).
     *
     * @param e an ephemeron
     * @param i the key's index, in [0, length)
     * @param k the key: a pointer to a block, or NONE
     */
    public void setKey(long e, int i, long k) {
        setKey("Obj.Ephemeron.set_key", e, i, k);
    }

    /**
     * Empties key {@code i} ({@code Obj.Ephemeron.unset_key}).
     *
     * @param e an ephemeron
     * @param i the key's index, in [0, length)
     */
    public void unsetKey(long e, int i) {
        setKey("Obj.Ephemeron.unset_key", e, i, Value.NONE);
    }

    /**
     * {@return true if key {@code i} is full ({@code Obj.Ephemeron.check_key})}
     *
     * @param e an ephemeron
     * @param i the key's index, in [0, length)
     */
    public boolean checkKey(long e, int i) {
        return peekKey("Obj.Ephemeron.check_key", e, i) != Value.NONE;
    }

    /**
     * Copies {@code length} keys of {@code e1} from {@code o1} to {@code e2} at {@code o2}
     * ({@code Obj.Ephemeron.blit_key}); overlapping ranges of one ephemeron are handled.
     *
     * @param e1 the ephemeron copied from
     * @param o1 the index of the first key copied
     * @param e2 the ephemeron copied to (may be {@code e1})
     * @param o2 the index in {@code e2} of the first key written
     * @param length the number of keys
     */
    public void blitKey(long e1, int o1, long e2, int o2, int length) {
        blitKeys("Obj.Ephemeron.blit_key", e1, o1, e2, o2, length);
    }

    /**
     * {@return the data, or NONE ({@code Obj.Ephemeron.get_data})}
     *
     * @param e an ephemeron
     */
    public long getData(long e) {
        return getData("Obj.Ephemeron.get_data", e);
    }

    /**
     * {@return a shallow copy of the data, or NONE ({@code Obj.Ephemeron.get_data_copy})}
     *
     * @param e an ephemeron
     */
    public long getDataCopy(long e) {
        return getDataCopy("Obj.Ephemeron.get_data_copy", e);
    }

    /**
     * Makes the data full ({@code Obj.Ephemeron.set_data}); NONE empties it.
     *
     * @param e an ephemeron
     * @param d the data: any value, or NONE
     */
    public void setData(long e, long d) {
        setData("Obj.Ephemeron.set_data", e, d);
    }

    /**
     * Empties the data ({@code Obj.Ephemeron.unset_data}).
     *
     * @param e an ephemeron
     */
    public void unsetData(long e) {
        setData("Obj.Ephemeron.unset_data", e, Value.NONE);
    }

    /**
     * {@return true if the data is full ({@code Obj.Ephemeron.check_data})}
     *
     * @param e an ephemeron
     */
    public boolean checkData(long e) {
        return peekData("Obj.Ephemeron.check_data", e) != Value.NONE;
    }

    /**
     * Copies the data of {@code e1} into {@code e2} ({@code Obj.Ephemeron.blit_data}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitData(long e1, long e2) {
        blitData("Obj.Ephemeron.blit_data", e1, e2);
    }

    // ================================================================== shared primitives

    long create(String op, int keys) {
        checks.enter(op);
        if (keys < 0 || keys > EphemeronLayout.MAX_KEYS) {
            throw new IllegalArgumentException(op + ": " + keys + " keys out of range [0, "
                    + EphemeronLayout.MAX_KEYS + "]");
        }
        return allocator.allocateOld(op, EphemeronLayout.sizeWords(keys), Tag.EPHEMERON);
    }

    /**
     * A new ephemeron with the given keys and data (NONE for empty), all rooted across the
     * allocation. Used by {@code make}.
     */
    long make(String op, long[] keys, long data) {
        checks.checkValue(op, data);
        for (long k : keys) {
            checks.checkValue(op, k);
        }
        int mark = roots.top;
        roots.pushUnchecked(data);
        for (long k : keys) {
            roots.pushUnchecked(k);
        }
        try {
            long e = create(op, keys.length);
            barrier.initEphemeronSlot(e, EphemeronLayout.DATA_FIELD, roots.getUnchecked(mark));
            for (int i = 0; i < keys.length; i++) {
                barrier.initEphemeronSlot(e, EphemeronLayout.keyField(i), roots.getUnchecked(mark + 1 + i));
            }
            return e;
        } finally {
            roots.popToUnchecked(mark);
        }
    }

    /** Address of field 0 of the ephemeron {@code e}, after checking it is one. */
    long ephemeron(String op, long e) {
        ephemeronHeader(op, e);
        return Value.addressOf(e);
    }

    /** The header of the ephemeron {@code e}, after the entry checks: one read of it. */
    private long ephemeronHeader(String op, long e) {
        long h = checks.blockHeader(op, e);
        if (Header.tag(h) != Tag.EPHEMERON) {
            throw EntryChecks.wrongTag(op, "an ephemeron", e, h);
        }
        return h;
    }

    int keyCount(String op, long e) {
        return EphemeronLayout.keyCount(Header.sizeWords(ephemeronHeader(op, e)));
    }

    /** Checks that {@code e} has exactly {@code keys} keys (the typed K1/K2 views). */
    void checkArity(String op, long e, int keys) {
        int n = keyCount(op, e);
        if (n != keys) {
            throw new WrongTagException(op + ": expected an ephemeron with " + keys
                    + (keys == 1 ? " key" : " keys") + ", got one with " + n);
        }
    }

    private long keyAddress(String op, long e, int i) {
        int n = keyCount(op, e);
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(op + ": key index " + i + " out of range [0, " + n + ")");
        }
        return Value.addressOf(e) + EphemeronLayout.keyField(i);
    }

    /** Key {@code i}: darkened while a cycle marks (OCaml's {@code get_key}). */
    long getKey(String op, long e, int i) {
        keyAddress(op, e, i);
        return weakSlots.getKey(e, EphemeronLayout.keyField(i));
    }

    /** Key {@code i} without keeping it alive (OCaml's {@code check_key}, the source of {@code get_key_copy}). */
    long peekKey(String op, long e, int i) {
        keyAddress(op, e, i);
        return weakSlots.peekKey(e, EphemeronLayout.keyField(i));
    }

    long getKeyCopy(String op, long e, int i) {
        keyAddress(op, e, i);
        return copySlot(op, e, EphemeronLayout.keyField(i));
    }

    /**
     * A shallow copy of the value in a weak slot (OCaml's {@code get_key_copy}/{@code
     * get_data_copy}, after {@code ephe_get_field_copy} in OCaml 4.14's {@code weak.c}): the
     * copy is allocated first, with only the ephemeron rooted — the value is not kept, so the collection that allocation may
     * run is free to erase it, and a finaliser run at it may change the slot — then the slot is
     * read again, from the start: what it holds now is copied into the block allocated if it has
     * that block's size and tag (else a block of its shape is allocated, and again). While a
     * cycle marks, the copy's fields are kept (the copy is new: the snapshot does not cover it).
     * A value handed out as it is (a custom block, an ephemeron, a block of the library's
     * structures, never copied: {@link Allocator#isHandedOutUncopied}) is the original, and is
     * kept like what {@code get} returns — whether the slot held it at the first read or only
     * after the allocation.
     *
     * <p>The loop has no bound, as OCaml's has none: it goes round again only if the slot came
     * to hold a block of another shape during the allocation, which takes a finaliser run at that
     * allocation to store one there; each registration runs its finaliser once, so a program
     * makes it go round only as often as its finalisers store such blocks.
     */
    private long copySlot(String op, long e, int field) {
        int mark = roots.top;
        roots.pushUnchecked(e);
        try {
            long copy = Value.NONE;
            int size = -1; // of the block allocated for the copy; -1 before the first allocation
            int tag = -1;
            while (true) {
                long v = weakSlots.peekSlot(e, field);
                if (!Value.isBlock(v)) {
                    return v; // empty, or erased by the collection the allocation ran
                }
                long a = Value.addressOf(v);
                long h = checks.header(a);
                if (allocator.isHandedOutUncopied(a, h)) {
                    return weakSlots.readWeakRoot(v);
                }
                if (Header.sizeWords(h) == size && Header.tag(h) == tag) {
                    barrier.initCopy(v, copy, size, Tag.isScanned(tag));
                    weakSlots.darkenFields(copy);
                    return copy;
                }
                size = Header.sizeWords(h);
                tag = Header.tag(h);
                copy = allocator.allocate(op, size, tag);
                e = roots.getUnchecked(mark);
            }
        } finally {
            roots.popToUnchecked(mark);
        }
    }

    void setKey(String op, long e, int i, long k) {
        keyAddress(op, e, i);
        checks.checkValue(op, k);
        weakSlots.setKey(e, EphemeronLayout.keyField(i), k);
    }

    /** The data: darkened while a cycle marks (OCaml's {@code get_data}). */
    long getData(String op, long e) {
        ephemeron(op, e);
        return weakSlots.getData(e);
    }

    /** The data without keeping it alive ({@code check_data}, the source of {@code get_data_copy}). */
    long peekData(String op, long e) {
        ephemeron(op, e);
        return weakSlots.peekData(e);
    }

    long getDataCopy(String op, long e) {
        ephemeron(op, e);
        return copySlot(op, e, EphemeronLayout.DATA_FIELD);
    }

    void setData(String op, long e, long d) {
        ephemeron(op, e);
        checks.checkValue(op, d);
        weakSlots.setData(e, d);
    }

    void blitData(String op, long e1, long e2) {
        ephemeron(op, e1);
        ephemeron(op, e2);
        weakSlots.blitData(e1, e2);
    }

    /** OCaml's check: {@code l<0 || o1<0 || o1>length e1 - l || o2<0 || o2>length e2 - l}. */
    void blitKeys(String op, long e1, int o1, long e2, int o2, int length) {
        int n1 = keyCount(op, e1);
        int n2 = keyCount(op, e2);
        if (length < 0 || o1 < 0 || o1 > n1 - length || o2 < 0 || o2 > n2 - length) {
            throw new IndexOutOfBoundsException(op + ": range of " + length + " keys from " + o1
                    + " (of " + n1 + ") to " + o2 + " (of " + n2 + ") is invalid");
        }
        if (length == 0) {
            return;
        }
        weakSlots.blitKeys(e1, EphemeronLayout.keyField(o1), e2, EphemeronLayout.keyField(o2), length);
    }
}
