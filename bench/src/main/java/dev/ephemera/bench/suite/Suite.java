package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.BinaryTrees;
import dev.ephemera.bench.EphemeronChain;
import dev.ephemera.bench.Finalise;
import dev.ephemera.bench.Fragmentation;
import dev.ephemera.bench.Pauses;
import dev.ephemera.bench.Runs;
import dev.ephemera.bench.WeakKeyMaps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The macro suite: binary-trees, ephemeron-chain, memo-table, hashcons, finalise, pauses and
 * fragmentation, each case
 * with ephemera first and, with peers, the same workload on every other implementation:
 *
 * <table>
 *   <caption>implementations per benchmark</caption>
 *   <tr><th>benchmark</th><th>peers</th></tr>
 *   <tr><td>binary-trees</td><td>ocaml, jvm (plain Java objects)</td></tr>
 *   <tr><td>ephemeron-chain</td><td>ocaml</td></tr>
 *   <tr><td>memo-table</td><td>ocaml, chez, weakhashmap, guava, caffeine</td></tr>
 *   <tr><td>hashcons</td><td>ocaml</td></tr>
 *   <tr><td>finalise</td><td>ocaml</td></tr>
 *   <tr><td>pauses</td><td>stw (ephemera stop-the-world), ocaml</td></tr>
 *   <tr><td>fragmentation (explicit, auto, off)</td><td>ocaml</td></tr>
 * </table>
 *
 * <p>It also says what a correct run computes ({@link #unexpected}), so a wrong answer is never
 * reported as a fast one.
 */
public final class Suite {
    /** The benchmarks, in the order the suite runs them. */
    public static final List<String> BENCHMARKS =
            List.of("binary-trees", "ephemeron-chain", "memo-table", "hashcons", "finalise", "pauses", "fragmentation");

    /** Largest sizes of the warm-up runs (one per benchmark and in-JVM implementation). */
    private static final int WARM_DEPTH = 16;
    private static final int WARM_N = Runs.WARM_UP_MAX_N;

    private Suite() {}

    /**
     * The suite's workloads at the given sizes.
     *
     * @param peers null for ephemera alone; else the runner of the peer programs (the in-JVM
     *     baselines come with it)
     */
    public static List<Workload> macro(Sizes sizes, PeerRunner peers) {
        List<Workload> w = new ArrayList<>();
        w.add(binaryTrees(sizes.binaryTreesDepth, peers));
        int chainWarm = Math.min(WARM_N, Collections.max(sizes.chainSizes));
        for (int n : sizes.chainSizes) {
            for (String order : List.of("fwd", "rev", "random")) {
                w.add(ephemeronChain(n, order, chainWarm, peers));
            }
        }
        w.add(memoTable(sizes.memoTableN, peers));
        w.add(hashcons(sizes.hashconsN, peers));
        w.add(finalise(sizes.finaliseN, peers));
        for (int cells : sizes.pausesLiveCells) {
            w.add(pauses(cells, sizes.pausesAllocs, peers));
        }
        for (String mode : Fragmentation.MODES) {
            w.add(fragmentation(sizes.fragmentationN, mode, peers));
        }
        return w;
    }

    static Workload binaryTrees(int depth, PeerRunner peers) {
        Case c = Case.of("binary-trees", "depth", depth);
        int warm = Math.min(depth, WARM_DEPTH);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> BinaryTrees.ephemera(depth), () -> BinaryTrees.ephemera(warm)));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/binary_trees", c));
            impls.add(new Impl("jvm", Impl.Kind.JVM, () -> BinaryTrees.jvm(depth), () -> BinaryTrees.jvm(warm)));
        }
        return new Workload(c, impls);
    }

    static Workload ephemeronChain(int n, String order, int warmN, PeerRunner peers) {
        Case c = Case.of("ephemeron-chain", "n", n, "order", order, "drop_root", false);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> EphemeronChain.once(n, order, false),
                () -> EphemeronChain.once(warmN, order, false)));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/ephemeron_chain", c));
        }
        return new Workload(c, impls);
    }

    static Workload memoTable(int n, PeerRunner peers) {
        Case c = Case.of("memo-table", "n", n, "keys", "dead");
        Case warm = Case.of("memo-table", "n", Math.min(n, WARM_N), "keys", "dead");
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> TablesWorkloads.memoTable(c), () -> TablesWorkloads.memoTable(warm)));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/memo_table", c));
            impls.add(peer(peers, "chez", "chez/memo_table", c));
            impls.add(new Impl("weakhashmap", Impl.Kind.JVM, () -> TablesWorkloads.weakHashMap(c), () -> TablesWorkloads.weakHashMap(warm)));
            for (WeakKeyMaps.Kind k : List.of(WeakKeyMaps.Kind.GUAVA, WeakKeyMaps.Kind.CAFFEINE)) {
                impls.add(new Impl(k.impl, Impl.Kind.JVM, () -> WeakKeyMaps.memoTable(k, n, false),
                        () -> WeakKeyMaps.memoTable(k, Math.min(n, WARM_N), false)));
            }
        }
        return new Workload(c, impls);
    }

    static Workload hashcons(int n, PeerRunner peers) {
        Case c = Case.of("hashcons", "n", n);
        Case warm = Case.of("hashcons", "n", Math.min(n, WARM_N));
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> TablesWorkloads.hashcons(c), () -> TablesWorkloads.hashcons(warm)));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/hashcons", c));
        }
        return new Workload(c, impls);
    }

    static Workload finalise(int n, PeerRunner peers) {
        Case c = Case.of("finalise", "n", n);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> Finalise.once(n), () -> Finalise.once(Math.min(n, WARM_N))));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/finalise", c));
        }
        return new Workload(c, impls);
    }

    static Workload pauses(int liveCells, int allocs, PeerRunner peers) {
        Case c = Case.of("pauses", "live_cells", liveCells, "allocs", allocs);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> Pauses.once(liveCells, allocs, true),
                () -> Pauses.warmUp(liveCells, allocs, true)));
        if (peers != null) {
            impls.add(new Impl("stw", Impl.Kind.JVM, () -> Pauses.once(liveCells, allocs, false),
                    () -> Pauses.warmUp(liveCells, allocs, false)));
            impls.add(peer(peers, "ocaml", "ocaml/pauses", c));
        }
        return new Workload(c, impls);
    }

    static Workload fragmentation(int n, String compaction, PeerRunner peers) {
        Case c = Case.of("fragmentation", "n", n, "compaction", compaction);
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("ephemera", Impl.Kind.EPHEMERA, () -> Fragmentation.once(n, compaction),
                () -> Fragmentation.once(Math.min(n, WARM_N), compaction)));
        if (peers != null) {
            impls.add(peer(peers, "ocaml", "ocaml/fragmentation", c));
        }
        return new Workload(c, impls);
    }

    private static Impl peer(PeerRunner peers, String impl, String program, Case c) {
        return new Impl(impl, Impl.Kind.PROCESS, () -> peers.run(impl, program, c), null);
    }

    /**
     * What is wrong with a result, or null when it computed what the workload must compute.
     * The JVM's weak-key maps are expected to keep every memo-table entry (their documented
     * leak); every other implementation must free them all.
     */
    public static String unexpected(BenchResult r) {
        if (r.skipped() != null) {
            return null;
        }
        long n = (long) r.number("n");
        switch (r.bench()) {
            case "binary-trees": {
                long want = binaryTreesCheck((int) r.number("depth"));
                return r.number("check") == want ? null : "check=" + fmt(r.get("check")) + ", expected " + want;
            }
            case "ephemeron-chain": {
                boolean drop = Boolean.TRUE.equals(r.get("drop_root"));
                long full = drop ? 0 : n;
                long cleared = drop ? n : 0;
                return r.number("data_full") == full && r.number("cleared") == cleared ? null
                        : "data_full=" + fmt(r.get("data_full")) + " cleared=" + fmt(r.get("cleared"))
                          + ", expected " + full + " and " + cleared;
            }
            case "memo-table": {
                boolean live = "live".equals(r.get("keys"));
                boolean leaks = List.of("weakhashmap", "guava", "caffeine").contains(r.impl());
                long want = live || leaks ? n : 0;
                return r.number("alive") == want ? null : "alive=" + fmt(r.get("alive")) + ", expected " + want;
            }
            case "hashcons": {
                long hits = n / 2;
                long misses = n - n / 2;
                long count = (n + 9) / 10;
                return r.number("hits") == hits && r.number("misses") == misses && r.number("count") == count ? null
                        : "hits=" + fmt(r.get("hits")) + " misses=" + fmt(r.get("misses")) + " count=" + fmt(r.get("count"))
                          + ", expected " + hits + ", " + misses + ", " + count;
            }
            case "finalise":
                return r.number("first_called") == n && r.number("last_called") == n ? null
                        : "first_called=" + fmt(r.get("first_called")) + " last_called=" + fmt(r.get("last_called"))
                          + ", expected " + n;
            case "pauses": {
                long cells = (long) r.number("live_cells");
                long allocs = (long) r.number("allocs");
                long sum = Pauses.expectedRingSum(allocs);
                return r.number("list_length") == cells && r.number("batches") == Pauses.batches(allocs)
                        && r.number("ring_sum") == sum ? null
                        : "list_length=" + fmt(r.get("list_length")) + " batches=" + fmt(r.get("batches"))
                          + " ring_sum=" + fmt(r.get("ring_sum")) + ", expected " + cells + ", "
                          + Pauses.batches(allocs) + ", " + sum;
            }
            case "fragmentation": {
                long pairs = Fragmentation.expectedPairs(n);
                long blocks = Fragmentation.expectedBlocks(n);
                long check = Fragmentation.expectedCheck(n);
                return r.number("pairs") == pairs && r.number("blocks") == blocks && r.number("check") == check ? null
                        : "pairs=" + fmt(r.get("pairs")) + " blocks=" + fmt(r.get("blocks")) + " check=" + fmt(r.get("check"))
                          + ", expected " + pairs + ", " + blocks + ", " + check;
            }
            default:
                return null;
        }
    }

    /** The sum of every check value binary-trees prints at this depth (306883246 at 20). */
    public static long binaryTreesCheck(int depth) {
        int max = Math.max(6, depth);
        long total = nodes(max + 1) + nodes(max);
        for (int d = 4; d <= max; d += 2) {
            total += (1L << (max - d + 4)) * nodes(d);
        }
        return total;
    }

    private static long nodes(int depth) {
        return (1L << (depth + 1)) - 1;
    }

    private static String fmt(Object o) {
        return String.valueOf(o);
    }
}
