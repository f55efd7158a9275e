package dev.ephemera.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The owner-thread and closed-heap checks: here in checked mode, and in a JVM in unchecked mode,
 * where the allocation and accessor fast paths used to skip them (after {@code close()} most
 * operations threw {@code NullPointerException} or succeeded, and {@code Handle.get} returned a
 * raw pointer in both modes).
 */
class OwnerAndClosedChecksTest {
    @Test
    void everyOperationRefusesAnotherThreadAndAClosedHeapInCheckedMode() {
        List<String> problems = OwnerAndClosedChecks.problems();
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationRefusesAnotherThreadAndAClosedHeapInUncheckedMode() {
        ChildJvm.Result r = ChildJvm.run(OwnerAndClosedChecks.class,
                List.of("-Dephemera.checked=false", "-Xss8m", "-Xmx512m"), 120);
        assertThat(r.output()).contains("checked mode false").contains(" 0 problems");
        assertThat(r.exitCode()).isZero();
    }
}
