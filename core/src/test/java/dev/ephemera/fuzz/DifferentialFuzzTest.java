package dev.ephemera.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ephemera.fuzz.Counts.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer: random programs run on the heap and on the reference model
 * ({@link dev.ephemera.model.Model}), compared after every collection (see {@link Run}).
 *
 * <p>System properties: {@code ephemera.fuzz.programs} (default 5,000; the {@code soak} profile
 * runs 100 times more), {@code ephemera.fuzz.base} (the base seed; program {@code i} has seed
 * {@code mix(base + i)}), {@code ephemera.fuzz.seed} (run only that program: how to reproduce a
 * failure), {@code ephemera.fuzz.threads} (default: 2, or 1 on a one-core machine).
 */
class DifferentialFuzzTest {
    private static final int PROGRAMS = Integer.getInteger("ephemera.fuzz.programs", 5_000);
    private static final long BASE = Long.decode(System.getProperty("ephemera.fuzz.base", "0x5eed0f6e0e3e4a"));
    private static final String SEED = System.getProperty("ephemera.fuzz.seed");
    private static final int THREADS = Integer.getInteger("ephemera.fuzz.threads",
            Math.min(2, Runtime.getRuntime().availableProcessors()));

    /** SplitMix64's finaliser: consecutive indices give unrelated seeds. */
    static long seedOf(long index) {
        long z = BASE + index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final int TABLE_PROGRAMS = Integer.getInteger("ephemera.fuzz.tablePrograms", 1_500);
    private static final String TABLE_SEED = System.getProperty("ephemera.fuzz.tableSeed");

    /**
     * The weak hash tables against the model's ({@link dev.ephemera.model.TableModel}): random
     * table programs ({@link TableProgram}, {@link TableRun}). {@code ephemera.fuzz.tablePrograms}
     * (default 1,500; soak: 100 times more), {@code ephemera.fuzz.tableSeed} to run one.
     */
    @Test
    void theTablesAgreeWithTheModelOnRandomPrograms() throws Exception {
        if (TABLE_SEED != null) {
            String f = TableFuzzer.check(Long.decode(TABLE_SEED));
            if (f != null) {
                fail(f);
            }
            return;
        }
        AtomicLong next = new AtomicLong();
        AtomicLong acts = new AtomicLong();
        AtomicLong minors = new AtomicLong();
        AtomicLong majors = new AtomicLong();
        AtomicLong died = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < TABLE_PROGRAMS && failure.get() == null; i = next.getAndIncrement()) {
                    long seed = seedOf(~i);
                    List<TableProgram.Act> program = new ArrayList<>();
                    TableFuzzer.Outcome o = TableFuzzer.generateAndRun(seed, program);
                    acts.addAndGet(o.acts());
                    minors.addAndGet(o.minors());
                    majors.addAndGet(o.majors());
                    died.addAndGet(o.bindingsDied());
                    checks.addAndGet(o.checks());
                    if (o.error() != null) {
                        String f = TableFuzzer.check(seed);
                        failure.compareAndSet(null, "table program " + i + " of " + TABLE_PROGRAMS + ": "
                                + (f != null ? f : "failed once, passed when rerun: " + o.error()));
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        long ran = Math.min(next.get(), TABLE_PROGRAMS);
        System.out.printf("table fuzzer: %d programs (%d threads), %d acts, %d minor and %d major collections,"
                + " %d bindings died, %d table comparisons; %.1f s%n", ran, THREADS, acts.get(), minors.get(),
                majors.get(), died.get(), checks.get(), (System.nanoTime() - start) / 1e9);
        if (failure.get() != null) {
            fail(failure.get());
        }
        assertThat(died.get()).as("bindings that died").isGreaterThan(ran);
        assertThat(minors.get() + majors.get()).as("collections").isGreaterThan(5L * ran);
    }

    /** Stop-the-world configurations: the model follows every collection exactly. */
    @Test
    void theHeapAgreesWithTheModelOnRandomPrograms() throws Exception {
        fuzz(false, PROGRAMS, 0);
    }

    private static final int INCREMENTAL_PROGRAMS = Integer.getInteger("ephemera.fuzz.incrementalPrograms", 5_000);
    private static final boolean INCREMENTAL_SEED = Boolean.getBoolean("ephemera.fuzz.incremental");

    /**
     * Incremental configurations ({@link FuzzConfig#relaxed()}): tiny slices, so cycles span
     * acts (and, in one of them, every cycle ends with a compaction); the run adopts what the
     * model allows and is exact after every whole cycle — every {@code full_major}'s second.
     * {@code ephemera.fuzz.incrementalPrograms} (default 5,000); {@code ephemera.fuzz.seed} with
     * {@code ephemera.fuzz.incremental=true} runs one.
     */
    @Test
    void theIncrementalHeapAgreesWithTheModelOnRandomPrograms() throws Exception {
        fuzz(true, INCREMENTAL_PROGRAMS, 1L << 40);
    }

    private void fuzz(boolean incremental, int programs, long offset) throws Exception {
        if (SEED != null) {
            if (incremental == INCREMENTAL_SEED) {
                Fuzzer.Failure f = Fuzzer.check(Long.decode(SEED), incremental);
                if (f != null) {
                    fail(f.report());
                }
            }
            return;
        }
        AtomicLong next = new AtomicLong();
        AtomicLongArray counts = new AtomicLongArray(Counter.values().length);
        AtomicLong acts = new AtomicLong();
        AtomicReference<Fuzzer.Failure> failure = new AtomicReference<>();
        AtomicLong firstFailing = new AtomicLong(-1);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < programs && failure.get() == null; i = next.getAndIncrement()) {
                    long seed = seedOf(i + offset);
                    List<Program.Act> program = new ArrayList<>();
                    Fuzzer.Outcome o = Fuzzer.generateAndRun(seed, program, incremental);
                    for (int k = 0; k < counts.length(); k++) {
                        counts.addAndGet(k, o.counts()[k]);
                    }
                    acts.addAndGet(o.acts());
                    if (o.error() != null) {
                        firstFailing.compareAndSet(-1, i);
                        Fuzzer.Failure f = Fuzzer.check(seed, incremental);
                        failure.compareAndSet(null, f != null ? f : new Fuzzer.Failure(seed,
                                Fuzzer.configOf(seed, incremental), program, program, o));
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        Fuzzer.Failure f = failure.get();
        long ran = Math.min(next.get(), programs);
        StringBuilder summary = new StringBuilder();
        for (int k = 0; k < counts.length(); k++) {
            summary.append(", ").append(counts.get(k)).append(' ').append(Counter.values()[k].label);
        }
        long collections = counts.get(Counter.MINOR_COLLECTIONS.ordinal())
                + counts.get(Counter.MAJOR_COLLECTIONS.ordinal());
        System.out.printf("differential fuzzer (%s): %d programs (%d threads), %d acts%s; %.1f collections per program;"
                + " %.1f s%n", incremental ? "incremental" : "stop the world", ran, THREADS, acts.get(), summary,
                collections / (double) Math.max(1, ran), (System.nanoTime() - start) / 1e9);
        if (f != null) {
            fail("program " + firstFailing.get() + " of " + programs + ": " + f.report());
        }
        assertThat(collections).as("collections per program").isGreaterThan(3L * ran);
        if (incremental) {
            assertThat(counts.get(Counter.MAJOR_SLICES.ordinal())).as("major slices: cycles spanned acts").isGreaterThan(10L * ran);
            assertThat(counts.get(Counter.COMPACTIONS.ordinal())).as("compactions").isGreaterThan(ran / 4);
        }
    }
}
