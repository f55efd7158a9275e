package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tables have OCaml's shape: the same operations on the same keys give the same
 * {@code stats} as OCaml 4.13.1 (bucket count, resize policy, bucket index, hash of K2/Kn
 * keys), and {@code find_all} the same order. The expected lines in
 * {@code ocaml-table-stats.tsv} were printed by {@code ocaml-table-stats.ml} (in the same
 * directory; how to build it is in its header), with immediates as keys so no key ever dies.
 */
@ExtendWith(TableValidation.class)
class OcamlTableStatsTest {
    private static final HashedType INT = HashedType.of(OcamlHash::hash, (heap, a, b) -> a == b);

    private static Map<String, String> expected() throws IOException {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = OcamlTableStatsTest.class.getResourceAsStream("/ocaml-table-stats.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("#")) {
                    String[] c = line.split("\t", 2);
                    m.put(c[0], c[1]);
                }
            }
        }
        return m;
    }

    private static String render(Statistics s) {
        StringBuilder b = new StringBuilder();
        b.append(s.numBindings()).append('\t').append(s.numBuckets()).append('\t').append(s.maxBucketLength()).append('\t');
        int[] h = s.bucketHistogram();
        for (int i = 0; i < h.length; i++) {
            b.append(i == 0 ? "" : " ").append(h[i]);
        }
        return b.toString();
    }

    private static long i(long n) {
        return Value.ofInt(n);
    }

    @Test
    void k1TablesHaveOcamlsStatistics() throws IOException {
        Map<String, String> want = expected();
        Heap heap = TableHeaps.small();
        K1Table k1 = K1Table.make(heap, INT);
        try (GlobalRoot root = heap.newGlobalRoot(k1.create(16))) {
            for (int n = 0; n < 1000; n++) {
                k1.add(root.get(), i(n), i(n * 2));
            }
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-add-1000"));
            for (int n = 0; n < 500; n++) {
                k1.replace(root.get(), i(n), i(n));
            }
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-add-1000-replace-500"));
            for (int n = 0; n < 1000; n += 2) {
                k1.remove(root.get(), i(n));
            }
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-remove-evens"));
            for (int n = 0; n < 100; n++) {
                k1.add(root.get(), i(7), i(n));
            }
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-add-7-x100"));
            long[] all = k1.findAll(root.get(), i(7));
            String rendered = Arrays.stream(all).mapToObj(v -> Long.toString(Value.intOf(v)))
                    .reduce((a, b) -> a + " " + b).orElse("");
            assertThat(rendered).isEqualTo(want.get("k1-find-all-7"));
            k1.reset(root.get());
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-reset"));
            root.set(k1.create(1000));
            for (int n = 0; n < 5000; n++) {
                k1.replace(root.get(), i(n * 37L), i(n));
            }
            assertThat(render(k1.stats(root.get()))).isEqualTo(want.get("k1-create-1000-replace-5000"));
            assertThat(render(k1.stats(k1.create(-5)))).isEqualTo(want.get("k1-create-negative"));
        }
    }

    @Test
    void k2AndKnTablesHaveOcamlsStatistics() throws IOException {
        Map<String, String> want = expected();
        Heap heap = TableHeaps.small();
        K2Table k2 = K2Table.make(heap, INT, INT);
        try (GlobalRoot root = heap.newGlobalRoot(k2.create(16))) {
            for (int n = 0; n < 500; n++) {
                k2.add(root.get(), i(n), i(n * 7L), i(n));
            }
            assertThat(render(k2.stats(root.get()))).isEqualTo(want.get("k2-add-500"));
        }
        KnTable kn = KnTable.make(heap, INT);
        try (GlobalRoot root = heap.newGlobalRoot(kn.create(16))) {
            for (int n = 0; n < 300; n++) {
                kn.add(root.get(), new long[] {i(n), i(n + 1), i(n + 2)}, i(n));
            }
            for (int n = 0; n < 100; n++) {
                kn.replace(root.get(), new long[] {i(n)}, i(n));
            }
            assertThat(render(kn.stats(root.get()))).isEqualTo(want.get("kn-add-300-replace-100"));
        }
    }
}
