package dev.ephemera.bench.jmh;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocation in the nursery: the bump-pointer fast path, with the minor collections it causes
 * amortised in (every block dies at once, so each collection copies nothing). Compare with
 * {@code jvmPair}, the same two-field object on the JVM's own TLAB allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AllocationBench {
    private Heap heap;

    /** A JVM object of the same shape as the heap's pair. */
    static final class Pair {
        final Object left;
        final Object right;

        Pair(Object left, Object right) {
            this.left = left;
            this.right = right;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    /** A block of two fields, both none. */
    @Benchmark
    public long pair() {
        return heap.alloc(0, Value.NONE, Value.NONE);
    }

    /** A block of one immediate field. */
    @Benchmark
    public long box() {
        return heap.alloc(0, Value.ofInt(42));
    }

    /** An 8-field block through the general path. */
    @Benchmark
    public long block8() {
        return heap.allocBlock(0, 8);
    }

    /** The JVM's own allocation of the same two-field object. */
    @Benchmark
    public Object jvmPair() {
        return new Pair(null, null);
    }
}
