package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The capacity policy of the collector's work lists. */
class LongStackTest {
    private static LongStack filled(int n) {
        LongStack s = new LongStack(4);
        for (int i = 0; i < n; i++) {
            s.push(i);
        }
        return s;
    }

    @Test
    void pushPopAndGrowth() {
        LongStack s = filled(100_000);
        assertThat(s.size()).isEqualTo(100_000);
        assertThat(s.items.length).isGreaterThanOrEqualTo(100_000);
        for (int i = 99_999; i >= 0; i--) {
            assertThat(s.pop()).isEqualTo(i);
        }
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void emptyingKeepsTheStorageHoweverLittleTheNextUse() {
        LongStack s = filled(100_000);
        long[] storage = s.items;
        s.empty();
        s.push(1);
        s.empty(); // a minor collection's small use, inside a major cycle
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.items).as("kept for the next cycle").isSameAs(storage);
        s.trim(); // the next cycle starts: the peak since the last trim was 100,000
        assertThat(s.items).as("the last cycle needed it").isSameAs(storage);
        s.push(1);
        s.empty();
        s.trim(); // a whole cycle that used one slot
        assertThat(s.items.length).as("given back: twice the peak, at least 1024").isEqualTo(1024);
    }

    @Test
    void clearJudgesFromTheUseSinceTheLastClear() {
        LongStack s = filled(100_000);
        long[] storage = s.items;
        s.clear();
        assertThat(s.items).as("just used in full").isSameAs(storage);
        s.push(1);
        s.clear();
        assertThat(s.items.length).as("a burst does not pin memory").isEqualTo(1024);
        LongStack small = filled(4000);
        long[] smallStorage = small.items;
        small.clear();
        small.clear();
        assertThat(small.items).as("small stacks are never shrunk").isSameAs(smallStorage);
    }
}
