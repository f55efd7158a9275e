package dev.ephemera.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-page tables' segmented arrays: growing keeps every value and copies no segment. */
class SegmentedArraysTest {
    private static final int N = 5 * SegmentedInts.SEGMENT + 7; // past several segments and the root's first doubling

    @Test
    void intsKeepEveryValueAcrossSegmentsAsTheyGrow() {
        SegmentedInts a = new SegmentedInts();
        assertThat(a.capacity()).isZero();
        for (int i = 0; i < N; i++) {
            a.ensureCapacity(i + 1);
            assertThat(a.get(i)).as("a new entry reads 0").isZero();
            a.set(i, 31 * i + 1);
        }
        assertThat(a.capacity()).isGreaterThanOrEqualTo(N).isLessThan(N + SegmentedInts.SEGMENT);
        for (int i = 0; i < N; i++) {
            assertThat(a.get(i)).as("entry %d", i).isEqualTo(31 * i + 1);
        }
    }

    @Test
    void longsKeepEveryValueAcrossSegmentsAsTheyGrow() {
        SegmentedLongs a = new SegmentedLongs();
        a.ensureCapacity(N);
        for (int i = 0; i < N; i++) {
            a.set(i, (long) i << 33 | i);
        }
        a.ensureCapacity(2 * N); // growing again leaves the filled segments as they were
        for (int i = 0; i < N; i++) {
            assertThat(a.get(i)).as("entry %d", i).isEqualTo((long) i << 33 | i);
        }
        for (int i = N; i < 2 * N; i++) {
            assertThat(a.get(i)).isZero();
        }
    }

    @Test
    void ensuringLessThanTheCapacityChangesNothing() {
        SegmentedInts a = new SegmentedInts();
        a.ensureCapacity(3);
        int capacity = a.capacity();
        a.set(2, 9);
        a.ensureCapacity(1);
        assertThat(a.capacity()).isEqualTo(capacity);
        assertThat(a.get(2)).isEqualTo(9);
    }
}
