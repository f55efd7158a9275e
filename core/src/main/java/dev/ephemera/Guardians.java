package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.gc.FinalisationQueue;
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
 */
public final class Guardians {
    private final Heap heap;
    private long delivered;
    private boolean delivering;

    Guardians(Heap heap) {
        this.heap = heap;
    }

    /** {@return a new guardian with an empty queue ({@code make-guardian})} */
    public long make() {
        heap.enter("Guardians.make");
        return heap.alloc(GuardianLayout.TAG, GuardianLayout.MARK, Value.NONE, Value.NONE);
    }

    /**
     * {@return true if {@code v} is a guardian}
     *
     * @param v any value
     */
    public boolean isGuardian(long v) {
        heap.enter("Guardians.isGuardian");
        if (!Value.isBlock(v)) {
            return false;
        }
        long a = heap.block("Guardians.isGuardian", v);
        long h = heap.arena.read(a - 1);
        return Header.tag(h) == GuardianLayout.TAG && Header.sizeWords(h) == GuardianLayout.SIZE_WORDS
                && heap.arena.read(a + GuardianLayout.MARK_FIELD) == GuardianLayout.MARK;
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
        heap.block(op, object);
        if (!heap.collector.isManagedBlock(object)) {
            throw new IllegalArgumentException(op + ": " + Value.describe(object) + " is not a block of this heap");
        }
        heap.collector.registerFinaliser(Collector.FINALISE_GUARDIAN, object, guardian, null);
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
        int mark = heap.roots.handleTop();
        heap.roots.pushHandle(guardian);
        try {
            deliver();
            guardian = heap.roots.handle(mark);
        } finally {
            heap.roots.popHandlesTo(mark);
        }
        long a = Value.addressOf(guardian);
        long head = heap.arena.read(a + GuardianLayout.HEAD_FIELD);
        if (head == Value.NONE) {
            return Value.NONE;
        }
        long next = heap.field(head, 1);
        heap.barrier.storeField(guardian, GuardianLayout.HEAD_FIELD, next);
        if (next == Value.NONE) {
            heap.barrier.storeField(guardian, GuardianLayout.TAIL_FIELD, Value.NONE);
        }
        return heap.field(head, 0);
    }

    /**
     * Moves the objects collections handed back into their guardians' queues. Each hand-back
     * stays on the collector's queue (rooted there) until its queue cell is allocated, so an
     * allocation that fails or runs a finaliser that throws loses nothing. Not re-entrant: a
     * finaliser run by that allocation that polls a guardian finds the rest still queued.
     */
    /** Values handed to guardians so far (each delivery allocates and stores in the heap). */
    long delivered() {
        return delivered;
    }

    void deliver() {
        if (delivering) {
            return;
        }
        FinalisationQueue queue = heap.collector.queue(Collector.QUEUE_GUARDIANS);
        delivering = true;
        try {
            while (queue.size() > 0) {
                long cell = heap.alloc(0, Value.NONE, Value.NONE);
                FinalisationQueue.Entry e = queue.poll(); // read after the allocation: current addresses
                delivered++;
                heap.barrier.storeField(cell, 0, e.value);
                long tail = heap.arena.read(Value.addressOf(e.function) + GuardianLayout.TAIL_FIELD);
                if (tail == Value.NONE) {
                    heap.barrier.storeField(e.function, GuardianLayout.HEAD_FIELD, cell);
                } else {
                    heap.barrier.storeField(tail, 1, cell);
                }
                heap.barrier.storeField(e.function, GuardianLayout.TAIL_FIELD, cell);
            }
        } finally {
            delivering = false;
        }
    }

    private void checkGuardian(String op, long g) {
        heap.enter(op);
        if (!Value.isBlock(g)) {
            throw new NotABlockException(op + ": expected a guardian, got " + Value.describe(g));
        }
        heap.block(op, g); // stale pointers are reported under op's name
        if (!isGuardian(g)) {
            throw new WrongTagException(op + ": expected a guardian, got " + heap.describeBlock(g));
        }
    }
}
