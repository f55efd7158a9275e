package dev.ephemera.bench.jmh;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.HashedType;
import dev.ephemera.tables.OcamlHash;
import dev.ephemera.tables.WeakHashSet;
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
 * A weak hash set ({@code Weak.Make} on int pairs hashed with {@code Hashtbl.hash}, as
 * hashcons) holding {@code size} rooted elements: {@code merge} of a distinct but equal pair
 * (hit: returns the element in the set) and of a pair not in the set (miss: it is added, and
 * removed again so the set keeps its size — the figure is merge + remove). Probes are old,
 * rooted, visited in turn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WeakSetBench {
    static final HashedType PAIR = HashedType.of(OcamlHash::hash,
            (heap, x, y) -> heap.field(x, 0) == heap.field(y, 0) && heap.field(x, 1) == heap.field(y, 1));

    @Param({"10000"})
    public int size;

    private Heap heap;
    private WeakHashSet w;
    private GlobalRoot set;
    private GlobalRoot members;
    private GlobalRoot equal;
    private GlobalRoot absent;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
        w = WeakHashSet.make(heap, PAIR);
        set = heap.newGlobalRoot(w.create(1024));
        members = heap.newGlobalRoot(heap.allocArray(size, Value.UNIT));
        equal = heap.newGlobalRoot(heap.allocArray(size, Value.UNIT));
        absent = heap.newGlobalRoot(heap.allocArray(size, Value.UNIT));
        for (int k = 0; k < size; k++) {
            heap.setField(members.get(), k, heap.alloc(0, Value.ofInt(k), Value.ofInt(7)));
            heap.setField(equal.get(), k, heap.alloc(0, Value.ofInt(k), Value.ofInt(7)));
            heap.setField(absent.get(), k, heap.alloc(0, Value.ofInt(size + k), Value.ofInt(7)));
            w.add(set.get(), heap.field(members.get(), k));
        }
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
    public long mergeHit() {
        return w.merge(set.get(), heap.field(equal.get(), next()));
    }

    @Benchmark
    public void mergeMissThenRemove() {
        long x = heap.field(absent.get(), next());
        w.merge(set.get(), x);
        w.remove(set.get(), heap.field(absent.get(), i));
    }

    @Benchmark
    public long findMiss() {
        return w.findOpt(set.get(), heap.field(absent.get(), next()));
    }
}
