package dev.ephemera;

import dev.ephemera.event.GcEvent;
import dev.ephemera.gc.CollectionReport;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A heap's {@link HeapMXBean}: the figures its owner thread records after every collection,
 * and the collection requests JMX clients queue for the owner's next safe point.
 *
 * <p>Registration with the platform MBean server happens on a background thread
 * ({@value #THREAD}), so creating a heap never waits for JMX: the first registration in a JVM
 * starts the platform MBean server, which loads a few hundred classes. Registrations and
 * unregistrations run in the order they were asked for, on that one thread; it ends when it has
 * been idle for a few seconds. The heap's name is chosen at once: a name is unique among the
 * heaps of this JVM that have an MBean, until the heap is closed.
 *
 * <p>It holds no reference to its heap, so a registered MBean never keeps a heap's memory
 * alive: a heap dropped without {@link Heap#close()} is unregistered by a {@link Cleaner} once
 * the JVM has collected it.
 */
final class HeapMonitor implements HeapMXBean {
    /** The JMX domain and type of every heap's MBean. */
    static final String OBJECT_NAME_PREFIX = "dev.ephemera:type=Heap,name=";
    /** The name of the thread that registers and unregisters the MBeans. */
    static final String THREAD = "ephemera-jmx";

    static final int MINOR = 1;
    static final int FULL_MAJOR = 2;
    static final int COMPACT = 4;

    private static final AtomicLong HEAPS = new AtomicLong();
    /** The names of the heaps whose MBean is registered, or about to be. */
    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    private static final ThreadPoolExecutor JMX = jmxThread();
    private static final Cleaner CLEANER = Cleaner.create();


    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private Cleaner.Cleanable cleanable;
    /*
     * What JMX clients read: written by the owner thread after each collection, read by any
     * thread under a sequence lock. The writer makes `version` odd, writes, makes it even again;
     * a reader reads `version`, the figures, and `version` again, and retries unless both were
     * the same even number. The owner never waits for a reader (a reader descheduled while it
     * holds a lock could stop a collection for a scheduler slice) and, unlike an immutable
     * snapshot replaced each time, nothing is allocated per collection.
     */
    private volatile long version;
    private long minor;
    private long major;
    private long totalPauseNanos;
    private long maxPauseNanos;
    private long maxMinorPauseNanos;
    private long maxSlicePauseNanos;
    private long heapWords;
    private long liveWords;
    private long freeWords;
    private long topHeapWords;
    /** The last collection reported (its kind is null before the first); its log line is made when read. */
    private final CollectionReport last = new CollectionReport();

    private HeapMonitor(String name) {
        this.name = name;
    }

    private static ThreadPoolExecutor jmxThread() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** The next default heap name, {@code heap-N}. */
    static String defaultName() {
        return "heap-" + HEAPS.incrementAndGet();
    }

    /**
     * A monitor for {@code heap}, named {@code name} or, when another heap with an MBean has
     * that name, {@code name-N}; its MBean is registered in the background.
     */
    static HeapMonitor create(Heap heap, String name) {
        String unique = name;
        while (!NAMES.add(unique)) {
            unique = name + "-" + HEAPS.incrementAndGet();
        }
        HeapMonitor m = new HeapMonitor(unique);
        Registration r = new Registration(m, unique);
        m.cleanable = CLEANER.register(heap, r::unregister);
        JMX.execute(r::register);
        return m;
    }

    /** Unregisters the MBean (the heap is closing) and drops its requests; idempotent. */
    void close() {
        requests.set(0);
        cleanable.clean();
    }

    /**
     * Waits until every registration and unregistration asked for so far has been carried out
     * (for tests, which read the platform MBean server right after creating a heap).
     */
    static void awaitRegistrations() throws InterruptedException {
        try {
            JMX.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * One MBean's registration. It holds the monitor (the MBean itself), never the heap;
     * {@link #unregister} runs once, when the heap closes or is collected.
     */
    private static final class Registration {
        private final HeapMonitor monitor;
        private final String name;
        /** Set on the JMX thread once registered. */
        private ObjectName registered;

        Registration(HeapMonitor monitor, String name) {
            this.monitor = monitor;
            this.name = name;
        }

        /** On the JMX thread: registers the MBean, under {@code NAME-N} if another MBean holds the name. */
        void register() {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                String candidate = name;
                for (int attempt = 0; attempt < 100; attempt++) {
                    ObjectName on = objectName(candidate);
                    try {
                        server.registerMBean(monitor, on);
                        registered = on;
                        return;
                    } catch (InstanceAlreadyExistsException taken) {
                        candidate = name + "-" + HEAPS.incrementAndGet();
                    }
                }
            } catch (JMException | LinkageError | SecurityException noMBean) {
                // No JMX in this runtime, or refused: the heap works the same without its MBean.
            }
        }

        /** Any thread (owner's close, or the cleaner): frees the name and unregisters on the JMX thread. */
        void unregister() {
            JMX.execute(() -> {
                try {
                    if (registered != null) {
                        ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
                    }
                } catch (JMException | LinkageError | SecurityException gone) {
                    // already unregistered by someone else
                } finally {
                    NAMES.remove(name);
                }
            });
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

    // ================================================================== owner thread

    /** Records the heap's state after a collection (owner thread). */
    void collected(CollectionReport report, long heapWords, long liveWords, long freeWords,
                   long topHeapWords) {
        long v = beginWrite();
        GcEvent.Kind kind = report.kind();
        if (kind == GcEvent.Kind.MINOR) {
            minor++;
            maxMinorPauseNanos = Math.max(maxMinorPauseNanos, report.pauseNanos());
        } else if (kind == GcEvent.Kind.MAJOR) {
            major++;
        } else if (kind == GcEvent.Kind.MAJOR_SLICE) {
            maxSlicePauseNanos = Math.max(maxSlicePauseNanos, report.pauseNanos());
        }
        if (kind != GcEvent.Kind.MAJOR) {
            // a cycle's pause is the sum of its slices, each counted as it happened
            totalPauseNanos += report.pauseNanos();
            maxPauseNanos = Math.max(maxPauseNanos, report.pauseNanos());
        }
        this.heapWords = heapWords;
        this.liveWords = liveWords;
        this.freeWords = freeWords;
        this.topHeapWords = topHeapWords;
        last.copyFrom(report);
        version = v + 2;
    }

    /** Records the heap's state before its first collection (owner thread). */
    void created(long heapWords, long liveWords, long freeWords, long topHeapWords) {
        long v = beginWrite();
        this.heapWords = heapWords;
        this.liveWords = liveWords;
        this.freeWords = freeWords;
        this.topHeapWords = topHeapWords;
        version = v + 2;
    }

    /** The owner thread starts writing: {@code version} odd, and no write moves before it. */
    private long beginWrite() {
        long v = version;
        version = v + 1;
        VarHandle.storeStoreFence();
        return v;
    }

    /** {@code figure} as the owner thread last recorded it (a reader's side of the sequence lock). */
    private long read(LongSupplier figure) {
        while (true) {
            long v = version;
            long x = figure.getAsLong();
            if (unchanged(v)) {
                return x;
            }
        }
    }

    /** A reader's figures, read after {@code v = version}, are consistent (else it retries). */
    private boolean unchanged(long v) {
        VarHandle.acquireFence();
        return (v & 1) == 0 && version == v;
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
        return read(() -> minor);
    }

    @Override
    public long getMajorCollections() {
        return read(() -> major);
    }

    @Override
    public long getCollections() {
        return read(() -> minor + major);
    }

    @Override
    public double getTotalPauseMillis() {
        return read(() -> totalPauseNanos) / 1e6;
    }

    @Override
    public double getMaxPauseMillis() {
        return read(() -> maxPauseNanos) / 1e6;
    }

    @Override
    public double getMaxMinorPauseMillis() {
        return read(() -> maxMinorPauseNanos) / 1e6;
    }

    @Override
    public double getMaxSlicePauseMillis() {
        return read(() -> maxSlicePauseNanos) / 1e6;
    }

    @Override
    public long getHeapWords() {
        return read(() -> heapWords);
    }

    @Override
    public long getLiveWords() {
        return read(() -> liveWords);
    }

    @Override
    public long getFreeWords() {
        return read(() -> freeWords);
    }

    @Override
    public long getTopHeapWords() {
        return read(() -> topHeapWords);
    }

    @Override
    public String getLastCollection() {
        CollectionReport copy = new CollectionReport();
        long v;
        do {
            v = version;
            copy.copyFrom(last);
        } while (!unchanged(v));
        return copy.kind() == null ? "" : copy.toEvent().logLine();
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
