package dev.ephemera.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.ChildJvm;
import dev.ephemera.gc.GcConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exhaustion is always a {@code HeapExhaustedException}, never the JVM's
 * {@code OutOfMemoryError}: a growing heap in a JVM of 64 MiB, with the
 * default maximum heap (derived from the JVM's maximum memory) and with no maximum at all (the
 * JVM's refusal is reported as exhaustion, and the heap stays consistent). The old default, an
 * unlimited heap, ended a growing list in an {@code OutOfMemoryError} in the middle of a
 * collection.
 */
class JvmMemoryTest {
    /** Unchecked mode: the verifier after every collection would dominate the run; it runs at the checkpoints. */
    private static ChildJvm.Result run(String mode, boolean checked) {
        return ChildJvm.run(JvmMemoryScenario.class,
                List.of("-Xmx64m", "-Xss8m", "-Dephemera.checked=" + checked), 150, mode);
    }

    @Test
    void theDefaultMaximumIsDerivedFromTheJvmsAndLeavesItHeadroom() {
        long jvm = 4L << 30;
        long max = GcConfig.defaultMaxHeapWords(jvm, 256 * 1024);
        assertThat(max * 8).isLessThan(jvm / 2).isGreaterThan(jvm * 2 / 5);
        assertThat(GcConfig.defaultMaxHeapWords(16L << 20, 256 * 1024)).isEqualTo(GcConfig.MIN_DEFAULT_MAX_HEAP_WORDS);
        assertThat(GcConfig.defaultMaxHeapWords(Long.MAX_VALUE, 256 * 1024)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aGrowingListUnderTheDefaultMaximumEndsInHeapExhaustion() {
        ChildJvm.Result r = run("default", false);
        assertThat(r.output()).contains("OK default").doesNotContain("OutOfMemoryError escaped");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void withNoMaximumTheJvmsRefusalDuringPromotionIsReportedAsExhaustion() {
        ChildJvm.Result r = run("unlimited-list", false);
        assertThat(r.output()).contains("OK unlimited-list").contains("the JVM is out of memory");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void aNurseryOrRootAreaTheJvmCannotGiveIsRefusedAsExhaustionAndTheHeapStaysUsable() {
        ChildJvm.Result r = run("refused-sizes", true);
        assertThat(r.output()).contains("OK refused-sizes").contains("refusals reported, heap usable");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void withNoMaximumTheJvmsRefusalOfALargeBlockIsReportedAsExhaustion() {
        ChildJvm.Result r = run("unlimited-arrays", false);
        assertThat(r.output()).contains("OK unlimited-arrays").contains("the JVM is out of memory");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
