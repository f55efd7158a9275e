package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The verifier must notice each kind of broken invariant. */
class VerifierTest {
    private static GcConfig config() {
        GcConfig c = new GcConfig();
        c.minorHeapWords = 1024;
        c.initialHeapWords = 4096;
        return c;
    }

    /**
     * A stack of strong root slots registered with {@code c}, as the API's root stacks are: what
     * these tests keep their blocks in.
     */
    private static final class TestRoots implements RootRegion {
        private final long[] slots = new long[8];
        private int used;

        TestRoots(Collector c) {
            c.roots().addRegion(this, false);
        }

        int push(long v) {
            slots[used] = v;
            return used++;
        }

        long get(int slot) {
            return slots[slot];
        }

        void set(int slot, long v) {
            slots[slot] = v;
        }

        void popTo(int mark) {
            Arrays.fill(slots, mark, used, Value.NONE);
            used = mark;
        }

        @Override
        public long[] slots() {
            return slots;
        }

        @Override
        public int used() {
            return used;
        }
    }

    @Test
    void aHealthyHeapPasses() {
        Collector c = new Collector(config());
        TestRoots roots = new TestRoots(c);
        long v = c.allocator().allocate(2, 0);
        roots.push(v);
        c.minor();
        assertThatCode(() -> c.verify("test")).doesNotThrowAnyException();
    }

    @Test
    void aPointerToAFreeCellIsCaught() {
        Collector c = new Collector(config());
        TestRoots roots = new TestRoots(c);
        int slot = roots.push(c.allocator().allocate(2, 0));
        int victim = roots.push(c.allocator().allocate(2, 0));
        c.major();
        long old = roots.get(slot);
        c.barrier().storeField(old, 0, roots.get(victim));
        roots.set(victim, Value.NONE);
        long victimValue = c.arena().read(Value.addressOf(old));
        roots.popTo(1);
        // Free the victim behind the verifier's back by dropping every reference but a raw one.
        c.barrier().storeField(old, 0, Value.NONE);
        c.major();
        c.arena().write(Value.addressOf(old), victimValue);
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("free cell");
    }

    @Test
    void anOldToYoungPointerMissingFromTheRememberedSetIsCaught() {
        Collector c = new Collector(config());
        TestRoots roots = new TestRoots(c);
        int slot = roots.push(c.allocator().allocate(2, 0));
        c.major();
        long old = roots.get(slot);
        long young = c.allocator().allocate(1, 0);
        c.arena().write(Value.addressOf(old), young); // a store that bypasses the write barrier
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("remembered set");
    }

    @Test
    void aStalePointerIntoARetiredNurseryIsCaught() {
        Collector c = new Collector(config());
        TestRoots roots = new TestRoots(c);
        long young = c.allocator().allocate(1, 0);
        roots.push(young);
        roots.push(Value.ofInt(0));
        c.minor();
        roots.set(1, young); // the pre-collection address
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("unmapped");
    }

    /** Runs a cycle with one live block, then colours that block black, as a cycle must not leave it. */
    private static void leaveAMarkAfterACycle(Collector c) {
        TestRoots roots = new TestRoots(c);
        int slot = roots.push(c.allocator().allocate(2, 0));
        c.major();
        long a = Value.addressOf(roots.get(slot)) - 1;
        c.arena().write(a, Header.withColour(c.arena().read(a), Header.BLACK));
    }

    @Test
    void aLeftoverMarkIsCaught() {
        Collector c = new Collector(config());
        leaveAMarkAfterACycle(c);
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("colour");
    }

    @Test
    void aHeapTheVerifierFindsCorruptAfterACollectionRefusesLaterCollections() {
        GcConfig config = config();
        config.verify = true;
        Collector c = new Collector(config);
        leaveAMarkAfterACycle(c);
        assertThatThrownBy(c::minor).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("after minor collection").hasMessageContaining("colour");
        assertThatThrownBy(c::major).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("refused").hasMessageContaining("colour");
    }

    @Test
    void aHeapFoundCorruptOnRequestRefusesLaterCollections() {
        Collector c = new Collector(config());
        leaveAMarkAfterACycle(c);
        assertThatThrownBy(() -> c.verify("on request")).isInstanceOf(HeapCorruptionError.class);
        assertThatThrownBy(c::minor).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("refused").hasMessageContaining("on request");
    }
}
