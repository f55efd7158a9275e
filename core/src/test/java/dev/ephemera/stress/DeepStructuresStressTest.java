package dev.ephemera.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import org.junit.jupiter.api.Test;

/**
 * Structures deep enough that any recursion on the Java stack, or any quadratic pass, would
 * show: a ten-million-element list through minor and major collections, and a million-long
 * ephemeron chain (ephemeron i has key k(i) and data k(i+1); only k(0) is a root) in both
 * creation orders, kept whole while k(0) lives and cleared whole when it dies. The heap runs
 * its verifier after every collection (checked mode).
 */
class DeepStructuresStressTest {
    private static final int LIST = 10_000_000;
    private static final int CHAIN = 1_000_000;

    @Test
    void aTenMillionElementListSurvivesMinorAndMajorCollectionsAndIsFreedWhenDropped() {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(false)); Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            for (int i = 0; i < LIST; i++) {
                list.set(heap.alloc(0, Value.ofInt(i), list.get()));
            }
            heap.gc().major();
            heap.verify();
            long n = 0;
            long sum = 0;
            for (long v = list.get(); v != Value.NONE; v = heap.field(v, 1)) {
                sum += Value.intOf(heap.field(v, 0));
                n++;
            }
            assertThat(n).isEqualTo(LIST);
            assertThat(sum).isEqualTo((long) LIST * (LIST - 1) / 2);
            assertThat(heap.gc().stat().liveWords).isGreaterThanOrEqualTo(3L * LIST);
            list.set(Value.NONE);
            heap.gc().fullMajor();
            heap.verify();
            assertThat(heap.gc().stat().liveWords).isZero();
        }
    }

    @Test
    void aMillionLongEphemeronChainCreatedFromItsEndIsKeptWholeThenClearedWhole() {
        chain(i -> CHAIN - 1 - i);
    }

    @Test
    void aMillionLongEphemeronChainCreatedFromItsStartIsKeptWholeThenClearedWhole() {
        chain(i -> i);
    }

    /**
     * Keys k(0..CHAIN) are blocks holding their index, found through a large array; ephemeron
     * i = K1.make(k(i), k(i+1)), created in the order {@code order} gives, kept in another large
     * array. Then only k(0) (and the array of ephemerons) stay roots.
     */
    private static void chain(java.util.function.IntUnaryOperator order) {
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(false)); Scope s = heap.openScope()) {
            Handle keys = s.handle(heap.allocBlock(0, CHAIN + 1));
            for (int i = 0; i <= CHAIN; i++) {
                long k = heap.alloc(1, Value.ofInt(i));
                heap.setField(keys.get(), i, k);
            }
            Handle ephemerons = s.handle(heap.allocBlock(0, CHAIN));
            for (int j = 0; j < CHAIN; j++) {
                int i = order.applyAsInt(j);
                long e = heap.ephemerons().k1().make(heap.field(keys.get(), i), heap.field(keys.get(), i + 1));
                heap.setField(ephemerons.get(), i, e);
            }
            Handle k0 = s.handle(heap.field(keys.get(), 0));
            keys.set(Value.NONE);
            heap.gc().fullMajor();
            heap.verify();
            for (int i = 0; i < CHAIN; i++) {
                long data = heap.ephemerons().k1().getData(heap.field(ephemerons.get(), i));
                assertThat(data).as("data of ephemeron %d", i).isNotEqualTo(Value.NONE);
                assertThat(heap.field(data, 0)).isEqualTo(Value.ofInt(i + 1));
            }
            k0.set(Value.NONE);
            heap.gc().fullMajor();
            heap.verify();
            for (int i = 0; i < CHAIN; i++) {
                long e = heap.field(ephemerons.get(), i);
                assertThat(heap.ephemerons().k1().checkKey(e) || heap.ephemerons().k1().checkData(e))
                        .as("ephemeron %d still holds something once k(0) died", i).isFalse();
            }
            ephemerons.set(Value.NONE);
            heap.gc().fullMajor();
            assertThat(heap.gc().stat().liveWords).isZero();
        }
    }
}
