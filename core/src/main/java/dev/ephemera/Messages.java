package dev.ephemera;

import dev.ephemera.event.GcEvent;
import dev.ephemera.gc.CollectionReport;
import dev.ephemera.gc.Collector;
import dev.ephemera.gc.FinalisationQueue;
import dev.ephemera.object.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MPS-style finalization and the message queue ({@code mps_finalize}, {@code mps_definalize},
 * {@code mps_message_*}).
 *
 * <ul>
 * <li>{@link #finalize(long)} registers a block; registering n times gives n messages. When a
 *     collection finds the block unreachable, one registration becomes a
 *     {@link Message.Finalization} posted on the queue; the block is preserved with
 *     everything it reaches, weak references to it are not splatted, and the message keeps it
 *     alive until discarded.</li>
 * <li>{@link #definalize(long)} removes one registration not yet posted (a lookup by
 *     identity hash, then a binary search of the registrations; MPS's is a linear scan).</li>
 * <li>{@link Message.GcStart} is posted when a collection starts and {@link Message.Gc} when it
 *     ends, in that order around the collection's finalization messages.</li>
 * <li>A message of a type that is not {@linkplain #enable enabled} is discarded when posted;
 *     disabling a type flushes its queued messages. None is enabled at first.</li>
 * </ul>
 */
public final class Messages {
    private final Heap heap;
    private final Collector collector;
    private final EntryChecks checks;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final Set<Message.Type> enabled = EnumSet.noneOf(Message.Type.class);
    /** Identity hash of a registered block → sequence numbers of its pending registrations. */
    private final Map<Integer, List<Long>> registrations = new HashMap<>();

    /** The action stored with an MPS registration: how to find it in {@link #registrations}. */
    private static final class Registration {
        final int hash;
        long sequence;

        Registration(int hash) {
            this.hash = hash;
        }
    }

    Messages(Heap heap, Collector collector, EntryChecks checks) {
        this.heap = heap;
        this.collector = collector;
        this.checks = checks;
    }

    /*
     * Told about collections by the heap's CollectionReporter directly, before any GcListener
     * (as MPS posts its messages within the collection): not a listener, so that a heap whose
     * messages nobody uses builds no event per collection.
     */

    /** A collection of {@code kind} starts: a GC-start message, if that type is enabled. */
    void collectionStarting(GcEvent.Kind kind, String reason) {
        // A message is built only if its type is enabled: a collection should not allocate for
        // nobody.
        if (kind != GcEvent.Kind.COMPACTION && enabled.contains(Message.Type.GC_START)) {
            queue.addLast(new Message.GcStart(System.nanoTime(), reason));
        }
    }

    /** A collection ended: its finalization messages, then a GC message if that type is enabled. */
    void collectionEnded(CollectionReport report) {
        if (report.kind() == GcEvent.Kind.COMPACTION) {
            return; // not a collection: MPS posts its messages per trace
        }
        postFinalizations();
        if (enabled.contains(Message.Type.GC)) {
            queue.addLast(new Message.Gc(System.nanoTime(), report.survivedWords() * Long.BYTES,
                    report.condemnedWords() * Long.BYTES, report.notCondemnedWords() * Long.BYTES));
        }
    }

    /**
     * {@code mps_finalize}: registers {@code ref} for finalization.
     *
     * @param ref the block to finalize once it is unreachable
     */
    public void finalize(long ref) {
        String op = "Messages.finalize";
        checks.enter(op);
        if (!Value.isBlock(ref)) {
            throw new NotABlockException(op + ": expected a heap block, got " + Value.describe(ref));
        }
        checks.block(op, ref);
        if (!collector.isManagedBlock(ref)) {
            throw new IllegalArgumentException(op + ": " + Value.describe(ref) + " is not a block of this heap");
        }
        int hash = heap.identityHash(ref);
        Registration r = new Registration(hash);
        r.sequence = collector.registerFinaliser(Collector.FINALISE_MPS, ref, Value.NONE, r);
        registrations.computeIfAbsent(hash, h -> new ArrayList<>(1)).add(r.sequence);
    }

    /**
     * {@code mps_definalize}: removes one registration of {@code ref} that has not yet been
     * posted; returns false ({@code MPS_RES_FAIL}) if there is none.
     *
     * @param ref a block registered with {@link #finalize}
     * @return true if a registration was removed
     */
    public boolean definalize(long ref) {
        String op = "Messages.definalize";
        checks.enter(op);
        if (!Value.isBlock(ref)) {
            throw new NotABlockException(op + ": expected a heap block, got " + Value.describe(ref));
        }
        checks.block(op, ref);
        List<Long> seqs = registrations.get(heap.identityHash(ref));
        if (seqs == null) {
            return false;
        }
        for (Iterator<Long> it = seqs.iterator(); it.hasNext(); ) {
            long seq = it.next();
            if (collector.finaliserValue(Collector.FINALISE_MPS, seq) == ref
                    && collector.cancelFinaliser(Collector.FINALISE_MPS, seq)) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    /**
     * {@code mps_message_type_enable}.
     *
     * @param type the type of messages to post from now on
     */
    public void enable(Message.Type type) {
        checkType("Messages.enable", type);
        enabled.add(type);
    }

    /**
     * {@code mps_message_type_disable}: also discards queued messages of that type.
     *
     * @param type the type of messages to stop posting
     */
    public void disable(Message.Type type) {
        checkType("Messages.disable", type);
        enabled.remove(type);
        for (Iterator<Message> it = queue.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.type() == type) {
                it.remove();
                release(m);
            }
        }
    }

    /**
     * {@code mps_message_type_enabled}: whether messages of {@code type} are posted.
     *
     * @param type a message type
     * @return true if messages of {@code type} are posted
     */
    public boolean isEnabled(Message.Type type) {
        checkType("Messages.isEnabled", type);
        return enabled.contains(type);
    }

    /** Messages of {@code type} queued (for the collector's own tests). */
    int queued(Message.Type type) {
        int n = 0;
        for (Message m : queue) {
            if (m.type() == type) {
                n++;
            }
        }
        return n;
    }

    /** {@return {@code mps_message_poll}: true if any message is queued} */
    public boolean poll() {
        checks.enter("Messages.poll");
        return !queue.isEmpty();
    }

    /** {@return {@code mps_message_queue_type}: the type of the message at the head, or null} */
    public Message.Type queueType() {
        checks.enter("Messages.queueType");
        Message m = queue.peekFirst();
        return m == null ? null : m.type();
    }

    /**
     * {@code mps_message_get}: removes and returns the first message of {@code type}, or null.
     *
     * @param type the type of message wanted
     * @return the message, or null if none of {@code type} is queued
     */
    public Message get(Message.Type type) {
        checkType("Messages.get", type);
        for (Iterator<Message> it = queue.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.type() == type) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    /**
     * {@code mps_message_discard}: a finalization message stops keeping its block alive.
     *
     * @param m a message taken from the queue by {@link #get}
     */
    public void discard(Message m) {
        checks.enter("Messages.discard");
        if (m == null) {
            throw new IllegalArgumentException("Messages.discard: the message is null");
        }
        queue.remove(m);
        release(m);
    }

    /** {@return {@code mps_collections}: collections so far (minor and major)} */
    public long collections() {
        checks.enter("Messages.collections");
        return collector.minorCollections() + collector.majorCollections();
    }

    private void checkType(String op, Message.Type type) {
        checks.enter(op);
        if (type == null) {
            throw new IllegalArgumentException(op + ": the message type is null");
        }
    }

    private void release(Message m) {
        if (m instanceof Message.Finalization) {
            ((Message.Finalization) m).discard();
        }
    }

    private void postFinalizations() {
        FinalisationQueue q = collector.queue(Collector.QUEUE_MESSAGES);
        while (q.size() > 0) {
            FinalisationQueue.Entry e = q.poll();
            Registration r = (Registration) e.action;
            List<Long> seqs = registrations.get(r.hash);
            if (seqs != null) {
                seqs.remove(Long.valueOf(r.sequence));
                if (seqs.isEmpty()) {
                    registrations.remove(r.hash);
                }
            }
            if (enabled.contains(Message.Type.FINALIZATION)) {
                queue.addLast(new Message.Finalization(heap.newGlobalRoot(e.value), r.sequence));
            }
        }
    }
}
