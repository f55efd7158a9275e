package dev.ephemera;

import dev.ephemera.object.Value;

/**
 * Ephemerons with two keys: OCaml's {@code Ephemeron.K2}. The data is kept only while both full
 * keys are alive.
 */
public final class EphemeronK2 {
    private final Ephemerons e;

    EphemeronK2(Ephemerons e) {
        this.e = e;
    }

    /**
     * {@code K2.create}.
     *
     * @return a K2 ephemeron with both keys and the data empty
     */
    public long create() {
        return e.create("Ephemeron.K2.create", 2);
    }

    private long key(String op, long eph, int i) {
        e.checkArity(op, eph, 2);
        return e.getKey(op, eph, i);
    }

    private long peekKey(String op, long eph, int i) {
        e.checkArity(op, eph, 2);
        return e.peekKey(op, eph, i);
    }

    private long keyCopy(String op, long eph, int i) {
        e.checkArity(op, eph, 2);
        return e.getKeyCopy(op, eph, i);
    }

    private void setKey(String op, long eph, int i, long k) {
        e.checkArity(op, eph, 2);
        e.setKey(op, eph, i, k);
    }

    /**
     * {@code K2.get_key1}.
     *
     * @param eph a K2 ephemeron
     * @return key 1, or NONE if it is empty
     */
    public long getKey1(long eph) {
        return key("Ephemeron.K2.get_key1", eph, 0);
    }

    /**
     * {@code K2.get_key1_copy}.
     *
     * @param eph a K2 ephemeron
     * @return a shallow copy of key 1, or NONE if it is empty
     */
    public long getKey1Copy(long eph) {
        return keyCopy("Ephemeron.K2.get_key1_copy", eph, 0);
    }

    /**
     * {@code K2.set_key1}.
     *
     * @param eph a K2 ephemeron
     * @param k the key, a pointer to a block
     */
    public void setKey1(long eph, long k) {
        setKey("Ephemeron.K2.set_key1", eph, 0, k);
    }

    /**
     * {@code K2.unset_key1}.
     *
     * @param eph a K2 ephemeron
     */
    public void unsetKey1(long eph) {
        setKey("Ephemeron.K2.unset_key1", eph, 0, Value.NONE);
    }

    /**
     * {@code K2.check_key1}.
     *
     * @param eph a K2 ephemeron
     * @return true if key 1 is full
     */
    public boolean checkKey1(long eph) {
        return peekKey("Ephemeron.K2.check_key1", eph, 0) != Value.NONE;
    }

    /**
     * {@code K2.get_key2}.
     *
     * @param eph a K2 ephemeron
     * @return key 2, or NONE if it is empty
     */
    public long getKey2(long eph) {
        return key("Ephemeron.K2.get_key2", eph, 1);
    }

    /**
     * {@code K2.get_key2_copy}.
     *
     * @param eph a K2 ephemeron
     * @return a shallow copy of key 2, or NONE if it is empty
     */
    public long getKey2Copy(long eph) {
        return keyCopy("Ephemeron.K2.get_key2_copy", eph, 1);
    }

    /**
     * {@code K2.set_key2}.
     *
     * @param eph a K2 ephemeron
     * @param k the key, a pointer to a block
     */
    public void setKey2(long eph, long k) {
        setKey("Ephemeron.K2.set_key2", eph, 1, k);
    }

    /**
     * {@code K2.unset_key2}.
     *
     * @param eph a K2 ephemeron
     */
    public void unsetKey2(long eph) {
        setKey("Ephemeron.K2.unset_key2", eph, 1, Value.NONE);
    }

    /**
     * {@code K2.check_key2}.
     *
     * @param eph a K2 ephemeron
     * @return true if key 2 is full
     */
    public boolean checkKey2(long eph) {
        return peekKey("Ephemeron.K2.check_key2", eph, 1) != Value.NONE;
    }

    /**
     * Copies key 1 of {@code e1} into key 1 of {@code e2} ({@code K2.blit_key1}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitKey1(long e1, long e2) {
        blit("Ephemeron.K2.blit_key1", e1, e2, 0, 1);
    }

    /**
     * Copies key 2 ({@code K2.blit_key2}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitKey2(long e1, long e2) {
        blit("Ephemeron.K2.blit_key2", e1, e2, 1, 1);
    }

    /**
     * Copies both keys ({@code K2.blit_key12}).
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitKey12(long e1, long e2) {
        blit("Ephemeron.K2.blit_key12", e1, e2, 0, 2);
    }

    private void blit(String op, long e1, long e2, int from, int length) {
        e.checkArity(op, e1, 2);
        e.checkArity(op, e2, 2);
        e.blitKeys(op, e1, from, e2, from, length);
    }

    /**
     * {@code K2.get_data}.
     *
     * @param eph a K2 ephemeron
     * @return the data, or NONE if it is empty
     */
    public long getData(long eph) {
        e.checkArity("Ephemeron.K2.get_data", eph, 2);
        return e.getData("Ephemeron.K2.get_data", eph);
    }

    /**
     * {@code K2.get_data_copy}.
     *
     * @param eph a K2 ephemeron
     * @return a shallow copy of the data, or NONE if it is empty
     */
    public long getDataCopy(long eph) {
        e.checkArity("Ephemeron.K2.get_data_copy", eph, 2);
        return e.getDataCopy("Ephemeron.K2.get_data_copy", eph);
    }

    /**
     * {@code K2.set_data}.
     *
     * @param eph a K2 ephemeron
     * @param d the data: any value
     */
    public void setData(long eph, long d) {
        e.checkArity("Ephemeron.K2.set_data", eph, 2);
        e.setData("Ephemeron.K2.set_data", eph, d);
    }

    /**
     * {@code K2.unset_data}.
     *
     * @param eph a K2 ephemeron
     */
    public void unsetData(long eph) {
        e.checkArity("Ephemeron.K2.unset_data", eph, 2);
        e.setData("Ephemeron.K2.unset_data", eph, Value.NONE);
    }

    /**
     * {@code K2.check_data}.
     *
     * @param eph a K2 ephemeron
     * @return true if the data is full
     */
    public boolean checkData(long eph) {
        e.checkArity("Ephemeron.K2.check_data", eph, 2);
        return e.peekData("Ephemeron.K2.check_data", eph) != Value.NONE;
    }

    /**
     * {@code K2.blit_data}.
     *
     * @param e1 the ephemeron copied from
     * @param e2 the ephemeron copied to
     */
    public void blitData(long e1, long e2) {
        e.checkArity("Ephemeron.K2.blit_data", e1, 2);
        e.checkArity("Ephemeron.K2.blit_data", e2, 2);
        e.blitData("Ephemeron.K2.blit_data", e1, e2);
    }

    /**
     * {@code K2.make k1 k2 d} (OCaml 5).
     *
     * @param key1 key 1, a pointer to a block
     * @param key2 key 2, a pointer to a block
     * @param data the data: any value
     * @return the new ephemeron (raw: valid until the next allocation)
     */
    public long make(long key1, long key2, long data) {
        return e.make("Ephemeron.K2.make", new long[] {key1, key2}, data);
    }

    /**
     * {@return the data if both keys are full and physically equal to {@code key1}, {@code key2}
     * ({@code K2.query})}
     *
     * @param eph a K2 ephemeron
     * @param key1 the value to compare with key 1, by physical equality
     * @param key2 the value to compare with key 2, by physical equality
     */
    public long query(long eph, long key1, long key2) {
        long k1 = key("Ephemeron.K2.query", eph, 0);
        long k2 = key("Ephemeron.K2.query", eph, 1);
        return k1 != Value.NONE && k1 == key1 && k2 != Value.NONE && k2 == key2
                ? e.getData("Ephemeron.K2.query", eph) : Value.NONE;
    }
}
