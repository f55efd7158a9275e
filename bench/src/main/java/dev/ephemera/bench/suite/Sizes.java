package dev.ephemera.bench.suite;

import java.util.List;

/**
 * The sizes the macro suite runs at. {@link #FULL} are the sizes of the figures in
 * docs/benchmarks.md and of the targets set for them; {@link #QUICK} runs the same cases small, so the whole suite
 * with every peer takes well under a minute (CI).
 */
public enum Sizes {
    /** The sizes of docs/benchmarks.md. */
    FULL(20, List.of(10_000, 300_000, 1_000_000), 1_000_000, 1_000_000, 1_000_000, 20, 50_000,
            List.of(10_000_000, 40_000_000), 200_000_000, 10_000_000),
    /** Small sizes for CI. */
    QUICK(12, List.of(1_000, 3_000, 10_000), 100_000, 100_000, 100_000, 8, 5_000,
            List.of(100_000), 1_000_000, 100_000);

    /** binary-trees {@code --depth}. */
    public final int binaryTreesDepth;
    /** ephemeron-chain {@code --n} values, each run in the fwd, rev and random orders. */
    public final List<Integer> chainSizes;
    /** memo-table {@code --n} (dead keys). */
    public final int memoTableN;
    /** hashcons {@code --n}. */
    public final int hashconsN;
    /** finalise {@code --n}. */
    public final int finaliseN;
    /** Rounds of the memo-table retention chart. */
    public final int retentionRounds;
    /** Entries inserted per round of the retention chart. */
    public final int retentionBatch;
    /** pauses {@code --live-cells} values. */
    public final List<Integer> pausesLiveCells;
    /** pauses {@code --allocs}. */
    public final int pausesAllocs;
    /** fragmentation {@code --n}, run with each {@code --compaction} mode. */
    public final int fragmentationN;

    Sizes(int binaryTreesDepth, List<Integer> chainSizes, int memoTableN, int hashconsN, int finaliseN,
          int retentionRounds, int retentionBatch, List<Integer> pausesLiveCells, int pausesAllocs,
          int fragmentationN) {
        this.binaryTreesDepth = binaryTreesDepth;
        this.chainSizes = chainSizes;
        this.memoTableN = memoTableN;
        this.hashconsN = hashconsN;
        this.finaliseN = finaliseN;
        this.retentionRounds = retentionRounds;
        this.retentionBatch = retentionBatch;
        this.pausesLiveCells = pausesLiveCells;
        this.pausesAllocs = pausesAllocs;
        this.fragmentationN = fragmentationN;
    }
}
