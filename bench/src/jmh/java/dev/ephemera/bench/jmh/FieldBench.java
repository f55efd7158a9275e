package dev.ephemera.bench.jmh;

import dev.ephemera.GlobalRoot;
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
 * Field reads and writes. Every pointer store goes through the write barrier; what it costs
 * depends on what is stored where: an immediate (filtered at once), an old pointer into an old
 * block (no remembering), a young pointer into a young block (no remembering), and a young
 * pointer into an old block (the remembered-set path; the slot is already remembered after the
 * first store, so this measures the check, not the set growing).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FieldBench {
    private static final int FIELDS = 64;

    private Heap heap;
    private GlobalRoot oldBlock;
    private GlobalRoot oldTarget;
    private GlobalRoot youngBlock;
    private GlobalRoot youngTarget;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        // a large minor heap, so the young blocks stay young for a whole iteration
        heap = Heap.create(HeapConfig.defaults().minorHeapWords(1 << 22));
        oldBlock = heap.newGlobalRoot(heap.allocBlock(0, FIELDS));
        oldTarget = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(1)));
        heap.gc().minor();
        for (int k = 0; k < FIELDS; k++) {
            heap.setField(oldBlock.get(), k, Value.ofInt(k));
        }
    }

    @Setup(Level.Iteration)
    public void freshYoung() {
        youngBlock = heap.newGlobalRoot(heap.allocBlock(0, FIELDS));
        youngTarget = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(2)));
    }

    @TearDown(Level.Iteration)
    public void dropYoung() {
        youngBlock.close();
        youngTarget.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    private int next() {
        return i = (i + 1) & (FIELDS - 1);
    }

    /** Reads a field of an old block. */
    @Benchmark
    public long read() {
        return heap.field(oldBlock.get(), next());
    }

    /** Stores an immediate into an old block. */
    @Benchmark
    public void writeImmediate() {
        heap.setField(oldBlock.get(), next(), Value.ofInt(7));
    }

    /** Stores an old pointer into an old block. */
    @Benchmark
    public void writeOldIntoOld() {
        heap.setField(oldBlock.get(), next(), oldTarget.get());
    }

    /** Stores a young pointer into a young block. */
    @Benchmark
    public void writeYoungIntoYoung() {
        heap.setField(youngBlock.get(), next(), youngTarget.get());
    }

    /** Stores a young pointer into an old block: the barrier remembers the slot. */
    @Benchmark
    public void writeYoungIntoOld() {
        heap.setField(oldBlock.get(), next(), youngTarget.get());
    }
}
