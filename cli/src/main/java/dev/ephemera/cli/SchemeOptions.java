package dev.ephemera.cli;

import dev.ephemera.HeapConfig;
import dev.ephemera.scheme.Scheme;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * Heap options shared by {@code repl} and {@code run}. The maximum heap is the library's
 * default unless given: derived from the JVM's maximum memory, so a runaway allocation ends in a
 * clean "heap exhausted" error rather than the JVM running out of memory.
 */
final class SchemeOptions {
    static final int MIN_MINOR_HEAP_WORDS = 256;
    static final int MAX_MINOR_HEAP_WORDS = 1 << 28;
    static final long MIN_MAX_HEAP_WORDS = 4096;

    @Option(names = "--minor-heap-words", paramLabel = "WORDS",
            description = "Nursery size in words, 256 to 2^28 (default 262144).")
    Integer minorHeapWords;

    @Option(names = "--max-heap-words", paramLabel = "WORDS",
            description = "Largest major heap in words, at least 4096 (default: derived from the JVM's maximum memory).")
    Long maxHeapWords;

    @Option(names = "--gc-log", description = "Print one line per minor collection, major cycle and compaction to standard error.")
    boolean gcLog;

    @Option(names = "--gc-log-slices",
            description = "Like --gc-log, plus a line per major slice (its work and pause).")
    boolean gcLogSlices;

    /** A value of an option that the heap cannot take. */
    static final class InvalidOption extends RuntimeException {
        InvalidOption(String message) {
            super(message, null, false, false);
        }
    }

    /** The heap configuration these options ask for; throws {@link InvalidOption} for a bad value. */
    HeapConfig config() {
        HeapConfig config = HeapConfig.defaults();
        if (minorHeapWords != null) {
            if (minorHeapWords < MIN_MINOR_HEAP_WORDS || minorHeapWords > MAX_MINOR_HEAP_WORDS) {
                throw new InvalidOption("--minor-heap-words " + minorHeapWords + " is out of range: the nursery must be "
                        + MIN_MINOR_HEAP_WORDS + " to " + MAX_MINOR_HEAP_WORDS + " words");
            }
            apply("--minor-heap-words " + minorHeapWords, () -> config.minorHeapWords(minorHeapWords));
        }
        if (maxHeapWords != null) {
            if (maxHeapWords < MIN_MAX_HEAP_WORDS) {
                throw new InvalidOption("--max-heap-words " + maxHeapWords + " is too small: the heap needs at least "
                        + MIN_MAX_HEAP_WORDS + " words");
            }
            apply("--max-heap-words " + maxHeapWords, () -> config.maxHeapWords(maxHeapWords));
        }
        if (gcLog || gcLogSlices) {
            config.gcLog(System.err::println).gcLogSlices(gcLogSlices);
        }
        return config;
    }

    /** Applies one setting; a limit the heap has and this class does not know is still one line. */
    private static void apply(String option, Runnable setting) {
        try {
            setting.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidOption(option + " is not accepted: " + e.getMessage());
        }
    }

    /**
     * Checks the options before a session starts: prints {@code ephemera COMMAND: <problem>} on
     * {@code err} and returns false if one is bad.
     */
    boolean check(String command, PrintStream err) {
        try {
            config();
            return true;
        } catch (InvalidOption e) {
            err.println("ephemera " + command + ": " + e.getMessage());
            return false;
        }
    }

    /** A new interpreter configured by these options. */
    Scheme create() {
        return Scheme.create(config());
    }
}
