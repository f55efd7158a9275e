package dev.ephemera.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.BenchResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteRunnerTest {
    private final List<String> calls = new ArrayList<>();

    /** An implementation whose runs report the given seconds in turn, recording each call. */
    private Impl fake(String name, Impl.Kind kind, Case c, Double... seconds) {
        Deque<Double> times = new ArrayDeque<>(List.of(seconds));
        return new Impl(name, kind, () -> {
            calls.add(name);
            return new BenchResult(c.bench(), name).put("n", 10).put("seconds", times.isEmpty() ? 1.0 : times.poll())
                    .put("peak_heap_words", name.equals("ephemera") ? 300L : 100L);
        }, kind == Impl.Kind.PROCESS ? null : () -> {
            calls.add(name + " warm-up");
            return new BenchResult(c.bench(), name);
        });
    }

    /** The warm-up runs of an instantaneous implementation: all of them, the time limit never reached. */
    private static List<String> warmUps(String name) {
        return java.util.Collections.nCopies(SuiteRunner.WARM_UP_MAX_RUNS, name + " warm-up");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void runsAreInterleavedTheMedianReportedAndRatiosPaired() {
        Case c = Case.of("finalise", "n", 10);
        Workload w = new Workload(c, List.of(
                fake("ephemera", Impl.Kind.EPHEMERA, c, 3.0, 1.0, 2.0),
                fake("ocaml", Impl.Kind.PROCESS, c, 8.0, 4.0, 6.0)));
        List<Long> steps = new ArrayList<>();
        List<Measurement> ms = new SuiteRunner(3, 60, true, new SuiteRunner.Listener() {
            @Override
            public void started(long n) {
                steps.add(n);
            }
        }).run(List.of(w));
        assertThat(steps).containsExactly(7L); // 2 impls x 3 runs + 1 warm-up step
        assertThat(calls).containsExactlyElementsOf(concat(warmUps("ephemera"),
                List.of("ephemera", "ocaml", "ocaml", "ephemera", "ephemera", "ocaml")));
        BenchResult eph = ms.get(0).result();
        assertThat(eph.seconds()).isEqualTo(2.0);
        assertThat(eph.get("repeat")).isEqualTo(3);
        assertThat(eph.get("seconds_min")).isEqualTo(1.0);
        assertThat(eph.get("seconds_max")).isEqualTo(3.0);
        assertThat(eph.get("ratio")).isNull();
        BenchResult ocaml = ms.get(1).result();
        assertThat(ocaml.seconds()).isEqualTo(6.0);
        assertThat(ocaml.number("ratio")).isEqualTo(2.0 / 6.0);
        assertThat(ocaml.number("heap_ratio")).isEqualTo(3.0);
    }

    @Test
    void warmUpOncePerBenchmarkAndImplementation() {
        Case a = Case.of("ephemeron-chain", "n", 1);
        Case b = Case.of("ephemeron-chain", "n", 2);
        new SuiteRunner(1, 60, true, new SuiteRunner.Listener() {}).run(List.of(
                new Workload(a, List.of(fake("ephemera", Impl.Kind.EPHEMERA, a))),
                new Workload(b, List.of(fake("ephemera", Impl.Kind.EPHEMERA, b)))));
        assertThat(calls).containsExactlyElementsOf(concat(warmUps("ephemera"), List.of("ephemera", "ephemera")));
        calls.clear();
        new SuiteRunner(1, 60, false, new SuiteRunner.Listener() {}).run(List.of(
                new Workload(a, List.of(fake("ephemera", Impl.Kind.EPHEMERA, a)))));
        assertThat(calls).containsExactly("ephemera");
    }

    @Test
    void skippedAndSlowRunsAreNotRepeated() {
        Case c = Case.of("hashcons", "n", 10);
        Impl skipping = new Impl("chez", Impl.Kind.PROCESS, () -> {
            calls.add("chez");
            return PeerRunner.skipped("chez", c, "scheme not found");
        }, null);
        Impl slow = new Impl("ocaml", Impl.Kind.PROCESS, () -> {
            calls.add("ocaml");
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return new BenchResult("hashcons", "ocaml").put("n", 10).put("seconds", 0.03);
        }, null);
        long[] done = {0};
        List<Measurement> ms = new SuiteRunner(3, 0.01, false, new SuiteRunner.Listener() {
            @Override
            public void advanced(long n) {
                done[0] += n;
            }
        }).run(List.of(new Workload(c, List.of(fake("ephemera", Impl.Kind.EPHEMERA, c, 1.0, 1.0, 1.0), skipping, slow))));
        assertThat(calls.stream().filter("chez"::equals)).hasSize(1);
        assertThat(calls.stream().filter("ocaml"::equals)).hasSize(1);
        assertThat(done[0]).isEqualTo(9); // every planned step is accounted for
        assertThat(ms.get(1).isSkipped()).isTrue();
        assertThat(ms.get(1).result().skipped()).isEqualTo("scheme not found");
        assertThat(ms.get(1).result().get("ratio")).isNull();
        assertThat(ms.get(2).result().get("repeat")).isEqualTo(1);
        assertThat(ms.get(2).result().number("ratio")).isEqualTo(1.0 / 0.03);
    }

    @Test
    void aRunThatThrowsIsRecordedAndTheSuiteGoesOn() {
        Case c = Case.of("finalise", "n", 10);
        Impl broken = new Impl("ephemera", Impl.Kind.EPHEMERA, () -> {
            throw new IllegalStateException("heap exhausted");
        }, null);
        Case d = Case.of("finalise", "n", 20);
        List<Measurement> ms = new SuiteRunner(2, 60, false, new SuiteRunner.Listener() {}).run(List.of(
                new Workload(c, List.of(broken)), new Workload(d, List.of(fake("ephemera", Impl.Kind.EPHEMERA, d, 0.5, 0.5)))));
        assertThat(ms).hasSize(2);
        assertThat(ms.get(0).result().get("error")).isEqualTo("java.lang.IllegalStateException: heap exhausted");
        assertThat(ms.get(0).result().fields()).containsEntry("n", 10);
        assertThat(ms.get(1).seconds()).isEqualTo(0.5);
    }
}
