package dev.ephemera.memory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Standard-size chunks, zeroed ahead of need on a background thread, so that the thread that
 * owns a heap never stalls while the JVM zeroes (and the kernel maps) the memory of a chunk it
 * grows by.
 *
 * <p>Why: a {@code new long[n]} costs the allocating thread time proportional to {@code n} —
 * the JVM zeroes the array and the first touch of each page faults it in — about a
 * millisecond per few megabytes, which would be a pause of the heap's owner every time the
 * major heap grows. A chunk taken here was allocated by the supply's own daemon thread, which
 * then prepares the next one; the owner only waits if it grows faster than that thread can
 * zero, or takes the first chunk of a heap.
 *
 * <p>The size, {@link #STANDARD_WORDS}, is 16 MiB less the JVM's array header: under G1 an
 * array of at least half a region is <em>humongous</em> — allocated straight into whole old
 * regions and never copied by a young collection — and one of this size fills exactly eight
 * 2-MiB regions (or four of 4 MiB, ...) with nothing wasted.
 *
 * <p>Thread-safety: {@link #take} and {@link #close} are called by the owner thread; the
 * background thread only puts arrays into a concurrent queue, which publishes them safely.
 */
public final class ChunkSupply {
    /** Words of a standard chunk: 16 MiB less a 16-byte array header. */
    public static final int STANDARD_WORDS = (1 << 21) - 2;
    /** Chunks kept ready. */
    private static final int READY = 1;

    /** One daemon thread for every heap of the JVM: zeroing is memory-bound, not worth more. */
    private static final ExecutorService FILLER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ephemera-chunk-supply");
        t.setDaemon(true);
        return t;
    });

    private final ArrayBlockingQueue<long[]> ready = new ArrayBlockingQueue<>(READY);
    private final AtomicBoolean filling = new AtomicBoolean();
    private volatile boolean closed;
    private long takenReady;
    private long takenFresh;

    /**
     * A zeroed chunk of {@link #STANDARD_WORDS} words: one prepared in the background if there
     * is one, else allocated now; the next one is then prepared. May throw the JVM's
     * {@link OutOfMemoryError}, as {@code new} does.
     */
    public long[] take() {
        long[] c = ready.poll();
        if (c != null) {
            takenReady++;
        } else {
            c = new long[STANDARD_WORDS];
            takenFresh++;
        }
        refill();
        return c;
    }

    private void refill() {
        if (closed || ready.remainingCapacity() == 0 || !filling.compareAndSet(false, true)) {
            return;
        }
        FILLER.execute(() -> {
            try {
                while (!closed && ready.remainingCapacity() > 0) {
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
