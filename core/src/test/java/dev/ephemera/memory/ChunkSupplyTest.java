package dev.ephemera.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkSupplyTest {
    @Test
    void chunksArePreparedInTheBackgroundUpToTheTarget() throws InterruptedException {
        ChunkSupply supply = new ChunkSupply();
        long[] first = supply.take();
        assertThat(first).hasSize(ChunkSupply.STANDARD_WORDS);
        assertThat(supply.takenFresh()).as("none ready yet: the owner allocates").isEqualTo(1);
        awaitReady(supply, 1);
        assertThat(supply.readyCount()).as("one chunk prepared by the background thread").isEqualTo(1);

        supply.keepReady(3);
        awaitReady(supply, 3);
        assertThat(supply.readyCount()).isEqualTo(3);
        long[] second = supply.take();
        assertThat(second).hasSize(ChunkSupply.STANDARD_WORDS).isNotSameAs(first);
        assertThat(second[0]).isZero();
        assertThat(second[ChunkSupply.STANDARD_WORDS - 1]).isZero();
        assertThat(supply.takenReady()).isEqualTo(1);
        awaitReady(supply, 3);
        assertThat(supply.readyCount()).as("taking refills up to the target").isEqualTo(3);

        supply.keepReady(ChunkSupply.MAX_READY + 5);
        awaitReady(supply, ChunkSupply.MAX_READY);
        assertThat(supply.readyCount()).as("the target is clamped").isEqualTo(ChunkSupply.MAX_READY);

        supply.drop();
        assertThat(supply.readyCount()).isZero();
        supply.take();
        assertThat(supply.takenFresh()).as("dropped: taken fresh").isEqualTo(2);
        Thread.sleep(200);
        assertThat(supply.readyCount()).as("dropped: nothing prepared until a target is set again").isZero();

        supply.keepReady(1);
        awaitReady(supply, 1);
        supply.close();
        assertThat(supply.readyCount()).isZero();
        assertThat(supply.take()).as("a closed supply still allocates").hasSize(ChunkSupply.STANDARD_WORDS);
        Thread.sleep(200);
        assertThat(supply.readyCount()).as("a closed supply prepares nothing").isZero();
    }

    private static void awaitReady(ChunkSupply supply, int n) throws InterruptedException {
        for (int i = 0; i < 600 && supply.readyCount() < n; i++) {
            Thread.sleep(20);
        }
    }

    @Test
    void theOwnerWaitsForTheChunkBeingPreparedInsteadOfAllocatingASecondOne() {
        ChunkSupply supply = new ChunkSupply(60_000); // a bound no loaded machine reaches
        supply.take();
        assertThat(supply.takenFresh()).as("nothing was being prepared: the owner allocates").isEqualTo(1);
        // The first take started the background thread on a chunk; taking again at once finds
        // it under way (or done) and waits for it.
        long[] second = supply.take();
        assertThat(second).hasSize(ChunkSupply.STANDARD_WORDS);
        assertThat(second[ChunkSupply.STANDARD_WORDS - 1]).isZero();
        assertThat(supply.takenFresh()).as("the chunk under way was waited for").isEqualTo(1);
        assertThat(supply.takenReady()).isEqualTo(1);
        supply.close();
    }

    @Test
    void anInterruptedOwnerAllocatesItselfAndKeepsItsInterrupt() {
        ChunkSupply supply = new ChunkSupply(60_000);
        supply.take();
        Thread.currentThread().interrupt();
        try {
            long[] c = supply.take();
            assertThat(c).hasSize(ChunkSupply.STANDARD_WORDS);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is the caller's").isTrue();
        } finally {
            Thread.interrupted();
            supply.close();
        }
    }

    @Test
    void aStandardChunkIsTwoMiBUnderParallelOrSerialAndSixteenElseWithItsArrayHeader() {
        boolean parallelOrSerial = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .anyMatch(n -> n.startsWith("PS ") || n.equals("Copy") || n.equals("MarkSweepCompact"));
        long bytes = (long) ChunkSupply.STANDARD_WORDS * Long.BYTES + 16;
        assertThat(bytes).isEqualTo(parallelOrSerial ? 2L << 20 : 16L << 20);
    }
}
