package dev.ephemera.bench.jmh;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.K1Table;
import dev.ephemera.tables.OcamlHash;
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
 * An ephemeron K1 table ({@code Ephemeron.K1.Make} on {@code {id}} keys, as memo-table) holding
 * {@code size} live bindings: {@code find} of a bound key (hit) and {@code find_opt} of an
 * unbound one (miss); {@code replace} of a bound key (hit: the binding is updated in place) and
 * of an unbound one (miss: a binding is added, then removed again so the table keeps its size —
 * the figure is replace + remove). Keys and probes are old, rooted in arrays, visited in turn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TableBench {
    static final HashedType KEY = HashedType.of(
            (heap, k) -> OcamlHash.hashImmediate(heap.field(k, 0)),
            (heap, a, b) -> heap.field(a, 0) == heap.field(b, 0));

    @Param({"10000"})
    public int size;

    private Heap heap;
    private K1Table h;
    private GlobalRoot table;
    private GlobalRoot keys;
    private GlobalRoot absent;
    private GlobalRoot value;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
        h = K1Table.make(heap, KEY);
        table = heap.newGlobalRoot(h.create(16));
        keys = heap.newGlobalRoot(heap.allocArray(size, Value.UNIT));
        absent = heap.newGlobalRoot(heap.allocArray(size, Value.UNIT));
        for (int k = 0; k < size; k++) {
            heap.setField(keys.get(), k, heap.alloc(0, Value.ofInt(k)));
            heap.setField(absent.get(), k, heap.alloc(0, Value.ofInt(size + k)));
            long key = heap.field(keys.get(), k);
            long d = heap.alloc(0, key, Value.ofInt(k));
            h.replace(table.get(), heap.field(d, 0), d);
        }
        value = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(-1), Value.ofInt(-1)));
        heap.gc().fullMajor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    private int next() {
        int k = i + 1;
        return i = k == size ? 0 : k;
    }

    @Benchmark
    public long findHit() {
        return h.find(table.get(), heap.field(keys.get(), next()));
    }

    @Benchmark
    public long findMiss() {
        return h.findOpt(table.get(), heap.field(absent.get(), next()));
    }

    @Benchmark
    public void replaceHit() {
        h.replace(table.get(), heap.field(keys.get(), next()), value.get());
    }

    @Benchmark
    public void replaceMissThenRemove() {
        long k = heap.field(absent.get(), next());
        h.replace(table.get(), k, value.get());
        h.remove(table.get(), heap.field(absent.get(), i));
    }
}
