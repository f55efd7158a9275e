package dev.ephemera;

import dev.ephemera.event.GcEvent;
import dev.ephemera.gc.CollectionObserver;
import dev.ephemera.gc.CollectionReport;
import dev.ephemera.gc.Collector;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Tells the world about each collection the collector reports: the heap's MBean and its MPS
 * messages (the library's own bookkeeping, first), then the GC log ({@link HeapConfig#gcLog}),
 * the {@link System.Logger} {@value Gc#LOGGER_NAME}, the JDK Flight Recorder and the
 * {@link GcListener}s, in that order. It only observes: nothing it calls may touch the heap (see
 * {@link GcListener}).
 */
final class CollectionReporter implements CollectionObserver {
    private static final System.Logger LOGGER = System.getLogger(Gc.LOGGER_NAME);

    private final Heap heap;
    private final Collector collector;
    /** The heap's MBean, or null. */
    private final HeapMonitor monitor;
    /**
     * The listeners, an array replaced (never changed) on every add or remove: iterating it
     * sees a snapshot, as a copy-on-write list's iterator does, without allocating one at every
     * collection.
     */
    private volatile GcListener[] listeners = new GcListener[0];
    private volatile Consumer<String> log;
    /** The log's verbose level: a line per major slice too. */
    private volatile boolean logSlices;
    /** The MPS messages, told before the listeners (set once the heap has made them). */
    private Messages messages;
    /**
     * The JFR events begun for the collection, the major cycle and the slice in progress, or
     * null. A cycle's has its own: the minor collections between its slices begin theirs.
     */
    private Object jfr;
    private Object jfrCycle;
    private Object jfrSlice;

    CollectionReporter(Heap heap, Collector collector, HeapMonitor monitor, Consumer<String> log, boolean logSlices) {
        this.heap = heap;
        this.collector = collector;
        this.monitor = monitor;
        this.log = log;
        this.logSlices = logSlices;
    }

    /** The heap's MBean, which may request collections, or null. */
    HeapMonitor monitor() {
        return monitor;
    }

    synchronized void addListener(GcListener listener) {
        GcListener[] old = listeners;
        GcListener[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = listener;
        listeners = grown;
    }

    /** Removes the first registration of {@code listener}, if any. */
    synchronized void removeListener(GcListener listener) {
        GcListener[] old = listeners;
        for (int i = 0; i < old.length; i++) {
            if (old[i].equals(listener)) {
                GcListener[] shrunk = Arrays.copyOf(old, old.length - 1);
                System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
                listeners = shrunk;
                return;
            }
        }
    }

    void setMessages(Messages messages) {
        this.messages = messages;
    }

    void setLog(Consumer<String> log) {
        this.log = log;
    }

    void setLogSlices(boolean on) {
        this.logSlices = on;
    }

    @Override
    public void sliceStarting() {
        if (JfrEvents.AVAILABLE) {
            jfrSlice = JfrEvents.begin();
        }
    }

    @Override
    public void started(GcEvent.Kind kind, String reason) {
        if (JfrEvents.AVAILABLE) {
            if (kind == GcEvent.Kind.MAJOR) {
                jfrCycle = JfrEvents.begin();
            } else {
                jfr = JfrEvents.begin();
            }
        }
        if (messages != null) {
            messages.collectionStarting(kind, reason);
        }
        tell(STARTING, kind, reason, null);
    }

    /*
     * The event is made only when something reads it (a log, the logger at its level, a flight
     * recording, a listener): a collection nobody listens to allocates nothing on the JVM's heap
     * (see CollectionReport). The MBean copies the report's figures instead.
     */

    @Override
    public void ended(CollectionReport report) {
        // the library's own bookkeeping first: a log consumer that throws must not skip it
        toMonitor(report);
        if (messages != null) {
            messages.collectionEnded(report);
        }
        Object begun;
        if (report.kind() == GcEvent.Kind.MAJOR) {
            begun = jfrCycle;
            jfrCycle = null;
        } else {
            begun = jfr;
            jfr = null;
        }
        publish(report, log, System.Logger.Level.DEBUG, begun, COLLECTED);
    }

    @Override
    public void sliced(CollectionReport report) {
        toMonitor(report);
        Object begun = jfrSlice;
        jfrSlice = null;
        // the verbose level: a line per slice
        publish(report, logSlices ? log : null, System.Logger.Level.TRACE, begun, SLICE);
    }

    /**
     * Gives {@code report} to the log {@code out} (or null), the logger at {@code level}, the
     * flight recorder (its event {@code begun} for it, or null) and the listeners ({@code what}:
     * {@link #COLLECTED} or {@link #SLICE}), building the event only if one of them reads it.
     */
    private void publish(CollectionReport report, Consumer<String> out, System.Logger.Level level, Object begun,
                         int what) {
        boolean logged = LOGGER.isLoggable(level);
        boolean recorded = JfrEvents.AVAILABLE && JfrEvents.wanted(begun);
        if (out == null && !logged && !recorded && listeners.length == 0) {
            return;
        }
        GcEvent event = report.toEvent();
        if (out != null) {
            out.accept(event.logLine());
        }
        if (logged) {
            LOGGER.log(level, heap.name() + " " + event.logLine());
        }
        if (recorded) {
            JfrEvents.ended(begun, heap.name(), event);
        }
        tell(what, null, null, event);
    }

    private static final int STARTING = 0;
    private static final int COLLECTED = 1;
    private static final int SLICE = 2;

    /**
     * Tells every listener, even when one throws: each may count on every event. The first
     * exception is rethrown once all have been told, the later ones suppressed in it. (A switch,
     * not a lambda: nothing is allocated per collection.)
     */
    private void tell(int what, GcEvent.Kind kind, String reason, GcEvent event) {
        Throwable first = null;
        for (GcListener l : listeners) {
            try {
                switch (what) {
                    case STARTING -> l.starting(kind, reason);
                    case COLLECTED -> l.collected(event);
                    default -> l.slice(event);
                }
            } catch (RuntimeException | Error e) {
                if (first == null) {
                    first = e;
                } else if (first != e) {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException) {
            throw (RuntimeException) first;
        }
        if (first instanceof Error) {
            throw (Error) first;
        }
    }

    private void toMonitor(CollectionReport report) {
        if (monitor != null) {
            monitor.collected(report, collector.heapWords(), collector.liveWords(), collector.freeWords(),
                    collector.topHeapWords());
        }
    }
}
