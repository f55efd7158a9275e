package dev.ephemera.cli;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.BinaryTrees;
import dev.ephemera.bench.EphemeronChain;
import dev.ephemera.bench.Finalise;
import dev.ephemera.bench.Fragmentation;
import dev.ephemera.bench.Hashcons;
import dev.ephemera.bench.MemoTable;
import dev.ephemera.bench.Pauses;
import dev.ephemera.bench.Runs;
import dev.ephemera.bench.WeakKeyMaps;
import dev.ephemera.bench.suite.Case;
import dev.ephemera.bench.suite.Charts;
import dev.ephemera.bench.suite.PeerRunner;
import dev.ephemera.bench.suite.Results;
import dev.ephemera.bench.suite.Sizes;
import dev.ephemera.bench.suite.Suite;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ephemera bench}: with no name, the whole macro suite (see {@link SuiteRun}); with a
 * name, one benchmark: {@code binary-trees}, {@code ephemeron-chain}, {@code memo-table},
 * {@code hashcons}, {@code finalise}, {@code pauses}, {@code fragmentation}.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Run the macro benchmark suite (binary-trees, ephemeron-chain, memo-table, hashcons, finalise, "
                + "pauses, fragmentation), or one benchmark by name.",
            "The suite prints one table (benchmark, parameters, ephemera, each peer, ratio = ephemera / peer); "
                + "--json prints one JSON object per measurement instead."},
        subcommands = {BenchCommand.BinaryTreesCommand.class, BenchCommand.EphemeronChainCommand.class,
            BenchCommand.MemoTableCommand.class, BenchCommand.HashconsCommand.class,
            BenchCommand.FinaliseCommand.class, BenchCommand.PausesCommand.class,
            BenchCommand.FragmentationCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Small sizes: the whole suite in under a minute (CI).")
    boolean quick;

    @Option(names = "--peers", description = "Also run, interleaved with ephemera, the peers: OCaml and Chez "
            + "(bench/peers/run-peer; skipped with a note when the toolchain is missing), plain JVM objects "
            + "and the JVM's weak-key maps (WeakHashMap, Guava, Caffeine).")
    boolean peers;

    @Option(names = "--json", description = "One JSON object per measurement (per case and implementation).")
    boolean json;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "R",
            description = "Measured runs per implementation and case; the median is reported (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--chart", paramLabel = "DIR",
            description = "Write PNG charts into DIR (memo-table retention over rounds, ephemeron-chain scaling, "
                + "binary-trees time and heap), with the data they were drawn from: results.jsonl and results.txt.")
    Path chartDir;

    @Option(names = "--redraw", paramLabel = "DIR",
            description = "Measure nothing: draw the charts again from the data files in DIR (results.jsonl with "
                + "results.txt, and the demo's NAME.jsonl into NAME.png), as bench/reproduce does; repeatable.")
    List<Path> redraw = new ArrayList<>();

    @Option(names = "--peer-timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Kill a peer run after this long and report the limit as a lower bound (default ${DEFAULT-VALUE}).")
    double peerTimeout;

    @Option(names = "--slow", defaultValue = "60", paramLabel = "SECONDS",
            description = "A run that took longer than this is not repeated (default ${DEFAULT-VALUE}).")
    double slowSeconds;

    @Option(names = "--peer-env", paramLabel = "NAME=VALUE",
            description = "Set an environment variable for the peer programs (e.g. OCAMLRUNPARAM=v=0x400); repeatable.")
    Map<String, String> peerEnv = new LinkedHashMap<>();

    @Option(names = "--no-warmup",
            description = "Skip the untimed JIT warm-up run before each benchmark's first measurement.")
    boolean noWarmup;

    @Option(names = "--no-progress", description = "No progress display on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (!redraw.isEmpty()) {
            return redraw();
        }
        if (repeat < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1, got " + repeat);
        }
        if (!(peerTimeout > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--peer-timeout must be positive, got " + peerTimeout);
        }
        PeerRunner runner = new PeerRunner(PeerRunner.locate(jarDirectory()), peerEnv, peerTimeout);
        SuiteRun run = new SuiteRun(quick ? Sizes.QUICK : Sizes.FULL, peers ? runner : null, repeat, slowSeconds,
                !noWarmup, json, chartDir, !noProgress, System.out, System.err);
        return run.call();
    }

    /** {@code --redraw}: every chart the data in each directory holds; 1 if a directory has none. */
    private int redraw() {
        int status = 0;
        for (Path dir : redraw) {
            try {
                List<Path> written = Charts.redraw(dir);
                if (written.isEmpty()) {
                    System.err.println("ephemera bench: no chart data (" + Results.JSONL
                            + ", the demo's, pauses or fragmentation .jsonl) in " + dir);
                    status = 1;
                }
                for (Path p : written) {
                    System.err.println("ephemera bench: drew " + p);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("ephemera bench: cannot redraw the charts in " + dir + ": " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** Where the CLI jar (or class directory) is: bench/peers is found from there. */
    static Path jarDirectory() {
        try {
            return Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (Exception e) {
            return null;
        }
    }

    /** Options every single benchmark takes. */
    static final class Common {
        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        void print(List<BenchResult> results, PrintStream out) {
            for (BenchResult r : results) {
                out.println(json ? r.toJson() : r.toText());
            }
        }
    }

    /** The largest size of the untimed warm-up runs of the table benchmarks. */
    private static final int WARM_UP_N = Runs.WARM_UP_MAX_N;

    private static void checkRepeat(Object command, int repeat) {
        if (repeat < 1) {
            throw bad(command, "--repeat must be at least 1, got " + repeat);
        }
    }

    private static CommandLine.ParameterException bad(Object command, String message) {
        return new CommandLine.ParameterException(new CommandLine(command), message);
    }

    @Command(name = "binary-trees", mixinStandardHelpOptions = true,
            description = "The Benchmarks Game binary-trees on the heap (ephemera) and on plain Java objects (jvm).")
    static final class BinaryTreesCommand implements Callable<Integer> {
        @Option(names = "--depth", defaultValue = "16", description = "Maximum tree depth (default ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--impl", defaultValue = "ephemera", description = "ephemera, jvm or all.")
        String impl;

        @Option(names = "--repeat", defaultValue = "1", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (depth < 4 || depth > 30) {
                throw bad(this, "--depth must be in [4, 30], got " + depth);
            }
            checkRepeat(this, repeat);
            List<BenchResult> results = new ArrayList<>();
            if (impl.equals("ephemera") || impl.equals("all")) {
                results.add(BinaryTrees.ephemera(depth, repeat));
            }
            if (impl.equals("jvm") || impl.equals("all")) {
                results.add(BinaryTrees.jvm(depth, repeat));
            }
            if (results.isEmpty()) {
                throw bad(this, "--impl must be ephemera, jvm or all, got " + impl);
            }
            common.print(results, System.out);
            return 0;
        }
    }

    @Command(name = "ephemeron-chain", mixinStandardHelpOptions = true,
            description = "N ephemerons chained key(i) -> data key(i+1), created in a given order; times one full major collection.")
    static final class EphemeronChainCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "100000", description = "Number of ephemerons (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--order", defaultValue = "fwd", description = "Creation order: fwd, rev or random.")
        String order;

        @Option(names = "--drop-root", description = "Drop the root k(0): every ephemeron must be cleared.")
        boolean dropRoot;

        @Option(names = "--repeat", defaultValue = "3", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 1) {
                throw bad(this, "--n must be at least 1, got " + n);
            }
            if (!order.equals("fwd") && !order.equals("rev") && !order.equals("random")) {
                throw bad(this, "--order must be fwd, rev or random, got " + order);
            }
            checkRepeat(this, repeat);
            BenchResult r = EphemeronChain.ephemera(n, order, dropRoot, repeat);
            common.print(List.of(r), System.out);
            return Boolean.TRUE.equals(r.get("ok")) ? 0 : 1;
        }
    }

    @Command(name = "memo-table", mixinStandardHelpOptions = true,
            description = {"N replace calls into a weak-key table where each value refers to its key, then a full collection; "
                + "reports seconds, entries alive and peak heap.",
                "ephemera uses an ephemeron table (Ephemeron.K1.Make); weakhashmap, guava and caffeine are the JVM's weak-key "
                + "maps, which keep every entry (the value keeps its key reachable)."})
    static final class MemoTableCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "100000", description = "Number of replace calls (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--keys", defaultValue = "dead", description = "dead (keys dropped at once) or live (kept in a root array).")
        String keys;

        @Option(names = "--impl", defaultValue = "ephemera",
                description = "ephemera, weakhashmap, guava, caffeine, or all (every one of them).")
        String impl;

        @Option(names = "--repeat", defaultValue = "3", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 0) {
                throw bad(this, "--n must not be negative, got " + n);
            }
            if (!keys.equals("dead") && !keys.equals("live")) {
                throw bad(this, "--keys must be dead or live, got " + keys);
            }
            checkRepeat(this, repeat);
            List<String> impls = impl.equals("all") ? List.of("ephemera", "weakhashmap", "guava", "caffeine") : List.of(impl);
            boolean live = keys.equals("live");
            int warm = Math.min(n, WARM_UP_N);
            List<BenchResult> results = new ArrayList<>();
            for (String i : impls) {
                switch (i) {
                    case "ephemera":
                        results.add(Runs.medianAfterWarmUp(() -> MemoTable.ephemera(warm, live),
                                () -> MemoTable.ephemera(n, live), repeat));
                        break;
                    case "weakhashmap":
                        results.add(Runs.medianAfterWarmUp(() -> MemoTable.weakHashMap(warm, live),
                                () -> MemoTable.weakHashMap(n, live), repeat));
                        break;
                    case "guava":
                    case "caffeine":
                        WeakKeyMaps.Kind kind = WeakKeyMaps.Kind.of(i);
                        results.add(Runs.medianAfterWarmUp(() -> WeakKeyMaps.memoTable(kind, warm, live),
                                () -> WeakKeyMaps.memoTable(kind, n, live), repeat));
                        break;
                    default:
                        throw bad(this, "--impl must be ephemera, weakhashmap, guava, caffeine or all, got " + impl);
                }
            }
            common.print(results, System.out);
            return 0;
        }
    }

    @Command(name = "hashcons", mixinStandardHelpOptions = true,
            description = "Weak.Make-style merge of fresh pairs on ephemera's weak hash set, half hits and half misses; "
                + "then a full collection.")
    static final class HashconsCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "100000", description = "Number of merge calls (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--repeat", defaultValue = "3", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 0) {
                throw bad(this, "--n must not be negative, got " + n);
            }
            checkRepeat(this, repeat);
            BenchResult r = Runs.medianAfterWarmUp(() -> Hashcons.ephemera(Math.min(n, WARM_UP_N)),
                    () -> Hashcons.ephemera(n), repeat);
            common.print(List.of(r), System.out);
            return 0;
        }
    }

    @Command(name = "finalise", mixinStandardHelpOptions = true,
            description = "Register N finalise-first and N finalise-last values that die; collect and run them all.")
    static final class FinaliseCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "100000", description = "Registrations of each kind (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--repeat", defaultValue = "3", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 1) {
                throw bad(this, "--n must be at least 1, got " + n);
            }
            checkRepeat(this, repeat);
            BenchResult r = Finalise.ephemera(n, repeat);
            common.print(List.of(r), System.out);
            return ((Number) r.get("first_called")).longValue() == n && ((Number) r.get("last_called")).longValue() == n ? 0 : 1;
        }
    }

    /** The commands whose bad input is reported in one line (see {@link Main#run}). */
    static final java.util.Set<String> ONE_LINE_ERRORS = java.util.Set.of("pauses", "fragmentation");

    /**
     * A count: digits, optionally grouped with underscores ({@code 40_000_000}), or a whole
     * number in scientific notation ({@code 4e7}, {@code 2.5e6}).
     */
    static final class Count implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().replace("_", "");
            BigDecimal d;
            try {
                d = new BigDecimal(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
            }
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is "
                        + (d.stripTrailingZeros().scale() > 0 ? "not a whole number" : "out of range (a count is at most "
                        + Long.MAX_VALUE + ")"));
            }
        }
    }

    private static PeerRunner peerRunner(Object command, double timeout) {
        if (!(timeout > 0)) {
            throw bad(command, "--peer-timeout must be positive, got " + timeout);
        }
        return new PeerRunner(PeerRunner.locate(jarDirectory()), Map.of(), timeout);
    }

    /** Prints the results; 1 if one computed a wrong answer (marked "unexpected"), else 0. */
    private static int report(Common common, List<BenchResult> results) {
        int status = 0;
        for (BenchResult r : results) {
            String wrong = Suite.unexpected(r);
            if (wrong != null) {
                r.put("unexpected", wrong);
                System.err.println("ephemera bench " + r.bench() + ": " + r.impl() + " computed a wrong answer: " + wrong);
                status = 1;
            }
        }
        common.print(results, System.out);
        return status;
    }

    @Command(name = "pauses", mixinStandardHelpOptions = true,
            description = {"Pauses with a large live heap: a list of N two-field cells kept live, then M two-field "
                + "allocations, every 16th stored into a ring of 10^6 array slots; every batch of 10,000 allocations "
                + "is timed (wall clock: the JVM's own collections are in it).",
                "Reports p50_ms, p99_ms and max_ms of the batch times, the allocation phase's seconds and the major "
                + "cycles during it. ephemera is the default heap (incremental), stw the same with "
                + "HeapConfig.incremental(false), ocaml the peer bench/peers/ocaml/pauses.ml."})
    static final class PausesCommand implements Callable<Integer> {
        @Option(names = "--live-cells", defaultValue = "1000000", paramLabel = "N", converter = Count.class,
                description = "Cells of the live list, 0 to 10^9; 4e7 style accepted (default ${DEFAULT-VALUE}).")
        long liveCells;

        @Option(names = "--allocs", defaultValue = "10000000", paramLabel = "M", converter = Count.class,
                description = "Allocations timed, 1 to 21474836470000, in batches of 10000 (the last one shorter if need be); "
                        + "2e8 style accepted (default ${DEFAULT-VALUE}).")
        long allocs;

        @Option(names = "--impl", defaultValue = "ephemera", description = "ephemera, stw, ocaml or all (default ${DEFAULT-VALUE}).")
        String impl;

        @Option(names = "--repeat", defaultValue = "1",
                description = "Measured runs per implementation; the median (by seconds) is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--no-warmup",
                description = "No untimed warm-up run (at most 10^6 cells and 10^7 allocations) before the measured ones.")
        boolean noWarmup;

        @Option(names = "--peer-timeout", defaultValue = "3600", paramLabel = "SECONDS",
                description = "Kill the OCaml run after this long (default ${DEFAULT-VALUE}).")
        double peerTimeout;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            String invalid = Pauses.invalid(liveCells, allocs);
            if (invalid != null) {
                throw bad(this, invalid);
            }
            checkRepeat(this, repeat);
            List<String> impls = impl.equals("all") ? List.of("ephemera", "stw", "ocaml") : List.of(impl);
            if (!List.of("ephemera", "stw", "ocaml").containsAll(impls)) {
                throw bad(this, "--impl must be ephemera, stw, ocaml or all, got " + impl);
            }
            PeerRunner peers = impls.contains("ocaml") ? peerRunner(this, peerTimeout) : null;
            List<BenchResult> results = new ArrayList<>();
            for (String i : impls) {
                if (i.equals("ocaml")) {
                    Case c = Case.of("pauses", "live_cells", liveCells, "allocs", allocs);
                    results.add(Runs.median(() -> peers.run("ocaml", "ocaml/pauses", c), repeat));
                } else {
                    results.add(Pauses.ephemera(liveCells, allocs, i.equals("ephemera"), repeat, !noWarmup));
                }
            }
            return report(common, results);
        }
    }

    @Command(name = "fragmentation", mixinStandardHelpOptions = true,
            description = {"Fragmentation and compaction: N two-field blocks held in an array, 63 of every 64 dropped, "
                + "a collection, then N/4 blocks of 13 fields kept, a collection again.",
                "Reports live_words and heap_words after each phase and compact_seconds, the seconds of each "
                + "collection: Gc.compact with --compaction explicit (the default), Gc.fullMajor at the default "
                + "max_overhead (500) with auto, Gc.fullMajor with max_overhead 1000000 (never compacts) with off. "
                + "ocaml is the peer bench/peers/ocaml/fragmentation.ml."})
    static final class FragmentationCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "10000000", paramLabel = "N", converter = Count.class,
                description = "Two-field blocks allocated, 64 to 10^8; 1e7 style accepted (default ${DEFAULT-VALUE}).")
        long n;

        @Option(names = "--compaction", defaultValue = "explicit",
                description = "explicit, auto, off or all (default ${DEFAULT-VALUE}).")
        String compaction;

        @Option(names = "--impl", defaultValue = "ephemera", description = "ephemera, ocaml or all (default ${DEFAULT-VALUE}).")
        String impl;

        @Option(names = "--repeat", defaultValue = "1",
                description = "Measured runs per implementation and mode; the median (by seconds) is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--no-warmup",
                description = "No untimed warm-up run (at most N = 10^6) before the measured ones.")
        boolean noWarmup;

        @Option(names = "--peer-timeout", defaultValue = "3600", paramLabel = "SECONDS",
                description = "Kill the OCaml run after this long (default ${DEFAULT-VALUE}).")
        double peerTimeout;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            List<String> modes = compaction.equals("all") ? Fragmentation.MODES : List.of(compaction);
            for (String mode : modes) {
                String invalid = Fragmentation.invalid(n, mode);
                if (invalid != null) {
                    throw bad(this, invalid.replace("explicit, auto or off", "explicit, auto, off or all"));
                }
            }
            checkRepeat(this, repeat);
            List<String> impls = impl.equals("all") ? List.of("ephemera", "ocaml") : List.of(impl);
            if (!List.of("ephemera", "ocaml").containsAll(impls)) {
                throw bad(this, "--impl must be ephemera, ocaml or all, got " + impl);
            }
            PeerRunner peers = impls.contains("ocaml") ? peerRunner(this, peerTimeout) : null;
            int size = (int) n;
            List<BenchResult> results = new ArrayList<>();
            for (String mode : modes) {
                for (String i : impls) {
                    if (i.equals("ocaml")) {
                        Case c = Case.of("fragmentation", "n", size, "compaction", mode);
                        results.add(Runs.median(() -> peers.run("ocaml", "ocaml/fragmentation", c), repeat));
                    } else if (noWarmup) {
                        results.add(Runs.median(() -> Fragmentation.once(size, mode), repeat));
                    } else {
                        results.add(Runs.medianAfterWarmUp(() -> Fragmentation.once(Math.min(size, WARM_UP_N), mode),
                                () -> Fragmentation.once(size, mode), repeat));
                    }
                }
            }
            return report(common, results);
        }
    }
}
