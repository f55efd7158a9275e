package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, line for line, with {@code System.out.println} replaced by
 * {@code out.add}: it must print what its comments say.
 */
class ReadmeExampleTest {
    @Test
    void theEmbeddingExamplePrintsWhatItsCommentsSay() {
        List<Object> out = new ArrayList<>();
        try (Heap heap = Heap.create(); Scope scope = heap.openScope()) {
            Handle key = scope.handle(heap.allocString("key"));            // a root, until the scope closes
            Handle data = scope.handle(heap.alloc(0, key.get(), Value.ofInt(42)));  // refers to its key
            Handle memo = scope.handle(heap.ephemerons().k1().make(key.get(), data.get()));
            data.set(Value.NONE);                                          // only the ephemeron holds it now
            heap.gc().finalise(v -> out.add("finalising " + heap.stringValue(v.get())), key.get());

            heap.gc().fullMajor();                                         // key alive: data kept
            out.add(heap.ephemerons().k1().checkData(memo.get()));        // true

            key.set(Value.NONE);                                           // drop the only strong reference
            heap.gc().fullMajor();                                         // "finalising key", then cleared
            out.add(heap.ephemerons().k1().checkData(memo.get()));        // false: no leak
        }
        assertThat(out).containsExactly(true, "finalising key", false);
    }
}
