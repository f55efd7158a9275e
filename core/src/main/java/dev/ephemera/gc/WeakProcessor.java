package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.EphemeronLayout;
import dev.ephemera.object.Header;
import dev.ephemera.object.Value;

/**
 * Weak processing: the ephemeron fixpoint and the clearing of weak references, for both the
 * minor and the major collection.
 *
 * <h2>The rule</h2>
 * Liveness is the least fixpoint of: a value is alive if it is a root, if it is reachable from
 * an alive value by ordinary pointers, or if it is the data of an alive ephemeron all of whose
 * full keys are alive (Hayes, <i>Ephemerons: a new finalization mechanism</i>, OOPSLA 1997;
 * OCaml's {@code Ephemeron} documentation). Empty keys do not count, so an ephemeron whose keys
 * are all empty keeps its data like a {@code ref}. After the fixpoint, every key whose value is
 * dead is emptied <em>together with</em> its ephemeron's data, so every accessor sees one
 * answer; weak roots to dead values are splatted.
 *
 * <h2>Linear time</h2>
 * OCaml (4.14 and 5.x) reaches the fixpoint by rescanning a list of pending ephemerons until a
 * pass marks nothing new; a chain of n ephemerons created in the unlucky order costs O(n²). Here
 * no list is ever rescanned. Ephemerons the tracer reaches are queued, and checked one at a
 * time whenever the mark stack is empty ({@link #checkNext}), so that the data retained by one
 * check is marked before the next check — which is why a chain whose ephemerons are found in
 * chain order needs no waiting at all. A check counts the full keys that are not yet reached;
 * if there are none the data is retained at once, otherwise the ephemeron
 * <em>waits</em> on each such key ({@link Waiters}), the count goes in its link field, and the
 * key's header is swapped for a waited header (the {@link Header#WAITED} bit and an index into
 * the waiter table, where the original is saved — no hash table). When the tracer later
 * reaches a key with a waited header it restores the header and calls {@link #keyReached},
 * which decrements the count of each waiter; at zero the waiter's data is retained. Every
 * (ephemeron, key) pair is thus handled a constant number of times, and the fixpoint costs time
 * linear in ephemerons plus fields, whatever the order in which they were created or are
 * reached. A bit test on the header keeps the cost for blocks nobody waits on at zero.
 *
 * <h2>Two generations, one rule</h2>
 * The same code serves both collections through a {@link Tracer}: for the major collection
 * "reached" means marked; for the minor collection it means "old, or young and already copied"
 * (old blocks count as alive, as in OCaml 4.14's {@code ephe_check_alive_data}). Ephemerons are
 * always allocated old; the minor collection considers only those with a young slot, found in
 * the ephemeron remembered set, so it clears weak references to young garbage and keeps young
 * data only if its keys are alive — OCaml 4.14's behaviour, not OCaml 5's, whose minor
 * collection promotes every young key and data.
 *
 * <h2>Order of the major collection's phases</h2>
 * strong closure with the fixpoint → finalise-first values that are unreached are selected and
 * then traced (resurrected), fixpoint again → finalise-last values still unreached are selected
 * → keys and data of dead values cleared, weak roots splatted → sweep. Weak references to a
 * finalise-first value are therefore not cleared in the cycle its finaliser is queued (OCaml's
 * rule since 4.03, and MPS's), and a finalise-last function finds them already empty.
 */
final class WeakProcessor {
    /** What "reached" means in the collection in progress. */
    interface Tracer {
        /** True if {@code v} is an immediate, none, outside the condemned set, or already reached. */
        boolean isReached(long v);

        /** Arranges for the data of {@code ephemeron} to be traced (later, never recursively). */
        void retainData(long ephemeron);

        /**
         * Traces the data of {@code ephemeron} now. Only safe where the tracer is not in the
         * middle of tracing a block: {@link #checkNext}, called from the tracer's drain loop.
         */
        void traceDataNow(long ephemeron);
    }

    private final Arena arena;
    private final Nursery nursery;
    private final Waiters waiters;
    /**
     * Major: every ephemeron reached in this collection. Minor: every old ephemeron with young
     * data. In discovery order; [0, checked) have been checked by {@link #checkNext}.
     */
    private final LongStack ephemerons = new LongStack(256);
    private int checked;
    /**
     * The checked ephemerons that may have a key to clear: those whose data was empty, immediate
     * or already reached when checked (their keys were not looked at), and those that waited.
     * The others had every full key reached when checked, so the major collection's clearing
     * skips them — in the common case, most ephemerons.
     */
    private final LongStack unresolved = new LongStack(256);
    /**
     * Minor: the number of ephemerons parked by {@link #minorStart} (the first entries of
     * {@code ephemerons}) and not yet checked, and the tracer's copied-word count when parking began.
     */
    private int parked;
    private long parkedAt;

    WeakProcessor(Arena arena, Nursery nursery) {
        this.arena = arena;
        this.nursery = nursery;
        this.waiters = new Waiters(arena);
    }

    // ---------------------------------------------------------------- the fixpoint (both)

    /**
     * True if every full key of the ephemeron whose fields start at {@code chunk[o]} (of
     * {@code size} fields) is reached: then its data must be kept and none of its keys can die
     * in this cycle, so the major marker marks the data and need not queue it at all.
     */
    boolean allKeysReached(long[] chunk, int o, int size, Tracer tracer) {
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD, end = o + size; i < end; i++) {
            long k = chunk[i];
            if (Value.isBlock(k) && !tracer.isReached(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tracer has just reached {@code ephemeron} (major collection). It is queued; the
     * tracer checks it with {@link #checkNext} once its mark stack is empty.
     */
    void ephemeronReached(long ephemeron) {
        ephemerons.push(ephemeron);
    }

    /**
     * Checks the next queued ephemeron (in discovery order): retains its data if every full key
     * is reached, else makes it wait for the unreached ones. Returns false if none is left.
     * The tracer drains its mark stack between two checks, so in the common case — a key
     * reached through the data of an ephemeron checked just before — the key is already marked
     * and no waiting is needed at all; waiting covers every other order in linear time.
     */
    boolean checkNext(Tracer tracer) {
        if (checked == ephemerons.size()) {
            return false;
        }
        waitOrRetain(ephemerons.get(checked++), tracer, true);
        return true;
    }

    private void waitOrRetain(long ephemeron, Tracer tracer, boolean now) {
        long a = Value.addressOf(ephemeron);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int o = Arena.offsetOf(a);
        long data = chunk[o + EphemeronLayout.DATA_FIELD];
        if (!Value.isBlock(data) || tracer.isReached(data)) {
            unresolved.push(ephemeron); // keys not looked at: clearing will
            return; // empty, immediate or already reached: nothing to keep, nothing to wait for
        }
        int end = o + Header.sizeWords(chunk[o - 1]);
        int pending = 0;
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD; i < end; i++) {
            long k = chunk[i];
            if (Value.isBlock(k) && !tracer.isReached(k)) {
                waiters.add(k, ephemeron);
                pending++;
            }
        }
        if (pending == 0) {
            if (now) {
                tracer.traceDataNow(ephemeron);
            } else {
                tracer.retainData(ephemeron);
            }
        } else {
            chunk[o + EphemeronLayout.LINK_FIELD] = Value.ofInt(pending);
            unresolved.push(ephemeron);
        }
    }

    /** The original header behind the waited header {@code waitedHeader} of a key. */
    long originalHeader(long waitedHeader) {
        return waiters.originalHeader(waitedHeader);
    }

    /**
     * The tracer has just reached a key whose header was the waited header
     * {@code waitedHeader} (the tracer has already written the original header back): wakes
     * the ephemerons waiting for it.
     */
    void keyReached(long waitedHeader, Tracer tracer) {
        for (int node = waiters.take(waitedHeader); node >= 0; node = waiters.next(node)) {
            long e = waiters.ephemeron(node);
            long link = Value.addressOf(e) + EphemeronLayout.LINK_FIELD;
            long pending = Value.intOf(arena.read(link)) - 1;
            arena.write(link, Value.ofInt(pending));
            if (pending == 0) {
                tracer.retainData(e);
            }
        }
    }

    // ---------------------------------------------------------------- minor collection

    /**
     * Starts the fixpoint for the minor collection, once roots and remembered slots are traced,
     * with one pass over the remembered ephemerons whose data is young and not yet copied: if
     * every full key is reached the data is traced at once; otherwise the ephemeron is
     * <em>parked</em> — queued, with its link field set so that it is queued once, but not yet
     * checked, and nobody waits on its keys. {@code promotedWords} is the tracer's count of
     * copied words now.
     *
     * <p>Why park: in the common minor collection (a memo table whose young keys died) no key
     * of a parked ephemeron is ever reached, and then the parked ones need nothing more — no
     * waiter, no second look. A key can become reached only if something is copied after this
     * pass started; {@link #minorCheckNext} notices that and only then checks the parked
     * ephemerons properly ({@link #checkNext}, with waiting). So the fixpoint stays exact and
     * linear, and the common case costs one pass.
     */
    void minorStart(LongStack ephemeronSlots, Tracer tracer, long promotedWords) {
        parkedAt = promotedWords;
        for (int i = 0; i < ephemeronSlots.size(); i += 2) {
            if (ephemeronSlots.get(i + 1) != EphemeronLayout.DATA_FIELD) {
                continue;
            }
            long e = ephemeronSlots.get(i);
            long a = Value.addressOf(e);
            long[] chunk = arena.storage(Arena.indexOf(a));
            int o = Arena.offsetOf(a);
            if (tracer.isReached(chunk[o + EphemeronLayout.DATA_FIELD])
                    || chunk[o + EphemeronLayout.LINK_FIELD] != Value.NONE) {
                continue; // data old, copied already, or this ephemeron already seen
            }
            if (allKeysReached(chunk, o, Header.sizeWords(chunk[o - 1]), tracer)) {
                tracer.traceDataNow(e); // copied now, scanned by the drain that follows
            } else {
                ephemerons.push(e);
                chunk[o + EphemeronLayout.LINK_FIELD] = Value.ofInt(0); // parked; reset by minorClear
            }
        }
        checked = ephemerons.size();
        parked = checked;
    }

    /**
     * The minor collection's {@link #checkNext}: when nothing is left to check, and words were
     * copied since {@link #minorStart} parked ephemerons, the parked ones are checked now (a
     * key of one of them may have been copied); if nothing was copied, their keys are all dead
     * and the fixpoint is reached.
     */
    boolean minorCheckNext(Tracer tracer, long promotedWords) {
        if (checkNext(tracer)) {
            return true;
        }
        if (parked > 0 && promotedWords != parkedAt) {
            checked = 0;
            parked = 0;
            return checkNext(tracer);
        }
        return false;
    }

    /**
     * Ends the minor collection's weak processing: each remembered ephemeron slot that still
     * points into the nursery gets the copy's address, or is emptied if the young value died —
     * and if it was a key, the data is emptied with it. Weak roots are treated the same way.
     * Every ephemeron queued by {@link #minorStart} has a remembered data slot, so this pass
     * also resets their link fields.
     */
    void minorClear(LongStack ephemeronSlots, RootSet roots) {
        for (int i = 0; i < ephemeronSlots.size(); i += 2) {
            long a = Value.addressOf(ephemeronSlots.get(i));
            int field = (int) ephemeronSlots.get(i + 1);
            long[] chunk = arena.storage(Arena.indexOf(a));
            int o = Arena.offsetOf(a);
            chunk[o + EphemeronLayout.LINK_FIELD] = Value.NONE;
            long v = chunk[o + field];
            if (!nursery.isYoung(v)) {
                continue;
            }
            long survivor = youngSurvivor(v);
            chunk[o + field] = survivor;
            if (survivor == Value.NONE && field != EphemeronLayout.DATA_FIELD) {
                chunk[o + EphemeronLayout.DATA_FIELD] = Value.NONE;
            }
        }
        roots.forEachWeak(v -> nursery.isYoung(v) ? youngSurvivor(v) : v);
        // Every key the minor collection waited on is young; the unreached ones die with the
        // nursery, so their headers need not be restored.
        clearLists();
    }

    /** The copy of the young {@code v} if it was copied, else {@code NONE}. */
    private long youngSurvivor(long v) {
        long a = Value.addressOf(v);
        return Header.isBlack(arena.read(a - 1)) ? arena.read(a) : Value.NONE;
    }

    // ---------------------------------------------------------------- major collection

    /**
     * Clears, in every ephemeron reached by this major collection, the keys whose values were
     * not marked and the data with them; splats weak roots to unmarked values.
     */
    void majorClear(Tracer tracer, RootSet roots) {
        // Only the unresolved ephemerons can have a dead key (see {@link #unresolved}), and only
        // they can have a link field in use; the rest need not be touched again.
        for (int j = 0; j < unresolved.size(); j++) {
            long a = Value.addressOf(unresolved.get(j));
            long[] chunk = arena.storage(Arena.indexOf(a));
            int o = Arena.offsetOf(a);
            int end = o + Header.sizeWords(chunk[o - 1]);
            boolean keyDied = false;
            for (int i = o + EphemeronLayout.FIRST_KEY_FIELD; i < end; i++) {
                long k = chunk[i];
                if (Value.isBlock(k) && !tracer.isReached(k)) {
                    chunk[i] = Value.NONE;
                    keyDied = true;
                }
            }
            long data = chunk[o + EphemeronLayout.DATA_FIELD];
            if (keyDied || (Value.isBlock(data) && !tracer.isReached(data))) {
                chunk[o + EphemeronLayout.DATA_FIELD] = Value.NONE;
            }
            chunk[o + EphemeronLayout.LINK_FIELD] = Value.NONE;
        }
        roots.forEachWeak(v -> tracer.isReached(v) ? v : Value.NONE);
        waiters.restoreUnreached();
        clearLists();
    }

    private void clearLists() {
        ephemerons.clear();
        unresolved.clear();
        checked = 0;
        parked = 0;
        waiters.clear();
    }

    /** Ephemerons reached by the major collection in progress. */
    int reachedEphemerons() {
        return ephemerons.size();
    }
}
