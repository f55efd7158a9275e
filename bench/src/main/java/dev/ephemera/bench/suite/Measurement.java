package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every run of one implementation on one case, and the result reported for them: the run with
 * the median time, plus {@code "repeat"} (runs measured) and, with more than one run,
 * {@code "seconds_min"} and {@code "seconds_max"}. A peer's result also gets
 * {@code "ratio"} = ephemera's median seconds / the peer's, and {@code "heap_ratio"} the same
 * for {@code peak_heap_words} (below 1: ephemera is faster, or smaller). Results that did not
 * compute what the workload must compute carry {@code "unexpected"}.
 */
public final class Measurement {
    private final Case benchCase;
    private final String impl;
    private final Impl.Kind kind;
    private final List<BenchResult> runs = new ArrayList<>();
    private BenchResult result;

    Measurement(Case benchCase, String impl, Impl.Kind kind) {
        this.benchCase = benchCase;
        this.impl = impl;
        this.kind = kind;
    }

    /**
     * A measurement as the suite reported it: {@code reported} is its JSON line (the median
     * run with the summary fields), read back from a results file.
     */
    public static Measurement reported(Case benchCase, Impl.Kind kind, BenchResult reported) {
        Measurement m = new Measurement(benchCase, reported.impl(), kind);
        m.runs.add(reported);
        m.result = reported;
        return m;
    }

    void add(BenchResult run) {
        runs.add(run);
        result = null;
    }

    /** The case. */
    public Case benchCase() {
        return benchCase;
    }

    /** The implementation's name. */
    public String impl() {
        return impl;
    }

    /** Where the implementation ran. */
    public Impl.Kind kind() {
        return kind;
    }

    /** Every run, in the order they ran (skipped ones included). */
    public List<BenchResult> runs() {
        return List.copyOf(runs);
    }

    /** Measured (not skipped) runs. */
    public List<BenchResult> measured() {
        List<BenchResult> m = new ArrayList<>();
        for (BenchResult r : runs) {
            if (r.skipped() == null) {
                m.add(r);
            }
        }
        return m;
    }

    /** Whether no run was measured. */
    public boolean isSkipped() {
        return measured().isEmpty();
    }

    /** The reported result: the median run with the summary fields (see the class comment). */
    public BenchResult result() {
        if (result == null) {
            result = summarise();
        }
        return result;
    }

    /** The reported median seconds (NaN when skipped). */
    public double seconds() {
        return result().seconds();
    }

    /** The reported peak heap in words (NaN when absent). */
    public double peakHeapWords() {
        return result().number("peak_heap_words");
    }

    private BenchResult summarise() {
        List<BenchResult> m = measured();
        if (m.isEmpty()) {
            return runs.isEmpty() ? PeerRunner.skipped(impl, benchCase, "not run") : runs.get(runs.size() - 1).copy();
        }
        List<BenchResult> sorted = new ArrayList<>(m);
        sorted.sort(Comparator.comparingDouble(BenchResult::seconds));
        BenchResult r = sorted.get((sorted.size() - 1) / 2).copy();
        r.put("repeat", m.size());
        if (m.size() > 1) {
            r.put("seconds_min", sorted.get(0).seconds());
            r.put("seconds_max", sorted.get(sorted.size() - 1).seconds());
        }
        for (BenchResult run : m) {
            String bad = Suite.unexpected(run);
            if (bad != null) {
                r.put("unexpected", bad);
                break;
            }
        }
        return r;
    }

    /** Adds {@code "ratio"} and {@code "heap_ratio"} against ephemera's measurement of the same case. */
    void compareWith(Measurement ephemera) {
        BenchResult r = result();
        if (isSkipped() || ephemera.isSkipped()) {
            return;
        }
        double ratio = ephemera.seconds() / seconds();
        if (Double.isFinite(ratio) && seconds() > 0) {
            r.put("ratio", ratio);
        }
        double heap = ephemera.peakHeapWords() / peakHeapWords();
        if (Double.isFinite(heap) && peakHeapWords() > 0) {
            r.put("heap_ratio", heap);
        }
    }
}
