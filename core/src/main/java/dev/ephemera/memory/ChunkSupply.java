package dev.ephemera.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Standard-size chunks, zeroed ahead of need on a background thread, so that the thread that
 * owns a heap seldom stalls while the JVM zeroes (and the kernel maps) the memory of a chunk it
 * grows by.
 *
 * <p>Why: a {@code new long[n]} costs the allocating thread time proportional to {@code n} —
 * the JVM zeroes the array and the first touch of each page faults it in. On an ordinary machine
 * that is a millisecond per few megabytes; in a virtual machine whose host backs guest memory
 * only when it is first touched (measured in a Firecracker guest) it is about 3 ms per MiB,
 * however long the JVM has run. A chunk taken here was allocated by the supply's own daemon
 * thread; the owner allocates one itself ({@link #take}) only when none is ready — when the heap
 * grows faster than memory can be faulted in, which then costs the owner one chunk's stall.
 *
 * <p>The size, {@link #STANDARD_WORDS}, is chosen once for the JVM's collector, so that the
 * collector never copies a chunk and a chunk costs as short a stall as it can:
 * <ul>
 * <li><b>Parallel and Serial</b>: 2 MiB less the array header. They allocate an array larger
 *     than half of eden directly in the old generation, and the launcher's {@code -Xmn4m} keeps
 *     eden under 4 MiB. The stall: a chunk the owner must allocate itself, or a JVM safepoint
 *     that waits for the background thread to finish zeroing one (zeroing an array does not
 *     stop for a safepoint), costs the time to fault one chunk in — 6 ms at 3 ms per MiB, where
 *     a 16-MiB chunk cost 50 ms.</li>
 * <li><b>G1 and the others</b>: 16 MiB less the array header. G1 allocates an array of half a
 *     region or more as a humongous object, never copied, and one of this size fills exactly
 *     eight 2-MiB regions (or four of 4 MiB, ...) with nothing wasted, for any region size G1
 *     chooses; a 2-MiB chunk would be an ordinary young object, copied, in a JVM heap over
 *     4 GiB.</li>
 * </ul>
 *
 * <p>How many chunks are kept ready is the owner's to set ({@link #keepReady}): a heap that
 * grows in bursts needs more than one in hand, and a large heap can afford them.
 *
 * <p>Thread-safety: {@link #take}, {@link #keepReady}, {@link #drop} and {@link #close} are
 * called by the owner thread; the background thread only puts arrays into a concurrent queue,
 * which publishes them safely, and reads the volatile target.
 */
public final class ChunkSupply {
    /**
     * Words of a standard chunk, less a 16-byte array header: 2 MiB under the Parallel and
     * Serial collectors, 16 MiB under the others (see the class comment).
     */
    public static final int STANDARD_WORDS = standardWords();
    /** The most chunks kept ready. */
    public static final int MAX_READY = 8;
    /**
     * The longest the owner waits for the chunk being prepared before it allocates one itself:
     * far above what faulting a chunk in costs (6 ms at 3 ms per MiB), so it bounds a stall
     * only if the background thread is held up.
     */
    static final long MAX_WAIT_MILLIS = 50;

    /** One daemon thread for every heap of the JVM: faulting memory in is not worth more threads. */
    private static final ExecutorService FILLER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ephemera-chunk-supply");
        t.setDaemon(true);
        return t;
    });

    private static int standardWords() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            // Parallel: "PS Scavenge"/"PS MarkSweep"; Serial: "Copy"/"MarkSweepCompact"
            if (name.startsWith("PS ") || name.equals("Copy") || name.equals("MarkSweepCompact")) {
                return (1 << 18) - 2;
            }
        }
        return (1 << 21) - 2;
    }

    private final ArrayBlockingQueue<long[]> ready = new ArrayBlockingQueue<>(MAX_READY);
    private final AtomicBoolean filling = new AtomicBoolean();
    /** Chunks to keep ready, 0 to {@link #MAX_READY}. */
    private volatile int target = 1;
    private volatile boolean closed;
    private final long maxWaitMillis;
    private long takenReady;
    private long takenFresh;

    /** A supply whose owner waits at most {@link #MAX_WAIT_MILLIS} for a chunk being prepared. */
    public ChunkSupply() {
        this(MAX_WAIT_MILLIS);
    }

    /** A supply whose owner waits at most {@code maxWaitMillis} (tests: a loaded machine is slow). */
    ChunkSupply(long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * A zeroed chunk of {@link #STANDARD_WORDS} words: one prepared in the background if there
     * is one, else allocated now; the supply then goes on preparing chunks up to its target. May
     * throw the JVM's {@link OutOfMemoryError}, as {@code new} does.
     */
    public long[] take() {
        long[] c = ready.poll();
        if (c == null && filling.get() && target > 0) { // (dropped: nothing more is coming)
            c = awaitFilling();
        }
        if (c != null) {
            takenReady++;
        } else {
            c = new long[STANDARD_WORDS];
            takenFresh++;
        }
        refill();
        return c;
    }

    /**
     * The chunk the background thread is preparing, waited for (at most {@link #MAX_WAIT_MILLIS}
     * unless the supply was made with another bound):
     * it is partly faulted in already, so waiting costs the owner less than a chunk of its own
     * — and two threads faulting memory in at once each go slower (measured: 8.5 ms a chunk
     * each where one alone took 6). Null if none came, or the owner was interrupted (the
     * interrupt is kept for the owner's code).
     */
    private long[] awaitFilling() {
        try {
            return ready.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Keeps {@code chunks} chunks ready from now on (clamped to 0..{@link #MAX_READY}): more are
     * prepared now if fewer are; extra ones already prepared are kept until taken or dropped.
     */
    public void keepReady(int chunks) {
        target = Math.max(0, Math.min(MAX_READY, chunks));
        refill();
    }

    /**
     * Drops the chunks prepared and prepares none until {@link #keepReady} is called again: the
     * JVM is short of memory, and the chunks held here are memory it needs.
     */
    public void drop() {
        target = 0;
        ready.clear();
    }

    private void refill() {
        if (closed || ready.size() >= target || !filling.compareAndSet(false, true)) {
            return;
        }
        FILLER.execute(() -> {
            try {
                while (!closed && ready.size() < target) {
                    ready.offer(new long[STANDARD_WORDS]);
                }
            } catch (OutOfMemoryError e) {
                // The owner allocates for itself and reports exhaustion; nothing to do here.
            } finally {
                filling.set(false);
            }
            if (closed) {
                ready.clear();
            }
        });
    }

    // The three counts below are for tests, which watch the background thread work through them.

    /** Chunks prepared and waiting to be taken. */
    int readyCount() {
        return ready.size();
    }

    /** Chunks taken ready-made. */
    long takenReady() {
        return takenReady;
    }

    /** Chunks the owner had to allocate itself, none being ready. */
    long takenFresh() {
        return takenFresh;
    }

    /** Drops the chunks prepared and prepares no more. */
    public void close() {
        closed = true;
        ready.clear();
    }
}
