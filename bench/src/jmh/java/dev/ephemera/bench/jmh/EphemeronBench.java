package dev.ephemera.bench.jmh;

import dev.ephemera.EphemeronK1;
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
 * The K1 ephemeron accessors (OCaml's {@code Ephemeron.K1.get_key}, {@code set_key},
 * {@code get_data}, {@code set_data}, OCaml 5's {@code query}) on an old ephemeron with an old
 * key and data, and {@code create} + {@code set_key} + {@code set_data} of a fresh one.
 * A store into an ephemeron slot goes through the barrier like any other pointer store.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EphemeronBench {
    private Heap heap;
    private EphemeronK1 k1;
    private GlobalRoot eph;
    private GlobalRoot key;
    private GlobalRoot data;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.create(HeapConfig.defaults());
        k1 = heap.ephemerons().k1();
        key = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(1)));
        data = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(2)));
        eph = heap.newGlobalRoot(k1.create());
        k1.setKey(eph.get(), key.get());
        k1.setData(eph.get(), data.get());
        heap.gc().fullMajor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    @Benchmark
    public long getKey() {
        return k1.getKey(eph.get());
    }

    @Benchmark
    public long getData() {
        return k1.getData(eph.get());
    }

    @Benchmark
    public void setKey() {
        k1.setKey(eph.get(), key.get());
    }

    @Benchmark
    public void setData() {
        k1.setData(eph.get(), data.get());
    }

    /** OCaml 5's {@code query e key}: the data if the key is physically this one. */
    @Benchmark
    public long query() {
        return k1.query(eph.get(), key.get());
    }

    /** A fresh ephemeron in the nursery, filled. */
    @Benchmark
    public long createAndSet() {
        long e = k1.create();
        k1.setKey(e, key.get());
        k1.setData(e, data.get());
        return e;
    }
}
