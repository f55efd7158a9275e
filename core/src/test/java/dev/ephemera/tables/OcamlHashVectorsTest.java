package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Scope;
import dev.ephemera.TestHeaps;
import dev.ephemera.object.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OcamlHash} against a real OCaml run. The vectors in {@code ocaml-hash-vectors.tsv} were
 * produced with OCaml 4.13.1 by {@code bench/peers/run-peer ocaml/hash_vectors} (see its header
 * line and {@code bench/peers/README.md}): each row names the entry point, its seed and limits,
 * an input in a small notation, and the number OCaml printed. Every row is rebuilt on the heap
 * and must hash to OCaml's number — before and after the value moves.
 */
class OcamlHashVectorsTest {
    private record Row(int line, String function, long seed, int meaningful, int total, String input, int expected) {}

    @Test
    void everyRowHashesToOcamlsNumber() throws IOException {
        List<Row> rows = readRows();
        assertThat(rows).hasSize(1121);
        try (Heap heap = TestHeaps.defaults()) {
            int checked = 0;
            for (Row row : rows) {
                try (Scope s = heap.openScope()) {
                    Handle v = s.handle(new Builder(heap, row.input).build());
                    int before = hash(heap, row, v.get());
                    assertThat(before).as("line %d: %s %s", row.line, row.function, abbreviated(row.input))
                            .isEqualTo(row.expected);
                    if (row.line % 7 == 0) {
                        heap.gc().minor(); // the value moves to the major heap; its hash must not change
                        assertThat(hash(heap, row, v.get())).as("line %d after moving", row.line).isEqualTo(row.expected);
                    }
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(1121);
        }
    }

    @Test
    void theShortcutsAgreeWithTheGeneralFunction() {
        try (Heap heap = TestHeaps.defaults()) {
            assertThat(OcamlHash.hashInt(0)).isEqualTo(129913994);
            for (long n : new long[] {0, 1, -1, 42, Value.MAX_INT, Value.MIN_INT, 1L << 40}) {
                assertThat(OcamlHash.hashInt(n)).isEqualTo(OcamlHash.seededHashParam(heap, 10, 100, 0, Value.ofInt(n)));
                assertThat(OcamlHash.hash(heap, Value.ofInt(n))).isEqualTo(OcamlHash.hashInt(n));
            }
        }
    }

    private static int hash(Heap heap, Row row, long v) {
        switch (row.function) {
            case "hash":
                return OcamlHash.hash(heap, v);
            case "seeded_hash":
                return OcamlHash.seededHash(heap, row.seed, v);
            case "hash_param":
                return OcamlHash.hashParam(heap, row.meaningful, row.total, v);
            case "seeded_hash_param":
                return OcamlHash.seededHashParam(heap, row.meaningful, row.total, row.seed, v);
            default:
                throw new AssertionError("line " + row.line + ": unknown function " + row.function);
        }
    }

    private static String abbreviated(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...(" + s.length() + " chars)";
    }

    private static List<Row> readRows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = OcamlHashVectorsTest.class.getResourceAsStream("/ocaml-hash-vectors.tsv")) {
            assertThat(in).as("ocaml-hash-vectors.tsv on the test class path").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                assertThat(c).as("line %d has 6 columns", n).hasSize(6);
                rows.add(new Row(n, c[0], c[1].equals("-") ? 0 : Long.parseLong(c[1]),
                        c[2].equals("-") ? 10 : Integer.parseInt(c[2]),
                        c[3].equals("-") ? 100 : Integer.parseInt(c[3]), c[4], Integer.parseInt(c[5])));
            }
        }
        return rows;
    }

    /**
     * Builds a heap value from the vectors' notation: {@code i:<decimal>} immediate,
     * {@code s:<hex>} string, {@code d:<16 hex>} boxed double with these bits,
     * {@code a(<16 hex> ...)} double array, {@code b<tag>(<field> ...)} block. Tag 251
     * (OCaml's Abstract) becomes an ephemeron, which is what our hash treats as abstract.
     * Children are kept in handles while their parent is allocated.
     */
    private static final class Builder {
        private final Heap heap;
        private final String s;
        private int pos;

        Builder(Heap heap, String s) {
            this.heap = heap;
            this.s = s;
        }

        long build() {
            long v = value();
            assertThat(pos).as("parsed all of the input").isEqualTo(s.length());
            return v;
        }

        private long value() {
            char c = s.charAt(pos);
            if (c == 'i') {
                expect("i:");
                return Value.ofInt(Long.parseLong(token()));
            }
            if (c == 's') {
                expect("s:");
                String hex = token();
                byte[] bytes = new byte[hex.length() / 2];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
                }
                return heap.allocBytes(bytes);
            }
            if (c == 'd') {
                expect("d:");
                long bits = Long.parseUnsignedLong(token(), 16);
                long d = heap.allocDouble(0.0);
                heap.setRawField(d, 0, bits); // exact bits, NaN payloads included
                return d;
            }
            if (c == 'a') {
                expect("a(");
                List<Long> bits = new ArrayList<>();
                while (s.charAt(pos) != ')') {
                    bits.add(Long.parseUnsignedLong(token(), 16));
                    skipSpace();
                }
                pos++;
                long a = heap.allocDoubleArray(new double[bits.size()]);
                for (int i = 0; i < bits.size(); i++) {
                    heap.setRawField(a, i, bits.get(i));
                }
                return a;
            }
            if (c == 'b') {
                pos++;
                int open = s.indexOf('(', pos);
                int tag = Integer.parseInt(s.substring(pos, open));
                pos = open + 1;
                try (Scope scope = heap.openScope()) {
                    List<Handle> fields = new ArrayList<>();
                    while (s.charAt(pos) != ')') {
                        long f = value(); // may allocate: earlier fields are in handles
                        fields.add(scope.handle(f));
                        skipSpace();
                    }
                    pos++;
                    if (tag == 251) {
                        long e = heap.ephemerons().create(fields.size());
                        for (int i = 0; i < fields.size(); i++) {
                            heap.ephemerons().setKey(e, i, fields.get(i).get());
                        }
                        return e;
                    }
                    long[] values = new long[fields.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = fields.get(i).get();
                    }
                    return heap.allocFields(tag, values);
                }
            }
            throw new AssertionError("unexpected '" + c + "' at " + pos);
        }

        private void expect(String prefix) {
            assertThat(s.startsWith(prefix, pos)).as("'%s' at %d", prefix, pos).isTrue();
            pos += prefix.length();
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != ')') {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void skipSpace() {
            if (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
