package dev.ephemera.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkSupplyTest {
    @Test
    void theFirstChunkIsAllocatedByTheOwnerAndTheNextPreparedInTheBackground() throws InterruptedException {
        ChunkSupply supply = new ChunkSupply();
        long[] first = supply.take();
        assertThat(first).hasSize(ChunkSupply.STANDARD_WORDS);
        assertThat(supply.takenFresh()).isEqualTo(1);
        for (int i = 0; i < 600 && supply.readyCount() == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(supply.readyCount()).as("a chunk prepared by the background thread").isEqualTo(1);
        long[] second = supply.take();
        assertThat(second).hasSize(ChunkSupply.STANDARD_WORDS).isNotSameAs(first);
        assertThat(second[0]).isZero();
        assertThat(second[ChunkSupply.STANDARD_WORDS - 1]).isZero();
        assertThat(supply.takenReady()).isEqualTo(1);
        supply.close();
        assertThat(supply.readyCount()).isZero();
        assertThat(supply.take()).as("a closed supply still allocates").hasSize(ChunkSupply.STANDARD_WORDS);
        assertThat(supply.readyCount()).isZero();
    }

    @Test
    void aStandardChunkFillsWholeG1RegionsWithItsArrayHeader() {
        long bytes = (long) ChunkSupply.STANDARD_WORDS * Long.BYTES + 16;
        assertThat(bytes).isEqualTo(16L << 20);
    }
}
