package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;

/**
 * The ephemeron fixpoint and the clearing of dead keys, in linear time, for one kind of
 * collection: the collector has one instance for minor collections and one for the major
 * cycle, which lasts across slices while minor collections run in between.
 *
 * <h2>The rule</h2>
 * Liveness is the least fixpoint of: a value is alive if it is a root, if it is reachable from
 * an alive value by ordinary pointers, or if it is the data of an alive ephemeron all of whose
 * full keys are alive (Hayes, <i>Ephemerons: a new finalization mechanism</i>, OOPSLA 1997;
 * OCaml's {@code Ephemeron} documentation). Empty keys do not count, so an ephemeron whose keys
 * are all empty keeps its data like a {@code ref}. After the fixpoint, every key whose value is
 * dead is emptied <em>together with</em> its ephemeron's data, so every accessor sees one
 * answer.
 *
 * <h2>Linear time</h2>
 * OCaml (4.14 and 5.x) reaches the fixpoint by rescanning a list of pending ephemerons until a
 * pass marks nothing new; a chain of n ephemerons created in the unlucky order costs O(n²). Here
 * no list is ever rescanned. Ephemerons the tracer reaches are queued, and checked one at a time
 * whenever its mark stack is empty ({@link #checkNext}), so that the data retained by one check
 * is traced before the next check — which is why a chain whose ephemerons are found in chain
 * order needs no waiting at all. A check counts the full keys that are not yet reached; if there
 * are none the data is retained at once; otherwise the check <em>waits</em> on each such key:
 * a check record holds the count, the ephemeron's link field names the record, and the key's
 * header is swapped for a waited header ({@link Waiters} — no hash table). When the tracer later
 * reaches a key with a waited header it calls {@link #keyReached}, which decrements the count of
 * each waiting record; at zero the data is retained. Every (ephemeron, key) pair is handled a
 * constant number of times, and the fixpoint costs time linear in ephemerons plus fields,
 * whatever the order in which they were created or are reached.
 *
 * <h2>The mutator between slices</h2>
 * In an incremental major cycle the mutator runs while ephemerons wait. It may change a reached
 * ephemeron's keys or data; the write barrier then {@linkplain #requeue requeues} it: it is
 * checked again against its current slots, and its current record is dropped, so that the
 * checks it waited in before are ignored when their keys are reached (a record is current only
 * while the link field names it). That keeps the fixpoint exact — data is kept exactly when
 * the ephemeron and all its current full keys are reached — and linear: each requeue is paid
 * by a mutator store. Ephemerons resolved on the spot by the marker (all keys reached when it
 * was marked) are never queued; a later store requeues them too.
 *
 * <h2>Which ephemerons can need clearing</h2>
 * Only the checked ephemerons that waited, or whose data was empty, immediate or already
 * reached when checked (their keys were not looked at), can have a dead key: they go on the
 * {@linkplain #unresolved} list, and clearing walks that list, not every ephemeron reached. The
 * major cycle clears it in budgeted steps ({@link #clear}); meanwhile the accessors clean an
 * ephemeron before they read it ({@link WeakSlots}), so every answer is "as if all the cleaning
 * had happened at once" (OCaml's {@code weak.c}).
 *
 * <h2>Two generations, one rule</h2>
 * For the major cycle "reached" means marked; for a minor collection "old, or young and already
 * copied" (old blocks count as alive, as in OCaml 4.14's {@code ephe_check_alive_data}).
 * Ephemerons are always allocated old; the minor collection considers only those with a young
 * slot, found in the ephemeron remembered set, so it clears weak references to young garbage
 * and keeps young data only if its keys are alive — OCaml 4.14's behaviour, not OCaml 5's,
 * whose minor collection promotes every young key and data. Each instance uses its own half of
 * the ephemeron link word ({@link EphemeronLayout#link}).
 */
final class EphemeronFixpoint implements WeakClient {
    /** Link half bit: the ephemeron is queued for a check (major) or parked (minor). */
    private static final int QUEUED = 1;
    /** Link half: the bits above {@link #QUEUED} hold 1 + the index of the ephemeron's waiting record. */
    private static final int RECORD_SHIFT = 1;

    private final Arena arena;
    private final boolean major;
    private final Waiters waiters;
    /**
     * Major: every ephemeron reached, and every requeued one. Minor: every parked ephemeron. In
     * order; [0, checked) have been checked.
     */
    private final LongStack queue = new LongStack(256);
    private int checked;
    /** The checked ephemerons that may have a key to clear (see the class comment). */
    private final LongStack unresolved = new LongStack(256);
    /** Clearing has gone through unresolved[0, cleanCursor). */
    private int cleanCursor;
    /** Check records: the ephemeron and its count of keys not yet reached. */
    private long[] recordEphemeron = new long[64];
    private int[] recordPending = new int[64];
    private int recordCount;
    /**
     * Minor: the number of ephemerons parked by {@link #minorStart} (the first entries of the
     * queue) and not yet checked, and the tracer's copied-word count when parking began.
     */
    private int parked;
    private long parkedAt;

    /** The minor instance's remembered set (its ephemeron slots are what it clears); null for the major one. */
    private final RememberedSet remembered;

    /** The major cycle's fixpoint. */
    static EphemeronFixpoint forMajor(Arena arena) {
        return new EphemeronFixpoint(arena, true, null);
    }

    /** The minor collections' fixpoint, over the ephemeron slots of {@code remembered}. */
    static EphemeronFixpoint forMinor(Arena arena, RememberedSet remembered) {
        return new EphemeronFixpoint(arena, false, remembered);
    }

    private EphemeronFixpoint(Arena arena, boolean major, RememberedSet remembered) {
        this.arena = arena;
        this.major = major;
        this.remembered = remembered;
        this.waiters = new Waiters(arena);
    }

    @Override
    public boolean clear(Tracer tracer, Budget budget) {
        if (major) {
            return clearUnresolved(tracer, budget);
        }
        minorClear(remembered.ephemeronSlots, tracer);
        return true;
    }

    @Override
    public boolean clearsIncrementally() {
        return major;
    }

    // ---------------------------------------------------------------- link halves

    private int half(long link) {
        return major ? EphemeronLayout.majorLink(link) : EphemeronLayout.minorLink(link);
    }

    /**
     * The link half of an ephemeron that waits on its keys under record {@code record}: never 0
     * (no record) and never with {@link #QUEUED} set, so a stale record is told apart.
     */
    private static int recordHalf(int record) {
        return (record + 1) << RECORD_SHIFT;
    }

    private long withHalf(long link, int half) {
        return major ? EphemeronLayout.link(half, EphemeronLayout.minorLink(link))
                : EphemeronLayout.link(EphemeronLayout.majorLink(link), half);
    }

    private void setHalf(long[] chunk, int o, int half) {
        int i = o + EphemeronLayout.LINK_FIELD;
        chunk[i] = withHalf(chunk[i], half);
    }

    // ---------------------------------------------------------------- the fixpoint

    /**
     * True if every full key of the ephemeron whose fields start at {@code chunk[o]} (of
     * {@code size} fields) is reached: then its data must be kept and none of its keys can die
     * in this collection.
     */
    static boolean allKeysReached(long[] chunk, int o, int size, Tracer tracer) {
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD, end = o + size; i < end; i++) {
            long k = chunk[i];
            if (Value.isBlock(k) && !tracer.isReached(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tracer has just reached {@code ephemeron} and did not resolve it on the spot: it is
     * queued, and checked with {@link #checkNext} once the mark stack is empty.
     */
    void reached(long ephemeron) {
        long a = Value.addressOf(ephemeron);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int o = Arena.offsetOf(a);
        setHalf(chunk, o, QUEUED);
        queue.push(ephemeron);
    }

    /**
     * The mutator has stored into a slot of the reached ephemeron {@code ephemeron} during
     * marking: it is checked again against its current slots, and the record it may be waiting
     * in is dropped. Costs nothing if it is already queued.
     */
    void requeue(long ephemeron) {
        long a = Value.addressOf(ephemeron);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int o = Arena.offsetOf(a);
        if ((half(chunk[o + EphemeronLayout.LINK_FIELD]) & QUEUED) != 0) {
            return;
        }
        setHalf(chunk, o, QUEUED);
        queue.push(ephemeron);
    }

    /** True if a queued ephemeron is still to be checked. */
    boolean hasWork() {
        return checked < queue.size();
    }

    /**
     * Checks the next queued ephemeron: retains its data if every full key is reached, else makes
     * it wait for the unreached ones. Returns false if none is left. The tracer drains its mark
     * stack between two checks, so in the common case — a key reached through the data of an
     * ephemeron checked just before — the key is already marked and no waiting is needed.
     */
    boolean checkNext(Tracer tracer) {
        if (checked == queue.size()) {
            return false;
        }
        check(queue.get(checked++), tracer);
        return true;
    }

    private void check(long ephemeron, Tracer tracer) {
        long a = Value.addressOf(ephemeron);
        long[] chunk = arena.storage(Arena.indexOf(a));
        int o = Arena.offsetOf(a);
        setHalf(chunk, o, 0);
        long data = chunk[o + EphemeronLayout.DATA_FIELD];
        if (!Value.isBlock(data) || tracer.isReached(data)) {
            unresolved.push(ephemeron); // keys not looked at: clearing will
            return; // empty, immediate or already reached: nothing to keep, nothing to wait for
        }
        int end = o + Header.sizeWords(chunk[o + Header.OFFSET]);
        int record = recordCount;
        int pending = 0;
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD; i < end; i++) {
            long k = chunk[i];
            if (Value.isBlock(k) && !tracer.isReached(k)) {
                waiters.add(k, record);
                pending++;
            }
        }
        if (pending == 0) {
            tracer.traceDataNow(ephemeron);
            return;
        }
        if (recordCount == recordPending.length) {
            recordPending = Arrays.copyOf(recordPending, recordCount * 2);
            recordEphemeron = Arrays.copyOf(recordEphemeron, recordCount * 2);
        }
        recordEphemeron[record] = ephemeron;
        recordPending[record] = pending;
        recordCount++;
        setHalf(chunk, o, recordHalf(record));
        unresolved.push(ephemeron);
    }

    /**
     * The original header behind the waited header {@code waitedHeader} at {@code headerAddress},
     * to be written back (with the tracer's colour) when the key is reached.
     */
    long originalHeader(long headerAddress, long waitedHeader) {
        return waiters.originalHeader(headerAddress, waitedHeader);
    }

    /** The saved header of a key waited on in this collection: where its identity hash is. */
    long savedHeader(long headerAddress, long waitedHeader) {
        return waiters.savedHeader(headerAddress, waitedHeader);
    }

    /** Stores a new identity hash for a waited key. */
    void setSavedHash(long headerAddress, long waitedHeader, int hash) {
        waiters.setSavedHash(headerAddress, waitedHeader, hash);
    }

    /**
     * The tracer has just reached the key whose header, at {@code headerAddress}, was the waited
     * header {@code waitedHeader} (the tracer has already written the original back): wakes the
     * checks waiting for it. A record no longer named by its ephemeron's link (the ephemeron was
     * requeued since) is ignored.
     */
    void keyReached(long headerAddress, long waitedHeader, Tracer tracer) {
        for (int node = waiters.take(headerAddress, waitedHeader); node >= 0; node = waiters.next(node)) {
            int r = (int) waiters.waiter(node);
            long e = recordEphemeron[r];
            long link = arena.read(Value.addressOf(e) + EphemeronLayout.LINK_FIELD);
            if (half(link) != recordHalf(r)) {
                continue; // stale: the ephemeron was changed and requeued since it waited here
            }
            if (--recordPending[r] == 0) {
                tracer.retainData(e);
            }
        }
    }

    // ---------------------------------------------------------------- minor collection

    /**
     * Starts the fixpoint for a minor collection, once roots and remembered slots are traced,
     * with one pass over the remembered ephemerons whose data is young and not yet copied: if
     * every full key is reached the data is traced at once; otherwise the ephemeron is
     * <em>parked</em> — queued, with its link half set so that it is queued once, but not yet
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
                    || half(chunk[o + EphemeronLayout.LINK_FIELD]) != 0) {
                continue; // data old, copied already, or this ephemeron already seen
            }
            if (allKeysReached(chunk, o, Header.sizeWords(chunk[o + Header.OFFSET]), tracer)) {
                tracer.traceDataNow(e); // copied now, scanned by the drain that follows
            } else {
                queue.push(e);
                setHalf(chunk, o, QUEUED); // parked; reset by minorClear
            }
        }
        checked = queue.size();
        parked = checked;
    }

    /**
     * The minor collection's {@link #checkNext}: when nothing is left to check, and words were
     * copied since {@link #minorStart} parked ephemerons, the parked ones are checked now (a key
     * of one of them may have been copied); if nothing was copied, their keys are all dead and
     * the fixpoint is reached.
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
     * Ends a minor collection's weak processing: each remembered ephemeron slot that still
     * points into the nursery gets the copy's address, or is emptied if the young value died —
     * and if it was a key, the data is emptied with it. Every ephemeron the minor collection
     * queued has a remembered data slot, so this pass also resets their link halves.
     */
    void minorClear(LongStack ephemeronSlots, Tracer tracer) {
        for (int i = 0; i < ephemeronSlots.size(); i += 2) {
            long a = Value.addressOf(ephemeronSlots.get(i));
            int field = (int) ephemeronSlots.get(i + 1);
            long[] chunk = arena.storage(Arena.indexOf(a));
            int o = Arena.offsetOf(a);
            setHalf(chunk, o, 0);
            long v = chunk[o + field];
            long survivor = tracer.survivor(v);
            if (survivor == v) {
                continue; // old, immediate or none (the slot was overwritten since it was remembered)
            }
            chunk[o + field] = survivor;
            if (survivor == Value.NONE && field != EphemeronLayout.DATA_FIELD) {
                chunk[o + EphemeronLayout.DATA_FIELD] = Value.NONE;
            }
        }
        // Every key the minor collection waited on is young; the unreached ones die with the
        // nursery, so their headers need not be restored.
        reset();
    }

    // ---------------------------------------------------------------- major cycle: clearing

    /**
     * Clears, in the unresolved ephemerons, the keys whose values were not reached and the data
     * with them, and resets their link halves: about {@code budget} units of work, one per word
     * of each ephemeron. Returns true when every unresolved ephemeron has been cleared (and then
     * forgets the cycle's lists).
     */
    private boolean clearUnresolved(Tracer tracer, Budget budget) {
        while (cleanCursor < unresolved.size()) {
            if (budget.isExhausted()) {
                return false;
            }
            long a = Value.addressOf(unresolved.get(cleanCursor++));
            long[] chunk = arena.storage(Arena.indexOf(a));
            int o = Arena.offsetOf(a);
            int size = Header.sizeWords(chunk[o + Header.OFFSET]);
            clean(chunk, o, size, tracer);
            setHalf(chunk, o, 0);
            budget.spend(Header.blockWords(size));
        }
        reset();
        return true;
    }

    /**
     * Empties the keys of one ephemeron whose values were not reached, and the data if any was
     * (or if the data itself was not reached). Idempotent: the accessors call it during the
     * clean phase before they read an ephemeron, and the clean phase's own walk may pass later.
     */
    static void clean(long[] chunk, int o, int size, Tracer tracer) {
        boolean keyDied = false;
        for (int i = o + EphemeronLayout.FIRST_KEY_FIELD, end = o + size; i < end; i++) {
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
    }

    /** Visits the ephemerons still queued or waiting (the verifier's view of the grey set). */
    void forEachPending(SlotVisitor v) {
        for (int i = checked; i < queue.size(); i++) {
            v.visit(queue.get(i));
        }
        for (int r = 0; r < recordCount; r++) {
            long e = recordEphemeron[r];
            long link = arena.read(Value.addressOf(e) + EphemeronLayout.LINK_FIELD);
            if (half(link) == recordHalf(r) && recordPending[r] > 0) {
                v.visit(e);
            }
        }
    }

    /** Ends the marking part of a major cycle: no key can be reached any more. */
    void endMarking() {
        waiters.clear();
        queue.empty();
        checked = 0;
        recordCount = 0;
    }

    private void reset() {
        queue.empty(); // emptied by every minor collection too: trimmed once a cycle, by trim()
        unresolved.empty();
        checked = 0;
        cleanCursor = 0;
        parked = 0;
        recordCount = 0;
        waiters.clear();
    }

    /**
     * A major cycle starts (the lists are empty): gives back the lists' storage if the last
     * cycle, with the minor collections since, used less than an eighth of it. Once a cycle and
     * not at every emptying, so a large population of ephemerons does not regrow the lists from
     * scratch in every cycle.
     */
    void trim() {
        queue.trim();
        unresolved.trim();
        waiters.trim();
    }

    /** Forgets everything (the heap is being closed, or a cycle abandoned). */
    void abandon() {
        reset();
    }
}
