package dev.ephemera;

import dev.ephemera.object.Value;

/**
 * Ephemerons with one key: OCaml's {@code Ephemeron.K1} — the 4.14 mutable API and the OCaml 5
 * {@link #make}/{@link #query}. Empty slots read as {@link Value#NONE}.
 */
public final class EphemeronK1 {
    private final Ephemerons e;

    EphemeronK1(Ephemerons e) {
        this.e = e;
    }

    /** {@return an ephemeron with an empty key and empty data ({@code K1.create})} */
    public long create() {
        return e.create("Ephemeron.K1.create", 1);
    }

    /**
     * {@return the key, or NONE ({@code K1.get_key})}
     *
     * @param eph a K1 ephemeron
     */
    public long getKey(long eph) {
        e.checkArity("Ephemeron.K1.get_key", eph, 1);
        return e.getKey("Ephemeron.K1.get_key", eph, 0);
    }

    /**
     * {@return a shallow copy of the key, or NONE ({@code K1.get_key_copy})}
     *
     * @param eph a K1 ephemeron
     */
    public long getKeyCopy(long eph) {
        e.checkArity("Ephemeron.K1.get_key_copy", eph, 1);
        return e.getKeyCopy("Ephemeron.K1.get_key_copy", eph, 0);
    }

    /**
     * Makes the key full ({@code K1.set_key}).
     *
     * @param eph a K1 ephemeron
     * @param key the key, a pointer to a block
     */
    public void setKey(long eph, long key) {
        e.checkArity("Ephemeron.K1.set_key", eph, 1);
        e.setKey("Ephemeron.K1.set_key", eph, 0, key);
    }

    /**
     * Empties the key; the ephemeron then keeps its data like a ref ({@code K1.unset_key}).
     *
     * @param eph a K1 ephemeron
     */
    public void unsetKey(long eph) {
        e.checkArity("Ephemeron.K1.unset_key", eph, 1);
        e.setKey("Ephemeron.K1.unset_key", eph, 0, Value.NONE);
    }

    /**
     * {@return true if the key is full ({@code K1.check_key})}
     *
     * @param eph a K1 ephemeron
     */
    public boolean checkKey(long eph) {
        e.checkArity("Ephemeron.K1.check_key", eph, 1);
        return e.peekKey("Ephemeron.K1.check_key", eph, 0) != Value.NONE;
    }

    /**
     * Copies the key of {@code e1} into {@code e2} ({@code K1.blit_key}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitKey(long e1, long e2) {
        e.checkArity("Ephemeron.K1.blit_key", e1, 1);
        e.checkArity("Ephemeron.K1.blit_key", e2, 1);
        e.blitKeys("Ephemeron.K1.blit_key", e1, 0, e2, 0, 1);
    }

    /**
     * {@return the data, or NONE ({@code K1.get_data})}
     *
     * @param eph a K1 ephemeron
     */
    public long getData(long eph) {
        e.checkArity("Ephemeron.K1.get_data", eph, 1);
        return e.getData("Ephemeron.K1.get_data", eph);
    }

    /**
     * {@return a shallow copy of the data, or NONE ({@code K1.get_data_copy})}
     *
     * @param eph a K1 ephemeron
     */
    public long getDataCopy(long eph) {
        e.checkArity("Ephemeron.K1.get_data_copy", eph, 1);
        return e.getDataCopy("Ephemeron.K1.get_data_copy", eph);
    }

    /**
     * Makes the data full ({@code K1.set_data}).
     *
     * @param eph a K1 ephemeron
     * @param data the data: any value
     */
    public void setData(long eph, long data) {
        e.checkArity("Ephemeron.K1.set_data", eph, 1);
        e.setData("Ephemeron.K1.set_data", eph, data);
    }

    /**
     * Empties the data; the ephemeron then behaves as a weak pointer ({@code K1.unset_data}).
     *
     * @param eph a K1 ephemeron
     */
    public void unsetData(long eph) {
        e.checkArity("Ephemeron.K1.unset_data", eph, 1);
        e.setData("Ephemeron.K1.unset_data", eph, Value.NONE);
    }

    /**
     * {@return true if the data is full ({@code K1.check_data})}
     *
     * @param eph a K1 ephemeron
     */
    public boolean checkData(long eph) {
        e.checkArity("Ephemeron.K1.check_data", eph, 1);
        return e.peekData("Ephemeron.K1.check_data", eph) != Value.NONE;
    }

    /**
     * Copies the data of {@code e1} into {@code e2} ({@code K1.blit_data}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitData(long e1, long e2) {
        e.checkArity("Ephemeron.K1.blit_data", e1, 1);
        e.checkArity("Ephemeron.K1.blit_data", e2, 1);
        e.blitData("Ephemeron.K1.blit_data", e1, e2);
    }

    /**
     * {@return an ephemeron with key {@code key} and data {@code data} ({@code K1.make}, OCaml 5)}
     *
     * @param key the key, a pointer to a block
     * @param data the data: any value
     */
    public long make(long key, long data) {
        return e.make("Ephemeron.K1.make", new long[] {key}, data);
    }

    /**
     * {@return the data if the key is full and physically equal to {@code key}, else NONE ({@code
     * K1.query}, OCaml 5)}
     *
     * @param eph a K1 ephemeron
     * @param key the key to compare with the ephemeron's, by physical equality
     */
    public long query(long eph, long key) {
        e.checkArity("Ephemeron.K1.query", eph, 1);
        long k = e.getKey("Ephemeron.K1.query", eph, 0);
        return k != Value.NONE && k == key ? e.getData("Ephemeron.K1.query", eph) : Value.NONE;
    }
}
