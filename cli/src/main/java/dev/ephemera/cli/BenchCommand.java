package dev.ephemera.cli;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.BinaryTrees;
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
        subcommands = {BenchCommand.BinaryTreesCommand.class})
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
                results.add(BinaryTrees.ephemera(depth));
            }
            if (impl.equals("jvm") || impl.equals("all")) {
                results.add(BinaryTrees.jvm(depth));
            }
            if (results.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--impl must be ephemera, jvm or all, got " + impl);
            }
            common.print(results, System.out);
            return 0;
        }
    }
}
