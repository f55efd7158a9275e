package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.gc.FinalisationQueue;
import dev.ephemera.gc.WriteBarrier;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.GuardianLayout;
import dev.ephemera.object.layout.Header;

/**
 * Guardians (Dybvig; Chez Scheme's and Guile's {@code make-guardian}). A guardian is a heap
 * value; objects are registered with it, and after an object becomes unreachable the guardian
 * hands it back — once per registration — instead of letting it be freed.
 *
 * <p>Semantics: a registered object that a major collection finds unreachable, while its
 * guardian is reachable, is resurrected (with everything it reaches, before weak references are
 * cleared, like a finalise-first value) and appended to the guardian's queue; {@link #poll}
 * takes objects off the queue. If the guardian itself is unreachable, its registrations are
 * dropped and its objects are not preserved. Objects registered while young are promoted by the
 * minor collection, so guardians fire at major collections.
 *
 * <p>A guardian is an ordinary block whose fields hold its queue: a program that overwrites them
 * through {@link Heap#setField} loses what the queue held (and a guardian whose mark it
 * overwrote is no longer one: what is handed back to it is dropped), but the heap stays
 * consistent. A queue pair is an ordinary two-field block of tag 0: one of the program's own
 * stored there instead passes for one, and may have its second field overwritten by the next
 * hand-back.
 */
public final class Guardians {
    private final Heap heap;
    private final Collector collector;
    private final Arena arena;
    private final WriteBarrier barrier;
    /** The heap's root stack, where a guardian waits out the allocations of its hand-backs. */
    private final RootStack roots;
    private final EntryChecks checks;
    /** Values handed to guardians so far. */
    private long delivered;
    /** {@link #deliver} is running (it allocates, which may run a finaliser that polls a guardian). */
    private boolean delivering;

    Guardians(Heap heap, Collector collector, RootStack roots, EntryChecks checks) {
        this.heap = heap;
        this.collector = collector;
        this.arena = collector.arena();
        this.barrier = collector.barrier();
        this.roots = roots;
        this.checks = checks;
    }

    /** {@return a new guardian with an empty queue ({@code make-guardian})} */
    public long make() {
        checks.enter("Guardians.make");
        return heap.alloc(GuardianLayout.TAG, GuardianLayout.MARK, Value.NONE, Value.NONE);
    }

    /**
     * {@return true if {@code v} is a guardian}
     *
     * @param v any value
     */
    public boolean isGuardian(long v) {
        checks.enter("Guardians.isGuardian");
        if (!Value.isBlock(v)) {
            return false;
        }
        long a = checks.block("Guardians.isGuardian", v);
        long h = checks.header(a);
        return GuardianLayout.isGuardian(arena, a, h);
    }

    /**
     * Registers {@code object} with {@code guardian} ({@code (g obj)}).
     *
     * @param guardian a guardian made by {@link #make()}
     * @param object the block to hand back to {@code guardian} once it is unreachable
     */
    public void register(long guardian, long object) {
        String op = "Guardians.register";
        checkGuardian(op, guardian);
        if (!Value.isBlock(object)) {
            throw new NotABlockException(op + ": only heap blocks can be guarded, got " + Value.describe(object));
        }
        checks.block(op, object);
        if (!collector.isManagedBlock(object)) {
            throw new IllegalArgumentException(op + ": " + Value.describe(object) + " is not a block of this heap");
        }
        collector.registerFinaliser(Collector.FINALISE_GUARDIAN, object, guardian, null);
    }

    /**
     * {@return the next object {@code guardian} hands back, or {@link Value#NONE} if there is none
     * yet ({@code (g)})} The result is a raw pointer, valid until the next allocation.
     *
     * @param guardian a guardian made by {@link #make()}
     */
    public long poll(long guardian) {
        String op = "Guardians.poll";
        checkGuardian(op, guardian);
        int mark = roots.top;
        roots.pushUnchecked(guardian);
        try {
            deliver();
            guardian = roots.getUnchecked(mark);
        } finally {
            roots.popToUnchecked(mark);
        }
        long a = Value.addressOf(guardian);
        long head = arena.read(a + GuardianLayout.HEAD_FIELD);
        if (!isQueuePair(head)) {
            if (head != Value.NONE || arena.read(a + GuardianLayout.TAIL_FIELD) != Value.NONE) {
                // overwritten through Heap.setField: the queue is lost
                barrier.storeField(guardian, GuardianLayout.HEAD_FIELD, Value.NONE);
                barrier.storeField(guardian, GuardianLayout.TAIL_FIELD, Value.NONE);
            }
            return Value.NONE;
        }
        long next = heap.field(head, GuardianLayout.PAIR_NEXT_FIELD);
        if (!isQueuePair(next)) {
            next = Value.NONE;
        }
        barrier.storeField(guardian, GuardianLayout.HEAD_FIELD, next);
        if (next == Value.NONE) {
            barrier.storeField(guardian, GuardianLayout.TAIL_FIELD, Value.NONE);
        }
        return heap.field(head, GuardianLayout.PAIR_OBJECT_FIELD);
    }

    /** Values handed to guardians so far (each delivery allocates and stores in the heap). */
    long delivered() {
        return delivered;
    }

    /**
     * Moves the objects collections handed back into their guardians' queues. Each hand-back
     * stays on the collector's queue (rooted there) until its queue pair is allocated, so an
     * allocation that fails or runs a finaliser that throws loses nothing. Not re-entrant: a
     * finaliser run by that allocation that polls a guardian finds the rest still queued.
     */
    void deliver() {
        if (delivering) {
            return;
        }
        FinalisationQueue queue = collector.queue(Collector.QUEUE_GUARDIANS);
        delivering = true;
        try {
            while (queue.size() > 0) {
                long pair = heap.alloc(GuardianLayout.PAIR_TAG, Value.NONE, Value.NONE);
                FinalisationQueue.Entry e = queue.poll(); // read after the allocation: current addresses
                delivered++;
                long g = Value.addressOf(e.function);
                if (arena.read(g + GuardianLayout.MARK_FIELD) != GuardianLayout.MARK) {
                    continue; // no longer a guardian (its mark overwritten): the hand-back is dropped
                }
                barrier.storeField(pair, GuardianLayout.PAIR_OBJECT_FIELD, e.value);
                long tail = arena.read(g + GuardianLayout.TAIL_FIELD);
                if (!queueIntact(arena.read(g + GuardianLayout.HEAD_FIELD), tail)) {
                    // empty, or overwritten through Heap.setField: start afresh
                    barrier.storeField(e.function, GuardianLayout.HEAD_FIELD, pair);
                } else {
                    barrier.storeField(tail, GuardianLayout.PAIR_NEXT_FIELD, pair);
                }
                barrier.storeField(e.function, GuardianLayout.TAIL_FIELD, pair);
            }
        } finally {
            delivering = false;
        }
    }

    /**
     * Whether {@code v}, read from a guardian's queue, is a queue pair. A guardian is an ordinary
     * block, so a program may have overwritten its fields through {@link Heap#setField}: what is
     * there is then an immediate or some other live block (the collector keeps its fields valid),
     * and the queue starts afresh rather than following it.
     */
    private boolean isQueuePair(long v) {
        if (!Value.isBlock(v)) {
            return false;
        }
        long h = arena.read(Header.addressOf(Value.addressOf(v)));
        return Header.tag(h) == GuardianLayout.PAIR_TAG && Header.sizeWords(h) == 2;
    }

    /**
     * Whether a guardian's queue, {@code head} to {@code tail}, can be appended to: both are
     * queue pairs and the tail is last. An empty queue, or one whose fields a program has
     * overwritten, is not: delivery starts it afresh.
     */
    private boolean queueIntact(long head, long tail) {
        return isQueuePair(head) && isQueuePair(tail)
                && arena.read(Value.addressOf(tail) + GuardianLayout.PAIR_NEXT_FIELD) == Value.NONE;
    }

    private void checkGuardian(String op, long g) {
        checks.enter(op);
        if (!Value.isBlock(g)) {
            throw new NotABlockException(op + ": expected a guardian, got " + Value.describe(g));
        }
        checks.block(op, g); // stale pointers are reported under op's name
        if (!isGuardian(g)) {
            throw new WrongTagException(op + ": expected a guardian, got " + checks.describeBlock(g));
        }
    }
}
