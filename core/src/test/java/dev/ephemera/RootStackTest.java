package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;

/** The root stack: the one way code built on the heap keeps values across allocation. */
class RootStackTest {
    @Test
    void pushedValuesSurviveCollectionsAndAreUpdatedWhenTheyMove() {
        try (Heap heap = TestHeaps.tiny(); RootStack stack = heap.newRootStack()) {
            int mark = stack.mark();
            assertThat(mark).isZero();
            for (int i = 0; i < 100; i++) { // past the initial capacity: the stack grows
                assertThat(stack.push(heap.alloc(0, Value.ofInt(i)))).isEqualTo(i);
            }
            long young = stack.get(99);
            heap.gc().fullMajor();
            assertThat(stack.get(99)).isNotEqualTo(young); // moved, and the slot followed it
            for (int i = 0; i < 100; i++) {
                assertThat(Value.intOf(heap.field(stack.get(i), 0))).isEqualTo(i);
            }
            stack.set(0, Value.ofInt(7));
            assertThat(stack.get(0)).isEqualTo(Value.ofInt(7));
            stack.popTo(mark);
            assertThat(stack.mark()).isZero();
            heap.verify();
        }
    }

    @Test
    void framesNestAndPoppingUnrootsTheirValues() {
        try (Heap heap = TestHeaps.tiny(); RootStack stack = heap.newRootStack()) {
            int outer = stack.mark();
            int kept = stack.push(heap.allocString("outer"));
            int inner = stack.mark();
            stack.push(heap.allocString("inner"));
            GlobalRoot watch = heap.newWeakRoot(stack.get(inner));
            stack.popTo(inner);
            heap.gc().fullMajor();
            assertThat(watch.get()).isEqualTo(Value.NONE);
            assertThat(heap.stringValue(stack.get(kept))).isEqualTo("outer");
            assertThat(stack.push(Value.ofInt(1))).isEqualTo(inner); // the popped slot is reused
            stack.popTo(outer);
            watch.close();
        }
    }

    @Test
    void allocationsAndScopesKeepTheirValuesOnTheHeapsOwnStackNotOnAnotherOne() {
        try (Heap heap = TestHeaps.tiny(); RootStack stack = heap.newRootStack(); Scope s = heap.openScope()) {
            Handle h = s.handle(heap.allocString("handle"));
            long list = heap.alloc(0, h.get(), Value.ofInt(0));
            assertThat(stack.mark()).isZero();
            stack.push(list);
            heap.gc().fullMajor();
            assertThat(heap.stringValue(heap.field(stack.get(0), 0))).isEqualTo("handle");
            assertThat(heap.stringValue(h.get())).isEqualTo("handle");
        }
    }

    @Test
    void badSlotsAndMarksAreRefusedNamingTheOperation() {
        try (Heap heap = TestHeaps.tiny(); RootStack stack = heap.newRootStack()) {
            stack.push(Value.ofInt(1));
            assertThatThrownBy(() -> stack.get(1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("RootStack.get").hasMessageContaining("slot 1");
            assertThatThrownBy(() -> stack.get(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("RootStack.get");
            assertThatThrownBy(() -> stack.set(1, Value.ofInt(2))).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("RootStack.set");
            assertThatThrownBy(() -> stack.popTo(2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("RootStack.popTo").hasMessageContaining("mark 2");
            assertThatThrownBy(() -> stack.popTo(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("RootStack.popTo");
            assertThat(stack.get(0)).isEqualTo(Value.ofInt(1)); // the stack is unchanged
        }
    }

    @Test
    void aClosedStackRootsNothingAndRefusesEveryOperation() {
        try (Heap heap = TestHeaps.tiny()) {
            RootStack stack = heap.newRootStack();
            stack.push(heap.allocString("gone"));
            GlobalRoot watch = heap.newWeakRoot(stack.get(0));
            stack.close();
            stack.close(); // harmless
            heap.gc().fullMajor();
            assertThat(watch.get()).isEqualTo(Value.NONE);
            assertThatThrownBy(stack::mark).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RootStack.mark: the root stack was closed");
            assertThatThrownBy(() -> stack.push(Value.ofInt(0))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RootStack.push");
            assertThatThrownBy(() -> stack.get(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RootStack.get");
            assertThatThrownBy(() -> stack.popTo(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RootStack.popTo");
            heap.verify();
        }
    }

    @Test
    void aClosedHeapRefusesItsStacks() {
        Heap heap = TestHeaps.tiny();
        RootStack stack = heap.newRootStack();
        stack.push(Value.ofInt(1));
        heap.close();
        assertThatThrownBy(() -> heap.newRootStack()).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("Heap.newRootStack");
        assertThatThrownBy(() -> stack.get(0)).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("RootStack.get");
        assertThatThrownBy(() -> stack.push(Value.ofInt(2))).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("RootStack.push");
        assertThatThrownBy(() -> stack.set(0, Value.ofInt(2))).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("RootStack.set");
        assertThatThrownBy(stack::mark).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("RootStack.mark");
        assertThatThrownBy(() -> stack.popTo(0)).isInstanceOf(HeapClosedException.class)
                .hasMessageContaining("RootStack.popTo");
        stack.close(); // closing a stack of a closed heap is harmless, as closing twice is
        assertThatThrownBy(() -> stack.get(0)).isInstanceOf(HeapClosedException.class);
    }
}
