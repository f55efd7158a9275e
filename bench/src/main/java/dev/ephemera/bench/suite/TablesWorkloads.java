package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.Hashcons;
import dev.ephemera.bench.MemoTable;
import dev.ephemera.bench.MemoTableRounds;
import java.util.List;

/** The memo-table and hashcons workloads on ephemera's tables, for a {@link Case}. */
public final class TablesWorkloads {
    private TablesWorkloads() {}

    /** memo-table on ephemera's K1 table. */
    public static BenchResult memoTable(Case c) {
        return MemoTable.ephemera(c.intParam("n"), "live".equals(c.params().get("keys")));
    }

    /** memo-table on java.util.WeakHashMap. */
    public static BenchResult weakHashMap(Case c) {
        return MemoTable.weakHashMap(c.intParam("n"), "live".equals(c.params().get("keys")));
    }

    /** The memo-table rounds on ephemera's K1 table: bindings alive after each round's full major. */
    public static List<Long> retention(int rounds, int batch) {
        return MemoTableRounds.ephemera(rounds, batch);
    }

    /** hashcons on ephemera's weak hash set. */
    public static BenchResult hashcons(Case c) {
        return Hashcons.ephemera(c.intParam("n"));
    }
}
