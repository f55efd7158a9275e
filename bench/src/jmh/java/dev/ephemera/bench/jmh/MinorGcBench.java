package dev.ephemera.bench.jmh;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One minor collection of a full nursery of the default size, filled with three-word blocks,
 * of which {@code survivalPercent} are reachable from a root area and get promoted. The nursery
 * is refilled before every invocation (untimed). A collection takes from about a microsecond
 * (nothing survives: the nursery is simply discarded) to milliseconds (everything survives); at
 * the low end the per-invocation timing overhead (tens of nanoseconds) is a visible part of the
 * figure, at the high end it is negligible.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MinorGcBench {
    @Param({"0", "10", "50", "100"})
    public int survivalPercent;

    private Heap heap;
    private RootArea roots;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
        roots = heap.newRootArea(heap.gc().minorHeapWords() / 3 + 1, Rank.STRONG);
    }

    @Setup(Level.Invocation)
    public void fillNursery() {
        roots.setUsed(0);
        heap.gc().minor();
        // every survivor is a new major-heap block: start each trial's invocations from a
        // swept major heap now and then, so the heap does not grow without bound
        if (heap.gc().stat().heapWords > (64L << 20)) {
            heap.gc().fullMajor();
        }
        int blocks = heap.gc().minorHeapWords() / 3 - 16;
        for (int k = 0; k < blocks; k++) {
            long v = heap.alloc(0, Value.ofInt(k), Value.NONE);
            if (k % 100 < survivalPercent) {
                roots.push(v);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        roots.close();
        heap.close();
    }

    /** The minor collection. */
    @Benchmark
    public void minor() {
        heap.gc().minor();
    }
}
