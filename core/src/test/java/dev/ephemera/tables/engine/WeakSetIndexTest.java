package dev.ephemera.tables.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.object.Value;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bucket of a weak set's element is OCaml's {@code get_index}, {@code (h land max_int) mod
 * (Array.length t.table)}, whichever division computes it: the int one taken for hashes below
 * 2^31, the long one above.
 */
class WeakSetIndexTest {
    private static int ocaml(long h, int buckets) {
        return (int) ((h & Value.MAX_INT) % buckets);
    }

    @Test
    void bucketIsOcamlsGetIndexOnBothSidesOfTheIntRange() {
        long[] edges = {0, 1, 7, (1L << 30) - 1, 1L << 30, Integer.MAX_VALUE - 1L, Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L, 1L << 32, Value.MAX_INT, Value.MAX_INT + 1, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        int[] sizes = {1, 2, 3, 1024, 1539, 65_521, Integer.MAX_VALUE};
        for (long h : edges) {
            for (int n : sizes) {
                assertThat(WeakSetEngine.indexOf(h, n)).as("h=%d n=%d", h, n).isEqualTo(ocaml(h, n));
            }
        }
        Random r = new Random(13);
        for (int k = 0; k < 100_000; k++) {
            long h = k % 2 == 0 ? r.nextInt() & 0x3FFF_FFFF : r.nextLong();
            int n = 1 + r.nextInt(k % 3 == 0 ? 1_000_000 : Integer.MAX_VALUE);
            int i = WeakSetEngine.indexOf(h, n);
            assertThat(i).as("h=%d n=%d", h, n).isEqualTo(ocaml(h, n)).isBetween(0, n - 1);
        }
    }
}
