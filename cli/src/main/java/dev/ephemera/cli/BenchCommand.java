package dev.ephemera.cli;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.BinaryTrees;
import dev.ephemera.bench.EphemeronChain;
import dev.ephemera.bench.Finalise;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ephemera bench NAME ...}: the macro benchmarks. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark; --json prints one JSON object per measurement.",
        subcommands = {BenchCommand.BinaryTreesCommand.class, BenchCommand.EphemeronChainCommand.class,
            BenchCommand.FinaliseCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options every benchmark takes. */
    static final class Common {
        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        void print(List<BenchResult> results, PrintStream out) {
            for (BenchResult r : results) {
                out.println(json ? r.toJson() : r.toText());
            }
        }
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

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (depth < 4 || depth > 30) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--depth must be in [4, 30], got " + depth);
            }
            List<BenchResult> results = new ArrayList<>();
            if (impl.equals("ephemera") || impl.equals("all")) {
                results.add(BinaryTrees.ephemera(depth, repeat));
            }
            if (impl.equals("jvm") || impl.equals("all")) {
                results.add(BinaryTrees.jvm(depth, repeat));
            }
            if (results.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--impl must be ephemera, jvm or all, got " + impl);
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

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--n must be at least 1, got " + n);
            }
            if (!order.equals("fwd") && !order.equals("rev") && !order.equals("random")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--order must be fwd, rev or random, got " + order);
            }
            BenchResult r = EphemeronChain.ephemera(n, order, dropRoot, repeat);
            common.print(List.of(r), System.out);
            return Boolean.TRUE.equals(r.get("ok")) ? 0 : 1;
        }
    }

    @Command(name = "finalise", mixinStandardHelpOptions = true,
            description = "Register N finalise-first and N finalise-last values that die; collect and run them all.")
    static final class FinaliseCommand implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "100000", description = "Registrations of each kind (default ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--repeat", defaultValue = "3", description = "Measured runs after a warm-up; the median is reported (default ${DEFAULT-VALUE}).")
        int repeat;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            if (n < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--n must be at least 1, got " + n);
            }
            BenchResult r = Finalise.ephemera(n, repeat);
            common.print(List.of(r), System.out);
            return ((Number) r.get("first_called")).longValue() == n && ((Number) r.get("last_called")).longValue() == n ? 0 : 1;
        }
    }
}
