package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.util.function.Supplier;

/**
 * One implementation of one case: how to run it once, and (for code running in this JVM) how to
 * warm the JIT up first.
 */
public final class Impl {
    /** Where the implementation runs, which decides how it is prepared and ordered. */
    public enum Kind {
        /** ephemera's heap, in this JVM: the reference every ratio is taken against. */
        EPHEMERA,
        /** A baseline in this JVM (plain Java objects, the JVM's weak-key maps). */
        JVM,
        /** A peer program in another process ({@code bench/peers/run-peer}). */
        PROCESS
    }

    private final String name;
    private final Kind kind;
    private final Supplier<BenchResult> run;
    private final Supplier<BenchResult> warmUp;

    /**
     * @param name the {@code "impl"} name
     * @param run one measured run
     * @param warmUp an untimed run that compiles the code paths (null for none); run once per
     *     benchmark and implementation before the first measurement
     */
    public Impl(String name, Kind kind, Supplier<BenchResult> run, Supplier<BenchResult> warmUp) {
        this.name = name;
        this.kind = kind;
        this.run = run;
        this.warmUp = warmUp;
    }

    /** The {@code "impl"} name: ephemera, ocaml, chez, jvm, weakhashmap, guava, caffeine. */
    public String name() {
        return name;
    }

    /** Where it runs. */
    public Kind kind() {
        return kind;
    }

    /** Runs once. */
    public BenchResult run() {
        return run.get();
    }

    /** The warm-up run, or null. */
    public Supplier<BenchResult> warmUp() {
        return warmUp;
    }
}
