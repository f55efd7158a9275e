package dev.ephemera;

import dev.ephemera.object.Value;

/**
 * Ephemerons with any number of keys: OCaml's {@code Ephemeron.Kn}. The data is kept only while
 * every full key is alive.
 */
public final class EphemeronKn {
    private final Ephemerons e;

    EphemeronKn(Ephemerons e) {
        this.e = e;
    }

    /**
     * {@code Kn.create n}.
     *
     * @param keys the number of keys
     * @return a Kn ephemeron with {@code keys} empty keys and empty data
     */
    public long create(int keys) {
        return e.create("Ephemeron.Kn.create", keys);
    }

    /**
     * {@return the number of keys}
     *
     * @param eph a Kn ephemeron
     */
    public int length(long eph) {
        return e.keyCount("Ephemeron.Kn.length", eph);
    }

    /**
     * {@code Kn.get_key}.
     *
     * @param eph a Kn ephemeron
     * @param i the key's index, in [0, length)
     * @return key {@code i}, or NONE if it is empty
     */
    public long getKey(long eph, int i) {
        return e.getKey("Ephemeron.Kn.get_key", eph, i);
    }

    /**
     * {@code Kn.get_key_copy}.
     *
     * @param eph a Kn ephemeron
     * @param i the key's index, in [0, length)
     * @return a shallow copy of key {@code i}, or NONE if it is empty
     */
    public long getKeyCopy(long eph, int i) {
        return e.getKeyCopy("Ephemeron.Kn.get_key_copy", eph, i);
    }

    /**
     * {@code Kn.set_key}.
     *
     * @param eph a Kn ephemeron
     * @param i the key's index, in [0, length)
     * @param k the key, a pointer to a block
     */
    public void setKey(long eph, int i, long k) {
        e.setKey("Ephemeron.Kn.set_key", eph, i, k);
    }

    /**
     * {@code Kn.unset_key}.
     *
     * @param eph a Kn ephemeron
     * @param i the key's index, in [0, length)
     */
    public void unsetKey(long eph, int i) {
        e.setKey("Ephemeron.Kn.unset_key", eph, i, Value.NONE);
    }

    /**
     * {@code Kn.check_key}.
     *
     * @param eph a Kn ephemeron
     * @param i the key's index, in [0, length)
     * @return true if key {@code i} is full
     */
    public boolean checkKey(long eph, int i) {
        return e.peekKey("Ephemeron.Kn.check_key", eph, i) != Value.NONE;
    }

    /**
     * {@code Kn.blit_key e1 o1 e2 o2 l}.
     *
     * @param e1 the ephemeron copied from
     * @param o1 the index of the first key copied
     * @param e2 the ephemeron copied to (may be {@code e1})
     * @param o2 the index in {@code e2} of the first key written
     * @param length the number of keys
     */
    public void blitKey(long e1, int o1, long e2, int o2, int length) {
        e.blitKeys("Ephemeron.Kn.blit_key", e1, o1, e2, o2, length);
    }

    /**
     * {@code Kn.get_data}.
     *
     * @param eph a Kn ephemeron
     * @return the data, or NONE if it is empty
     */
    public long getData(long eph) {
        return e.getData("Ephemeron.Kn.get_data", eph);
    }

    /**
     * {@code Kn.get_data_copy}.
     *
     * @param eph a Kn ephemeron
     * @return a shallow copy of the data, or NONE if it is empty
     */
    public long getDataCopy(long eph) {
        return e.getDataCopy("Ephemeron.Kn.get_data_copy", eph);
    }

    /**
     * {@code Kn.set_data}.
     *
     * @param eph a Kn ephemeron
     * @param d the data: any value
     */
    public void setData(long eph, long d) {
        e.setData("Ephemeron.Kn.set_data", eph, d);
    }

    /**
     * {@code Kn.unset_data}.
     *
     * @param eph a Kn ephemeron
     */
    public void unsetData(long eph) {
        e.setData("Ephemeron.Kn.unset_data", eph, Value.NONE);
    }

    /**
     * {@code Kn.check_data}.
     *
     * @param eph a Kn ephemeron
     * @return true if the data is full
     */
    public boolean checkData(long eph) {
        return e.peekData("Ephemeron.Kn.check_data", eph) != Value.NONE;
    }

    /**
     * {@code Kn.blit_data}.
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitData(long e1, long e2) {
        e.blitData("Ephemeron.Kn.blit_data", e1, e2);
    }

    /**
     * {@code Kn.make keys d} (OCaml 5): the keys and data are rooted across the allocation.
     *
     * @param keys the keys, pointers to blocks
     * @param data the data: any value
     * @return the new ephemeron (raw: valid until the next allocation)
     */
    public long make(long[] keys, long data) {
        EntryChecks.requireNonNull("Ephemeron.Kn.make", "keys", keys);
        return e.make("Ephemeron.Kn.make", keys.clone(), data);
    }

    /**
     * {@return the data if the ephemeron has as many keys as {@code keys}, all full and physically
     * equal to them; else NONE ({@code Kn.query}, OCaml 5)}
     *
     * @param eph a Kn ephemeron
     * @param keys the values to compare with the keys, by physical equality
     */
    public long query(long eph, long[] keys) {
        EntryChecks.requireNonNull("Ephemeron.Kn.query", "keys", keys);
        int n = e.keyCount("Ephemeron.Kn.query", eph);
        if (n != keys.length) {
            return Value.NONE;
        }
        for (int i = 0; i < n; i++) {
            long k = e.getKey("Ephemeron.Kn.query", eph, i);
            if (k == Value.NONE || k != keys[i]) {
                return Value.NONE;
            }
        }
        return e.getData("Ephemeron.Kn.query", eph);
    }
}
