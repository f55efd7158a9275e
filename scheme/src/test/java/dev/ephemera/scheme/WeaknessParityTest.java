package dev.ephemera.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.tables.Hashtables;
import dev.ephemera.tables.Weakness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every weakness mode has one meaning: core's {@link Weakness}. For each scenario — which of the
 * key and the value is kept alive from outside the table, and which refers to the other — one
 * entry is made in a table of each of the seven modes, once directly on core {@link Hashtables}
 * and once by Scheme code ({@code make-eq-hashtable}); after {@code Gc.fullMajor} the entries
 * that survive must be the ones the table below says, in both.
 *
 * <p>The expected column lists, for the modes in {@link Weakness} order — none, weak-key,
 * weak-value, weak-key-and-value, ephemeral-key, ephemeral-value, ephemeral-key-and-value —
 * {@code 1} if the entry survives and {@code 0} if it is gone. It follows from docs/tables.md,
 * "Weakness modes": a weak part survives only if something outside the table, or a part the
 * table holds strongly, refers to it; an ephemeral part is held while the other part is alive.
 */
class WeaknessParityTest {
    /** Which part of the entry refers to the other. */
    enum Link { NEITHER, VALUE_TO_KEY, KEY_TO_VALUE, EACH_OTHER }

    @ParameterizedTest(name = "key kept {0}, value kept {1}, {2}: {3}")
    @CsvSource(textBlock = """
            # key kept, value kept, which refers to which, survivors (none wk wv wkv ek ev ekv)
            true,  true,  NEITHER,      1111111
            true,  false, NEITHER,      1100101
            false, true,  NEITHER,      1010011
            false, false, NEITHER,      1000000
            true,  true,  VALUE_TO_KEY, 1111111
            true,  false, VALUE_TO_KEY, 1100101
            false, true,  VALUE_TO_KEY, 1111111
            false, false, VALUE_TO_KEY, 1100000
            true,  true,  KEY_TO_VALUE, 1111111
            true,  false, KEY_TO_VALUE, 1111111
            false, true,  KEY_TO_VALUE, 1010011
            false, false, KEY_TO_VALUE, 1010000
            true,  true,  EACH_OTHER,   1111111
            true,  false, EACH_OTHER,   1111111
            false, true,  EACH_OTHER,   1111111
            false, false, EACH_OTHER,   1110000
            """)
    void eachModeKeepsTheSameEntriesThroughCoreAndThroughTheScheme(boolean keyKept, boolean valueKept, Link link,
                                                                  String expected) {
        String core = throughCore(keyKept, valueKept, link);
        String scheme = throughScheme(keyKept, valueKept, link);
        assertThat(core).as("core Hashtables").isEqualTo(expected);
        assertThat(scheme).as("the Scheme's hashtables").isEqualTo(core);
    }

    private static boolean valueRefersToKey(Link link) {
        return link == Link.VALUE_TO_KEY || link == Link.EACH_OTHER;
    }

    private static boolean keyRefersToValue(Link link) {
        return link == Link.KEY_TO_VALUE || link == Link.EACH_OTHER;
    }

    /**
     * The scenario on core: keys are blocks {@code [1, ref]}, values {@code [2, ref]}. Returns a
     * digit per mode: 1 if the table still holds exactly that entry.
     */
    private static String throughCore(boolean keyKept, boolean valueKept, Link link) {
        StringBuilder survivors = new StringBuilder();
        try (Heap heap = Heap.create()) {
            Hashtables tables = Hashtables.of(heap);
            List<GlobalRoot> roots = new ArrayList<>();
            for (Weakness w : Weakness.values()) {
                GlobalRoot t = heap.newGlobalRoot(tables.makeEq(w, 16));
                GlobalRoot key = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(1), Value.UNIT));
                GlobalRoot value = heap.newGlobalRoot(heap.alloc(0, Value.ofInt(2), Value.UNIT));
                if (valueRefersToKey(link)) {
                    heap.setField(value.get(), 1, key.get());
                }
                if (keyRefersToValue(link)) {
                    heap.setField(key.get(), 1, value.get());
                }
                tables.set(t.get(), key.get(), value.get());
                if (!keyKept) {
                    key.close();
                }
                if (!valueKept) {
                    value.close();
                }
                roots.add(t);
            }
            heap.gc().fullMajor();
            for (GlobalRoot t : roots) {
                List<String> entries = new ArrayList<>();
                tables.forEach(t.get(), (k, v) -> entries.add(heap.field(k, 0) + "," + heap.field(v, 0)));
                String one = Value.ofInt(1) + "," + Value.ofInt(2);
                assertThat(entries).as("entries of a table").isSubsetOf(one).hasSize((int) tables.size(t.get()));
                survivors.append(entries.size());
            }
            heap.verify();
        }
        return survivors.toString();
    }

    /** The same scenario by Scheme code: keys are vectors {@code #(key ref)}, values {@code #(value ref)}. */
    private static String throughScheme(boolean keyKept, boolean valueKept, Link link) {
        try (Scheme s = Scheme.create()) {
            s.eval("(define modes '(#f weak-key weak-value weak-key-and-value ephemeral-key ephemeral-value"
                    + "                 ephemeral-key-and-value))\n"
                    + "(define kept '())\n"
                    + "(define tables\n"
                    + "  (map (lambda (mode)\n"
                    + "         (let ((t (make-eq-hashtable 16 mode)) (k (vector 'key #f)) (v (vector 'value #f)))\n"
                    + "           (if " + scheme(valueRefersToKey(link)) + " (vector-set! v 1 k))\n"
                    + "           (if " + scheme(keyRefersToValue(link)) + " (vector-set! k 1 v))\n"
                    + "           (hashtable-set! t k v)\n"
                    + "           (if " + scheme(keyKept) + " (set! kept (cons k kept)))\n"
                    + "           (if " + scheme(valueKept) + " (set! kept (cons v kept)))\n"
                    + "           t))\n"
                    + "       modes))\n"
                    + "#t", "parity");
            s.heap().gc().fullMajor();
            String entries = s.evalToString("(map (lambda (t) (map (lambda (e) (list (vector-ref (car e) 0)"
                    + " (vector-ref (cdr e) 0))) (hashtable->alist t))) tables)");
            String sizes = s.evalToString("(apply string-append (map (lambda (t) (number->string (hashtable-size t)))"
                    + " tables))").replace("\"", "");
            StringBuilder expectedEntries = new StringBuilder("(");
            for (int i = 0; i < sizes.length(); i++) {
                expectedEntries.append(i > 0 ? " " : "").append(sizes.charAt(i) == '1' ? "((key value))" : "()");
            }
            assertThat(entries).as("the entries, as hashtable->alist lists them").isEqualTo(expectedEntries + ")");
            return sizes;
        }
    }

    private static String scheme(boolean b) {
        return b ? "#t" : "#f";
    }
}
