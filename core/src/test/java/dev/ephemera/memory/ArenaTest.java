package dev.ephemera.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArenaTest {
    @Test
    void addressesSplitIntoChunkIndexAndOffset() {
        long a = Arena.address(7, 123);
        assertThat(Arena.indexOf(a)).isEqualTo(7);
        assertThat(Arena.offsetOf(a)).isEqualTo(123);
        assertThat(Arena.offsetOf(Arena.address(1, Integer.MAX_VALUE - 1))).isEqualTo(Integer.MAX_VALUE - 1);
    }

    @Test
    void chunksAreZeroedReadableWritableAndIndexZeroIsNeverMapped() {
        Arena arena = new Arena();
        long base = arena.allocateChunk(100, (byte) 1);
        assertThat(Arena.indexOf(base)).isPositive();
        assertThat(arena.read(base + 99)).isZero();
        arena.write(base + 5, 42);
        assertThat(arena.read(base + 5)).isEqualTo(42);
        assertThat(arena.mappedWords()).isEqualTo(100);
        assertThat(arena.isMapped(0)).isFalse();
        assertThat(arena.isMapped(base + 99)).isTrue();
        assertThat(arena.isMapped(base + 100)).isFalse();
        assertThat(arena.kindOf(base)).isEqualTo((byte) 1);
    }

    @Test
    void copyHandlesOverlapAndFillFillsARange() {
        Arena arena = new Arena();
        long base = arena.allocateChunk(10, (byte) 1);
        for (int i = 0; i < 10; i++) {
            arena.write(base + i, i);
        }
        arena.copy(base, base + 2, 5);
        assertThat(arena.read(base + 2)).isEqualTo(0);
        assertThat(arena.read(base + 6)).isEqualTo(4);
        arena.fill(base + 8, 2, -1);
        assertThat(arena.read(base + 9)).isEqualTo(-1);
    }

    @Test
    void releasedIndicesAreReusedAndUnmappedReadsFailLoudly() {
        Arena arena = new Arena();
        long a = arena.allocateChunk(8, (byte) 2);
        int index = Arena.indexOf(a);
        arena.release(index);
        assertThat(arena.isMapped(a)).isFalse();
        assertThat(arena.mappedWords()).isZero();
        assertThatThrownBy(() -> arena.read(a)).isInstanceOf(NullPointerException.class);
        long b = arena.allocateChunk(8, (byte) 2);
        assertThat(Arena.indexOf(b)).isEqualTo(index);
    }

    @Test
    void mapAndUnmapAtAReservedIndex() {
        Arena arena = new Arena();
        int index = arena.reserveIndex();
        long[] storage = new long[4];
        arena.map(index, storage, (byte) 3);
        assertThat(arena.storage(index)).isSameAs(storage);
        assertThatThrownBy(() -> arena.map(index, new long[1], (byte) 3)).isInstanceOf(IllegalStateException.class);
        assertThat(arena.unmap(index)).isSameAs(storage);
        assertThatThrownBy(() -> arena.unmap(index)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> arena.map(index, storage, Arena.KIND_UNMAPPED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> arena.allocateChunk(0, (byte) 1)).hasMessageContaining("Arena.allocateChunk");
    }
}
