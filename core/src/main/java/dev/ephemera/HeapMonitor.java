package dev.ephemera;

import dev.ephemera.gc.GcEvent;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A heap's {@link HeapMXBean}: the snapshot its owner thread publishes after every collection,
 * and the collection requests JMX clients queue for the owner's next safe point.
 *
 * <p>It holds no reference to its heap, so a registered MBean never keeps a heap's memory
 * alive: a heap dropped without {@link Heap#close()} is unregistered by a {@link Cleaner} once
 * the JVM has collected it.
 */
final class HeapMonitor implements HeapMXBean {
    /** The JMX domain and type of every heap's MBean. */
    static final String OBJECT_NAME_PREFIX = "dev.ephemera:type=Heap,name=";

    static final int MINOR = 1;
    static final int FULL_MAJOR = 2;
    static final int COMPACT = 4;

    private static final AtomicLong HEAPS = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();

    /** What JMX clients read: immutable, replaced by the owner thread after each collection. */
    private record Snapshot(long minor, long major, long totalPauseNanos, long maxPauseNanos, long heapWords,
                            long liveWords, long freeWords, long topHeapWords, String last) {}

    private final String name;
    private final ObjectName objectName;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Snapshot snapshot;
    private Cleaner.Cleanable cleanable;
    // Owner thread only.
    private long minor;
    private long major;
    private long totalPauseNanos;
    private long maxPauseNanos;

    private HeapMonitor(String name, ObjectName objectName) {
        this.name = name;
        this.objectName = objectName;
    }

    /** The next default heap name, {@code heap-N}. */
    static String defaultName() {
        return "heap-" + HEAPS.incrementAndGet();
    }

    /**
     * A monitor registered under {@code name}, or under {@code name-N} when that is taken; null
     * when this JVM has no platform MBean server (a runtime without {@code java.management}).
     */
    static HeapMonitor register(Heap heap, String name) {
        MBeanServer server;
        try {
            server = ManagementFactory.getPlatformMBeanServer();
        } catch (LinkageError | SecurityException noJmx) {
            return null;
        }
        String candidate = name;
        for (int attempt = 0; ; attempt++) {
            try {
                ObjectName on = objectName(candidate);
                HeapMonitor m = new HeapMonitor(candidate, on);
                server.registerMBean(m, on);
                m.cleanable = CLEANER.register(heap, new Unregister(on));
                return m;
            } catch (InstanceAlreadyExistsException taken) {
                if (attempt >= 1000) {
                    throw new IllegalStateException("Heap: no free MBean name for " + name, taken);
                }
                candidate = name + "-" + HEAPS.incrementAndGet();
            } catch (JMException e) {
                throw new IllegalStateException("Heap: cannot register the MBean " + OBJECT_NAME_PREFIX + candidate, e);
            }
        }
    }

    /** {@code dev.ephemera:type=Heap,name=NAME}, with NAME quoted when it must be. */
    static ObjectName objectName(String name) throws JMException {
        try {
            ObjectName plain = new ObjectName(OBJECT_NAME_PREFIX + name);
            if (!plain.isPattern() && plain.getKeyPropertyList().size() == 2 && name.equals(plain.getKeyProperty("name"))) {
                return plain;
            }
        } catch (JMException needsQuotes) {
            // quoted below
        }
        return new ObjectName(OBJECT_NAME_PREFIX + ObjectName.quote(name));
    }

    /** Unregisters the MBean (the heap is closing); idempotent. */
    void close() {
        if (cleanable != null) {
            cleanable.clean();
        }
        requests.set(0);
    }

    /** Unregisters an MBean; holds only its name, never the heap. */
    private static final class Unregister implements Runnable {
        private final ObjectName on;

        Unregister(ObjectName on) {
            this.on = on;
        }

        @Override
        public void run() {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(on);
            } catch (InstanceNotFoundException gone) {
                // someone else unregistered it
            } catch (JMException e) {
                throw new IllegalStateException("Heap: cannot unregister the MBean " + on, e);
            }
        }
    }

    // ================================================================== owner thread

    /** Publishes the heap's state after a collection (owner thread). */
    void collected(GcEvent event, long heapWords, long liveWords, long freeWords, long topHeapWords) {
        if (event.kind == GcEvent.Kind.MINOR) {
            minor++;
        } else if (event.kind == GcEvent.Kind.MAJOR) {
            major++;
        }
        totalPauseNanos += event.pauseNanos;
        maxPauseNanos = Math.max(maxPauseNanos, event.pauseNanos);
        snapshot = new Snapshot(minor, major, totalPauseNanos, maxPauseNanos, heapWords, liveWords, freeWords,
                topHeapWords, event.logLine());
    }

    /** Publishes the heap's state before its first collection (owner thread). */
    void created(long heapWords, long liveWords, long freeWords, long topHeapWords) {
        snapshot = new Snapshot(0, 0, 0, 0, heapWords, liveWords, freeWords, topHeapWords, "");
    }

    /** Takes the queued requests ({@link #MINOR}, {@link #FULL_MAJOR}, {@link #COMPACT} bits), leaving none. */
    int takeRequests() {
        return requests.get() == 0 ? 0 : requests.getAndSet(0);
    }

    // ================================================================== any thread (JMX)

    @Override
    public String getName() {
        return name;
    }

    @Override
    public long getMinorCollections() {
        return snapshot.minor;
    }

    @Override
    public long getMajorCollections() {
        return snapshot.major;
    }

    @Override
    public long getCollections() {
        Snapshot s = snapshot;
        return s.minor + s.major;
    }

    @Override
    public double getTotalPauseMillis() {
        return snapshot.totalPauseNanos / 1e6;
    }

    @Override
    public double getMaxPauseMillis() {
        return snapshot.maxPauseNanos / 1e6;
    }

    @Override
    public long getHeapWords() {
        return snapshot.heapWords;
    }

    @Override
    public long getLiveWords() {
        return snapshot.liveWords;
    }

    @Override
    public long getFreeWords() {
        return snapshot.freeWords;
    }

    @Override
    public long getTopHeapWords() {
        return snapshot.topHeapWords;
    }

    @Override
    public String getLastCollection() {
        return snapshot.last;
    }

    @Override
    public String getPendingRequest() {
        return describe(requests.get());
    }

    @Override
    public String minor() {
        return request(MINOR);
    }

    @Override
    public String fullMajor() {
        return request(FULL_MAJOR);
    }

    @Override
    public String compact() {
        return request(COMPACT);
    }

    private String request(int bit) {
        int now = requests.updateAndGet(r -> r | bit);
        return String.format(Locale.ROOT, "queued: %s runs at the owner thread's next safe point "
                + "(Heap.poll() or an explicit collection)", describe(now));
    }

    /** The strongest request among the bits: what a safe point will run. */
    static String describe(int bits) {
        if ((bits & COMPACT) != 0) {
            return "compact";
        }
        if ((bits & FULL_MAJOR) != 0) {
            return "fullMajor";
        }
        return (bits & MINOR) != 0 ? "minor" : "none";
    }
}
