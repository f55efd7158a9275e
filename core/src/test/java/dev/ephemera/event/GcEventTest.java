package dev.ephemera.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A GcEvent's phase times: a copy, in the order the phases run, unmodifiable, with no null. */
class GcEventTest {
    private static GcEvent event(Map<Phase, Long> phases) {
        return new GcEvent(GcEvent.Kind.MAJOR, 1, "test", 10, 0, 0, 0, 0, 0, 0, phases);
    }

    @Test
    void phaseTimesAreACopyInPhaseOrder() {
        Map<Phase, Long> hashed = new HashMap<>();
        hashed.put(Phase.SWEEP, 5L);
        hashed.put(Phase.ROOTS, 1L);
        hashed.put(Phase.MARK, 3L);
        EnumMap<Phase, Long> collectors = new EnumMap<>(hashed);
        for (Map<Phase, Long> given : java.util.List.of(hashed, collectors)) {
            GcEvent e = event(given);
            given.put(Phase.CLEAN, 4L); // later changes to the caller's map do not show
            assertThat(new ArrayList<>(e.phaseNanos.keySet())).containsExactly(Phase.ROOTS, Phase.MARK, Phase.SWEEP);
            assertThat(e.phaseNanos).containsEntry(Phase.MARK, 3L);
            assertThatThrownBy(() -> e.phaseNanos.put(Phase.CLEAN, 1L)).isInstanceOf(UnsupportedOperationException.class);
            given.remove(Phase.CLEAN);
        }
        assertThat(event(Map.of()).phaseNanos).isEmpty();
    }

    @Test
    void nullPhaseTimesAreRefusedByName() {
        assertThatThrownBy(() -> event(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("GcEvent").hasMessageContaining("phaseNanos");
        EnumMap<Phase, Long> withNull = new EnumMap<>(Phase.class);
        withNull.put(Phase.MARK, null);
        assertThatThrownBy(() -> event(withNull)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("MARK");
        Map<Phase, Long> nullKey = new HashMap<>();
        nullKey.put(null, 1L);
        assertThatThrownBy(() -> event(nullKey)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("phase is null");
    }

    @Test
    void theFactoryByOrdinalCopiesLeavesOutZeroesAndIsUnmodifiable() {
        long[] byOrdinal = new long[Phase.values().length];
        byOrdinal[Phase.SWEEP.ordinal()] = 5;
        byOrdinal[Phase.ROOTS.ordinal()] = 1;
        byOrdinal[Phase.MARK.ordinal()] = 3;
        GcEvent e = GcEvent.of(GcEvent.Kind.MAJOR, 1, "test", 10, 0, 0, 0, 0, 0, 0, byOrdinal, 2, 7);
        byOrdinal[Phase.CLEAN.ordinal()] = 4; // later changes to the caller's array do not show
        assertThat(new ArrayList<>(e.phaseNanos.keySet())).containsExactly(Phase.ROOTS, Phase.MARK, Phase.SWEEP);
        assertThat(e.phaseNanos).hasSize(3).containsEntry(Phase.MARK, 3L).doesNotContainKey(Phase.CLEAN);
        assertThat(e.phaseNanos.get(Phase.CLEAN)).isNull();
        assertThat(e.phaseNanos.get("MARK")).isNull();
        EnumMap<Phase, Long> same = new EnumMap<>(Phase.class);
        same.put(Phase.ROOTS, 1L);
        same.put(Phase.MARK, 3L);
        same.put(Phase.SWEEP, 5L);
        assertThat(e.phaseNanos).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(e.work).isEqualTo(2);
        assertThat(e.maxPauseNanos).isEqualTo(7);
        assertThatThrownBy(() -> e.phaseNanos.put(Phase.CLEAN, 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.phaseNanos.keySet().remove(Phase.MARK)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.phaseNanos.entrySet().iterator().next().setValue(9L))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.phaseNanos.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.phaseNanos).hasSize(3);
        assertThat(e.logLine()).contains("[gc] major #1");
    }

    @Test
    void theFactoryRefusesAnArrayThatIsNotOnePerPhase() {
        assertThatThrownBy(() -> GcEvent.of(GcEvent.Kind.MINOR, 1, "test", 10, 0, 0, 0, 0, 0, 0, new long[1], 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GcEvent.of");
        assertThatThrownBy(() -> GcEvent.of(GcEvent.Kind.MINOR, 1, "test", 10, 0, 0, 0, 0, 0, 0, null, 0, 10))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("GcEvent.of");
    }

    @Test
    void aPhaseGivenWithTimeZeroIsKept() {
        GcEvent e = event(Map.of(Phase.CLEAN, 0L));
        assertThat(e.phaseNanos).containsExactly(Map.entry(Phase.CLEAN, 0L));
    }
}
