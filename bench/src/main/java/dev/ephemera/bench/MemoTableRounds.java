package dev.ephemera.bench;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.tables.K1Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The rounds variant of memo-table behind the retention chart, on ephemera: each round replaces
 * {@code batch} fresh keys {@code {id}} with values {@code (k, id)} that refer to their keys
 * (the table and key type of {@link MemoTable}), drops the keys, runs a full major and records
 * the bindings alive ({@code (stats_alive h).num_bindings}). An ephemeron table frees every
 * binding whose key died, so every round ends at 0; {@link WeakKeyMaps#retention} is the same on
 * the JVM's maps, which end round r at r * batch.
 */
public final class MemoTableRounds {
    private MemoTableRounds() {}

    /** Bindings alive after each round's full major. */
    public static List<Long> ephemera(int rounds, int batch) {
        List<Long> retained = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            K1Table h = K1Table.make(heap, MemoTable.KEY);
            try (GlobalRoot table = heap.newGlobalRoot(h.create(16))) {
                int id = 0;
                for (int r = 0; r < rounds; r++) {
                    for (int j = 0; j < batch; j++, id++) {
                        long k = heap.alloc(0, Value.ofInt(id));
                        long d = heap.alloc(0, k, Value.ofInt(id)); // (k, id): roots k while allocating
                        h.replace(table.get(), heap.field(d, 0), d);
                    }
                    heap.gc().fullMajor();
                    retained.add(h.statsAlive(table.get()).numBindings());
                }
            }
        }
        return retained;
    }
}
