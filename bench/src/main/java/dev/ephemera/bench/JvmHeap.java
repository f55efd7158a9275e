package dev.ephemera.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use of the JVM's own collector, for the plain-Java baselines. The figure comparable
 * to OCaml's {@code top_heap_words} (and ours), which count the major heap only, is the peak of
 * the pools that hold objects surviving the young generation: every heap pool except eden and
 * survivor spaces (G1 "G1 Old Gen", Parallel "PS Old Gen", Serial "Tenured Gen"; ZGC and
 * Shenandoah have one pool, counted whole). Peaks of several pools are summed, which can
 * overstate a little when they peaked at different times.
 */
public final class JvmHeap {
    private JvmHeap() {}

    /** Collects, then restarts the peak counters of every heap pool. */
    public static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) {
                p.resetPeakUsage();
            }
        }
    }

    /** The peak bytes used by the old-generation pools since {@link #resetPeaks()}. */
    public static long peakOldBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid() && !isYoung(p.getName())) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static boolean isYoung(String pool) {
        return pool.contains("Eden") || pool.contains("Survivor") || pool.contains("Nursery");
    }
}
