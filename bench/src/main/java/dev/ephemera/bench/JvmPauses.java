package dev.ephemera.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's own collections during a stretch of a benchmark, from its
 * {@link GarbageCollectorMXBean}s: how many, their total time (the beans' counters, exact), and
 * the longest one (from HotSpot's per-collection notifications, {@code GcInfo.getDuration()},
 * whole milliseconds). Collectors whose bean counts concurrent cycles rather than pauses
 * (ZGC's and Shenandoah's "... Cycles") are left out; G1's "G1 Concurrent GC" bean counts its
 * Remark and Cleanup pauses and is kept. Notifications arrive on a JMX thread a little after
 * the collection; {@link #stop()} waits up to a second for the ones the counters say happened,
 * and a late notification of a collection before {@link #start()} (by its id, the collector's
 * count of collections) is ignored.
 *
 * <pre>{@code
 * JvmPauses p = JvmPauses.start();
 * ... the measured work ...
 * JvmPauses.Summary s = p.stop();   // s.count, s.totalMillis, s.maxMillis
 * }</pre>
 */
public final class JvmPauses {
    /** What {@link #stop()} found. */
    public static final class Summary {
        /** Collections counted by the beans. */
        public final long count;
        /** Their accumulated time, ms (the beans' {@code getCollectionTime}). */
        public final long totalMillis;
        /** The longest single collection, ms; -1 when no notification was received. */
        public final long maxMillis;
        /** The collectors' bean names, joined with "/" (e.g. "PS Scavenge/PS MarkSweep"). */
        public final String collectors;

        Summary(long count, long totalMillis, long maxMillis, String collectors) {
            this.count = count;
            this.totalMillis = totalMillis;
            this.maxMillis = maxMillis;
            this.collectors = collectors;
        }
    }

    private final List<GarbageCollectorMXBean> beans = new ArrayList<>();
    private final long[] countBefore;
    private final long[] timeBefore;
    private final NotificationListener listener;
    private final java.util.Map<String, Long> firstId = new java.util.HashMap<>();
    private long notified;
    private long maxMillis = -1;

    private JvmPauses() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b.isValid() && !b.getName().endsWith("Cycles")) {
                beans.add(b);
            }
        }
        countBefore = new long[beans.size()];
        timeBefore = new long[beans.size()];
        listener = this::handle;
        synchronized (this) { // a notification waits until every counter is read
            for (int i = 0; i < beans.size(); i++) {
                GarbageCollectorMXBean b = beans.get(i);
                if (b instanceof NotificationEmitter) {
                    ((NotificationEmitter) b).addNotificationListener(listener, null, null);
                }
                countBefore[i] = Math.max(0, b.getCollectionCount());
                timeBefore[i] = Math.max(0, b.getCollectionTime());
                firstId.put(b.getName(), countBefore[i] + 1);
            }
        }
    }

    /** Starts listening; the counters start now. */
    public static JvmPauses start() {
        return new JvmPauses();
    }

    private void handle(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        synchronized (this) {
            Long first = firstId.get(info.getGcName());
            if (first == null || info.getGcInfo().getId() < first) {
                return; // not a pause we count, or a late notification of one before start()
            }
            notified++;
            maxMillis = Math.max(maxMillis, info.getGcInfo().getDuration());
        }
    }

    /** Stops listening and sums up the collections since {@link #start()}. */
    public Summary stop() {
        long count = 0;
        long time = 0;
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < beans.size(); i++) {
            GarbageCollectorMXBean b = beans.get(i);
            count += Math.max(0, b.getCollectionCount()) - countBefore[i];
            time += Math.max(0, b.getCollectionTime()) - timeBefore[i];
            names.append(names.length() == 0 ? "" : "/").append(b.getName());
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        synchronized (this) {
            while (notified < count && System.nanoTime() < deadline) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (GarbageCollectorMXBean b : beans) {
            if (b instanceof NotificationEmitter) {
                try {
                    ((NotificationEmitter) b).removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // never added: nothing to remove
                }
            }
        }
        synchronized (this) {
            return new Summary(count, time, maxMillis, names.toString());
        }
    }
}
