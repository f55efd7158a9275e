package dev.ephemera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pauses workload: what a run reports, and the arithmetic behind it (no timing is asserted). */
class PausesTest {
    /** The fields the issue names, then ours. */
    static final List<String> ISSUE_FIELDS =
            List.of("bench", "impl", "live_cells", "allocs", "seconds", "p50_ms", "p99_ms", "max_ms", "major_collections");

    @Test
    void aSmallRunReportsTheIssuesFieldsAndConsistentNumbers() {
        for (boolean incremental : new boolean[] {true, false}) {
            BenchResult r = Pauses.once(5_000, 100_000, incremental);
            assertThat(r.fields().keySet()).startsWith(ISSUE_FIELDS.toArray(new String[0]));
            assertThat(r.fields().keySet()).contains("major_slices", "heap_words", "jvm_gc_pauses_max_ms", "list_length",
                    "ring_sum", "batches", "max_batch", "peak_heap_words");
            assertThat(r.bench()).isEqualTo("pauses");
            assertThat(r.impl()).isEqualTo(incremental ? "ephemera" : "stw");
            assertThat(r.get("incremental")).isEqualTo(incremental);
            assertThat(r.get("live_cells")).isEqualTo(5_000L);
            assertThat(r.get("allocs")).isEqualTo(100_000L);
            assertThat(r.get("batches")).isEqualTo(10);
            assertThat(r.number("max_batch")).isBetween(0.0, 9.0);
            assertThat(r.get("list_length")).isEqualTo(5_000L);
            assertThat(r.get("ring_sum")).isEqualTo(Pauses.expectedRingSum(100_000));
            assertThat(r.number("p50_ms")).isPositive();
            assertThat(r.number("p99_ms")).isGreaterThanOrEqualTo(r.number("p50_ms"));
            assertThat(r.number("max_ms")).isGreaterThanOrEqualTo(r.number("p99_ms"));
            // the batches are inside the allocation phase, so their longest is too
            assertThat(r.number("seconds") * 1e3).isGreaterThanOrEqualTo(r.number("max_ms"));
            assertThat(r.number("major_collections")).isGreaterThanOrEqualTo(0);
            assertThat(r.number("minor_collections")).as("300,000 words of pairs overflow the 256k-word nursery").isPositive();
            assertThat(r.number("heap_words")).isGreaterThanOrEqualTo(3 * 5_000 + Pauses.RING + 1);
            assertThat(r.number("jvm_gc_pauses_max_ms")).isGreaterThanOrEqualTo(0);
            List<?> uptime = (List<?>) r.get("phase_uptime_s");
            assertThat(uptime).hasSize(2);
            assertThat((Double) uptime.get(1)).isGreaterThanOrEqualTo((Double) uptime.get(0));
            assertThat(dev.ephemera.bench.suite.Suite.unexpected(r)).isNull();
        }
    }

    /**
     * The warm-up runs the benchmark as given when it is small (and once more in a small
     * nursery), returning that run's result, whose checks hold as a measured run's do; the
     * small-nursery run is an eighth of the allocations in whole batches, capped.
     */
    @Test
    void theWarmUpRunsTheBenchmarkScaledDown() {
        for (boolean incremental : new boolean[] {true, false}) {
            BenchResult r = Pauses.warmUp(1_000, 20_000, incremental);
            assertThat(r.get("live_cells")).isEqualTo(1_000L);
            assertThat(r.get("allocs")).isEqualTo(20_000L);
            assertThat(r.get("incremental")).isEqualTo(incremental);
            assertThat(r.get("list_length")).isEqualTo(1_000L);
            assertThat(r.get("ring_sum")).isEqualTo(Pauses.expectedRingSum(20_000));
        }
        assertThat(Pauses.smallNurseryAllocs(200_000_000)).isEqualTo(25_000_000);
        assertThat(Pauses.smallNurseryAllocs(2_000_000_000)).isEqualTo(Pauses.WARM_UP_SMALL_NURSERY_ALLOCS);
        assertThat(Pauses.smallNurseryAllocs(1_000_000)).isEqualTo(120_000);
        assertThat(Pauses.smallNurseryAllocs(10_000)).isEqualTo(Pauses.BATCH);
    }

    @Test
    void theRingWrapsAroundAsThePeerComputesIt() {
        // a ring of 1,000 slots (10^6 in the benchmark, where it takes 1.6 * 10^7 allocations to wrap):
        // 20,000 allocations are 1,250 stores, so slots 0..249 are written twice (last by stores
        // 1000..1249, pairs (16 j, 16 j)) and slots 250..999 once (by stores 250..999)
        BenchResult r = Pauses.once(0, 20_000, true, 1_000);
        long wrapped = 16L * ((1_000L + 1_249) * 250 / 2 + (250L + 999) * 750 / 2);
        assertThat(Pauses.expectedRingSum(20_000, 1_000)).isEqualTo(wrapped);
        assertThat(r.get("ring_sum")).isEqualTo(wrapped);
        assertThat(r.get("list_length")).isEqualTo(0L);
    }

    @Test
    void theExpectedRingSumIsTheLastPairStoredInEachSlot() {
        for (long allocs : new long[] {1, 16, 17, 10_000, 16L * Pauses.RING, 16L * Pauses.RING + 1, 35L * Pauses.RING + 7}) {
            long[] ring = new long[Pauses.RING];
            for (long k = 0; k < allocs; k += Pauses.STORE_EVERY) {
                ring[(int) ((k / Pauses.STORE_EVERY) % Pauses.RING)] = k;
            }
            long sum = 0;
            for (long v : ring) {
                sum += v;
            }
            assertThat(Pauses.expectedRingSum(allocs)).as("allocs=" + allocs).isEqualTo(sum);
        }
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Pauses.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Pauses.percentile(hundred, 99)).isEqualTo(99);
        assertThat(Pauses.percentile(hundred, 100)).isEqualTo(100);
        long[] five = {10, 20, 30, 40, 50};
        assertThat(Pauses.percentile(five, 50)).isEqualTo(30); // ceil(2.5) = 3rd
        assertThat(Pauses.percentile(five, 99)).isEqualTo(50);
        assertThat(Pauses.percentile(new long[] {7}, 1)).isEqualTo(7);
        assertThatThrownBy(() -> Pauses.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badSizesAreRefusedWithTheReason() {
        assertThat(Pauses.invalid(0, 10_000)).isNull();
        assertThat(Pauses.invalid(-1, 10_000)).isEqualTo("--live-cells must be in [0, 1000000000], got -1");
        assertThat(Pauses.invalid(10, 0)).contains("--allocs must be in [1, 21474836470000], got 0");
        assertThat(Pauses.invalid(10, -3)).isEqualTo("--allocs must be in [1, 21474836470000], got -3");
        assertThat(Pauses.invalid(10, 21_474_836_470_000L)).isNull();
        assertThat(Pauses.invalid(10, 21_474_836_470_001L)).contains("got 21474836470001");
        assertThat(Pauses.invalid(10, Long.MAX_VALUE)).contains("got " + Long.MAX_VALUE);
        assertThatThrownBy(() -> Pauses.once(10, 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--allocs");
    }

    /** A count that is not a multiple of the batch size ends with a shorter batch: every allocation is made once. */
    @Test
    void allocationsNotAMultipleOfTheBatchEndInAShorterBatch() {
        assertThat(Pauses.batches(1)).isEqualTo(1);
        assertThat(Pauses.batches(10_000)).isEqualTo(1);
        assertThat(Pauses.batches(10_001)).isEqualTo(2);
        assertThat(Pauses.batches(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 10_000 + 1);
        // 10,001 and 20,017 end with an allocation that is stored (k mod 16 = 0): a last batch cut short changes ring_sum
        for (long allocs : new long[] {5, 10_001, 20_017, 34_567}) {
            BenchResult r = Pauses.once(100, allocs, true);
            assertThat(r.get("batches")).isEqualTo((int) Pauses.batches(allocs));
            assertThat(r.get("ring_sum")).as("allocs %d", allocs).isEqualTo(Pauses.expectedRingSum(allocs));
            assertThat(dev.ephemera.bench.suite.Suite.unexpected(r)).isNull();
        }
    }
}
