package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import org.junit.jupiter.api.Test;

/** The verifier must notice each kind of broken invariant. */
class VerifierTest {
    private static GcConfig config() {
        GcConfig c = new GcConfig();
        c.minorHeapWords = 1024;
        c.initialHeapWords = 4096;
        return c;
    }

    @Test
    void aHealthyHeapPasses() {
        Collector c = new Collector(config());
        long v = c.allocator().allocate(2, 0);
        c.roots().pushHandle(v);
        c.minor();
        assertThatCode(() -> c.verify("test")).doesNotThrowAnyException();
    }

    @Test
    void aPointerToAFreeCellIsCaught() {
        Collector c = new Collector(config());
        int slot = c.roots().pushHandle(c.allocator().allocate(2, 0));
        int victim = c.roots().pushHandle(c.allocator().allocate(2, 0));
        c.major();
        long old = c.roots().handle(slot);
        c.barrier().storeField(old, 0, c.roots().handle(victim));
        c.roots().setHandle(victim, Value.NONE);
        long victimValue = c.arena().read(Value.addressOf(old));
        c.roots().popHandlesTo(1);
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
        int slot = c.roots().pushHandle(c.allocator().allocate(2, 0));
        c.major();
        long old = c.roots().handle(slot);
        long young = c.allocator().allocate(1, 0);
        c.arena().write(Value.addressOf(old), young); // a store that bypasses the write barrier
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("remembered set");
    }

    @Test
    void aStalePointerIntoARetiredNurseryIsCaught() {
        Collector c = new Collector(config());
        long young = c.allocator().allocate(1, 0);
        c.roots().pushHandle(young);
        c.roots().pushHandle(Value.ofInt(0));
        c.minor();
        c.roots().setHandle(1, young); // the pre-collection address
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("unmapped");
    }

    @Test
    void aLeftoverMarkIsCaught() {
        Collector c = new Collector(config());
        int slot = c.roots().pushHandle(c.allocator().allocate(2, 0));
        c.major();
        long a = Value.addressOf(c.roots().handle(slot)) - 1;
        c.arena().write(a, Header.withColour(c.arena().read(a), Header.BLACK));
        assertThatThrownBy(() -> c.verify("test")).isInstanceOf(HeapCorruptionError.class)
                .hasMessageContaining("colour");
    }
}
