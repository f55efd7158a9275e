package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;

class RootsTest {
    @Test
    void handlesKeepValuesAcrossCollectionsAndAreReleasedWithTheirScope() {
        try (Heap heap = TestHeaps.tiny()) {
            GlobalRoot weak;
            try (Scope s = heap.openScope()) {
                Handle h = s.handle(heap.allocString("kept"));
                weak = heap.newWeakRoot(h.get());
                heap.gc().fullMajor();
                assertThat(heap.stringValue(h.get())).isEqualTo("kept");
            }
            heap.gc().fullMajor();
            assertThat(weak.get()).as("released with its scope").isEqualTo(Value.NONE);
        }
    }

    @Test
    void scopesCloseInnermostFirstAndClosedHandlesAreRefused() {
        try (Heap heap = TestHeaps.tiny()) {
            Scope outer = heap.openScope();
            Handle h = outer.handle(Value.ofInt(1));
            Scope inner = heap.openScope();
            assertThatThrownBy(outer::close).isInstanceOf(ScopeClosedException.class).hasMessageContaining("Scope.close");
            assertThatThrownBy(() -> outer.handle(Value.ofInt(2))).isInstanceOf(ScopeClosedException.class)
                    .hasMessageContaining("innermost");
            inner.close();
            inner.close(); // idempotent
            outer.close();
            assertThatThrownBy(h::get).isInstanceOf(ScopeClosedException.class).hasMessageContaining("Handle.get");
            assertThatThrownBy(() -> h.set(Value.ofInt(3))).isInstanceOf(ScopeClosedException.class);
            try (Scope again = heap.openScope()) {
                assertThat(again.handle(Value.ofInt(4)).get()).isEqualTo(Value.ofInt(4));
            }
            heap.verify();
        }
    }

    @Test
    void globalRootsAreStrongOrWeakAndCanBeReleased() {
        try (Heap heap = TestHeaps.tiny()) {
            GlobalRoot strong = heap.newGlobalRoot(heap.allocString("strong"));
            GlobalRoot weak = heap.newWeakRoot(strong.get());
            GlobalRoot weakOnly = heap.newWeakRoot(heap.allocString("weak only"));
            heap.gc().fullMajor();
            assertThat(heap.stringValue(strong.get())).isEqualTo("strong");
            assertThat(weak.get()).isEqualTo(strong.get());
            assertThat(weakOnly.get()).isEqualTo(Value.NONE);
            strong.set(Value.ofInt(0));
            heap.gc().fullMajor();
            assertThat(weak.get()).isEqualTo(Value.NONE);
            strong.close();
            strong.close();
            assertThatThrownBy(strong::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
            assertThat(strong.rank()).isEqualTo(Rank.STRONG);
        }
    }

    @Test
    void rootAreasAreScannedAndUpdatedInPlaceUpToTheirUsedCount() {
        try (Heap heap = TestHeaps.tiny()) {
            RootArea area = heap.newRootArea(2, Rank.STRONG);
            for (int i = 0; i < 100; i++) {
                area.push(heap.alloc(0, Value.ofInt(i)));
            }
            assertThat(area.capacity()).isGreaterThanOrEqualTo(100);
            heap.gc().fullMajor();
            for (int i = 0; i < 100; i++) {
                assertThat(Value.intOf(heap.field(area.get(i), 0))).isEqualTo(i);
            }
            long[] slots = area.slots();
            assertThat(Value.intOf(heap.field(slots[99], 0))).isEqualTo(99);
            GlobalRoot watch = heap.newWeakRoot(area.get(99));
            area.setUsed(50); // slots beyond 50 are no longer roots
            heap.gc().fullMajor();
            assertThat(watch.get()).isEqualTo(Value.NONE);
            assertThatThrownBy(() -> area.get(50)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("RootArea.get");
            assertThat(Value.intOf(heap.field(area.pop(), 0))).isEqualTo(49);
            area.close();
            heap.gc().fullMajor();
            assertThatThrownBy(() -> area.push(Value.ofInt(0))).isInstanceOf(IllegalStateException.class);
            heap.verify();
        }
    }

    @Test
    void allocationRootsItsOwnArgumentsSoTheObviousCodeIsCorrect() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256).verifyEveryCollection(true));
             Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < 5000; i++) {
                // Both arguments are evaluated before the allocation that may move them: safe.
                list.set(heap.alloc(0, heap.allocString("n" + i), list.get()));
                // An argument that allocates must come before any raw read in the same list.
                long d = heap.allocDouble(i);
                list.set(heap.allocFields(1, list.get(), d, Value.ofInt(i)));
            }
            int n = 0;
            for (long v = list.get(); v != Value.NONE; v = heap.field(heap.field(v, 0), 1)) {
                int i = 4999 - n;
                assertThat(Value.intOf(heap.field(v, 2))).isEqualTo(i);
                assertThat(heap.doubleValue(heap.field(v, 1))).isEqualTo(i);
                assertThat(heap.stringValue(heap.field(heap.field(v, 0), 0))).isEqualTo("n" + i);
                n++;
            }
            assertThat(n).isEqualTo(5000);
        }
    }

    @Test
    void checkedModeCatchesARawPointerReadBeforeAnotherAllocationInTheSameArgumentList() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(256)); Scope s = heap.openScope()) {
            Handle h = s.handle(heap.allocString("x"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) {
                    // h.get() is read, then allocString may move its block: a stale pointer.
                    h.set(heap.alloc(0, h.get(), heap.allocString("s".repeat(i % 13))));
                }
            }).isInstanceOf(StalePointerException.class).hasMessageContaining("Heap.alloc");
            heap.verify();
        }
    }
}
