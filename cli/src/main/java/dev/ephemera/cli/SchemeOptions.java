package dev.ephemera.cli;

import dev.ephemera.HeapConfig;
import dev.ephemera.scheme.Scheme;
import picocli.CommandLine.Option;

/** Heap options shared by {@code repl} and {@code run}. */
final class SchemeOptions {
    @Option(names = "--minor-heap-words", description = "Nursery size in words (default 262144; at least 256).")
    Integer minorHeapWords;

    @Option(names = "--max-heap-words", description = "Largest major heap in words (default unlimited).")
    Long maxHeapWords;

    @Option(names = "--gc-log", description = "Print one line per collection to standard error.")
    boolean gcLog;

    /** A new interpreter configured by these options. */
    Scheme create() {
        HeapConfig config = HeapConfig.defaults();
        if (minorHeapWords != null) {
            config.minorHeapWords(minorHeapWords);
        }
        if (maxHeapWords != null) {
            config.maxHeapWords(maxHeapWords);
        }
        if (gcLog) {
            config.gcLog(System.err::println);
        }
        return Scheme.create(config);
    }
}
