package dev.ephemera.fuzz;

import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.fuzz.Program.Val;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs the program of one seed on the heap and the model; on disagreement shrinks it to a
 * minimal failing program and reports the seed, the configuration, and both programs.
 */
final class Fuzzer {
    private Fuzzer() {}

    /**
     * What a program did (for the statistics the test prints): {@code counts} is indexed by
     * {@link Counts.Counter#ordinal()}.
     */
    record Outcome(Throwable error, List<String> trace, int acts, long[] counts) {
        static Outcome of(Throwable error, Run run, int acts) {
            return new Outcome(error, run.trace(), acts, run.counts().toArray());
        }
    }

    /** A failing seed, shrunk. */
    record Failure(long seed, FuzzConfig config, List<Act> generated, List<Act> minimal, Outcome outcome) {
        String report() {
            StringBuilder sb = new StringBuilder();
            sb.append("the heap disagrees with the reference model\n")
                    .append("  seed ").append(seed).append(" (0x").append(Long.toHexString(seed)).append("), config ")
                    .append(config).append('\n')
                    .append("  reproduce: ./mvnw -q -B -pl core test -Dtest=DifferentialFuzzTest -Dephemera.fuzz.seed=")
                    .append(seed).append(config.relaxed() ? " -Dephemera.fuzz.incremental=true" : "").append('\n')
                    .append("  error: ").append(outcome.error()).append('\n')
                    .append("  minimal program (").append(minimal.size()).append(" acts, shrunk from ")
                    .append(generated.size()).append("), as executed:\n");
            outcome.trace().forEach(line -> sb.append("    ").append(line).append('\n'));
            sb.append("  minimal program, raw:\n").append(Program.show(minimal));
            if (outcome.error() != null) {
                StringWriter w = new StringWriter();
                outcome.error().printStackTrace(new PrintWriter(w));
                sb.append("  stack trace of the error:\n").append(w.toString().lines().limit(40)
                        .map(l -> "    " + l + "\n").collect(Collectors.joining()));
            }
            return sb.toString();
        }
    }

    /** The number of top-level acts of a generated program. */
    private static int length(Random rnd) {
        return 40 + rnd.nextInt(140);
    }

    /** The configuration of the program of {@code seed}, in the incremental family or the other. */
    static FuzzConfig configOf(long seed, boolean incremental) {
        return incremental ? FuzzConfig.forIncrementalSeed(seed) : FuzzConfig.forSeed(seed);
    }

    /** Generates and runs the program of {@code seed}, appending its acts to {@code program}. */
    static Outcome generateAndRun(long seed, List<Act> program, boolean incremental) {
        FuzzConfig config = configOf(seed, incremental);
        Random rnd = new Random(seed);
        return run(config, program, run -> {
            Generator generator = new Generator(rnd, run.model, config);
            for (int i = 0, n = length(rnd); i < n; i++) {
                Act a = generator.next();
                program.add(a);
                run.exec(a);
            }
        });
    }

    /** Runs a given program (shrinking, reproduction). */
    static Outcome replay(FuzzConfig config, List<Act> program) {
        return run(config, program, run -> program.forEach(run::exec));
    }

    /**
     * A run under {@code config}: {@code acts} executes the program's acts, then the run's end
     * ({@link Run#finish}); the first error is the outcome's (but running out of memory is the
     * JVM's problem, not the heap's).
     */
    private static Outcome run(FuzzConfig config, List<Act> program, Consumer<Run> acts) {
        Run run = new Run(config);
        Throwable error = null;
        try {
            acts.accept(run);
            run.finish();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            error = t;
        } finally {
            run.close();
        }
        return Outcome.of(error, run, program.size());
    }

    /** Checks the seed; returns null if the heap agreed with the model throughout. */
    static Failure check(long seed, boolean incremental) {
        List<Act> program = new ArrayList<>();
        Outcome outcome = generateAndRun(seed, program, incremental);
        if (outcome.error() == null) {
            return null;
        }
        FuzzConfig config = configOf(seed, incremental);
        List<Act> minimal = shrink(config, program, signature(outcome.error()));
        return new Failure(seed, config, program, minimal, replay(config, minimal));
    }

    /** What kind of failure: the shrinker keeps only candidates that fail the same way. */
    static String signature(Throwable t) {
        if (t == null) {
            return null;
        }
        return t instanceof Mismatch ? "mismatch: " + ((Mismatch) t).kind : t.getClass().getName();
    }

    // ================================================================== shrinking

    private static final int MAX_REPLAYS = 4000;

    /**
     * Delta debugging (Zeller's ddmin, complements only) over the top-level acts, then over
     * finaliser bodies, then simplification of operands and selectors, until nothing helps.
     */
    static List<Act> shrink(FuzzConfig config, List<Act> program, String signature) {
        int[] replays = {0};
        Predicate<List<Act>> fails = p -> {
            replays[0]++;
            return signature.equals(signature(replay(config, p).error()));
        };
        List<Act> p = program;
        while (replays[0] < MAX_REPLAYS) {
            List<Act> q = simplify(ddmin(p, fails, replays), fails, replays);
            if (q.equals(p)) {
                break;
            }
            p = q;
        }
        return p;
    }

    private static List<Act> ddmin(List<Act> p, Predicate<List<Act>> fails, int[] replays) {
        int n = 2;
        while (p.size() >= 2 && replays[0] < MAX_REPLAYS) {
            int chunk = (p.size() + n - 1) / n;
            boolean reduced = false;
            for (int start = 0; start < p.size(); start += chunk) {
                List<Act> complement = new ArrayList<>(p.subList(0, start));
                complement.addAll(p.subList(Math.min(p.size(), start + chunk), p.size()));
                if (fails.test(complement)) {
                    p = complement;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= p.size()) {
                    break;
                }
                n = Math.min(n * 2, p.size());
            }
        }
        if (p.size() == 1 && fails.test(List.of())) {
            return List.of();
        }
        return p;
    }

    /** One pass of local simplifications, each kept if the program still fails the same way. */
    private static List<Act> simplify(List<Act> p, Predicate<List<Act>> fails, int[] replays) {
        List<Act> cur = new ArrayList<>(p);
        for (int i = 0; i < cur.size() && replays[0] < MAX_REPLAYS; i++) {
            boolean changed = true;
            while (changed && replays[0] < MAX_REPLAYS) {
                changed = false;
                for (Act candidate : simpler(cur.get(i))) {
                    List<Act> q = new ArrayList<>(cur);
                    q.set(i, candidate);
                    if (fails.test(q)) {
                        cur = q;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return cur;
    }

    /** Simpler variants of an act: without one body act, with one operand empty, with a selector 0. */
    private static List<Act> simpler(Act a) {
        List<Act> out = new ArrayList<>();
        for (int j = 0; j < a.body().size(); j++) {
            List<Act> body = new ArrayList<>(a.body());
            body.remove(j);
            out.add(a.withBody(body));
        }
        for (int j = 0; j < a.body().size(); j++) {
            for (Act inner : simpler(a.body().get(j))) {
                List<Act> body = new ArrayList<>(a.body());
                body.set(j, inner);
                out.add(a.withBody(body));
            }
        }
        for (int j = 0; j < a.vals().size(); j++) {
            if (a.vals().get(j) != Val.NONE) {
                List<Val> vals = new ArrayList<>(a.vals());
                vals.set(j, Val.NONE);
                out.add(a.withVals(vals));
            }
        }
        if (a.vals().size() > 0 && a.vals().get(a.vals().size() - 1) == Val.NONE) {
            out.add(a.withVals(a.vals().subList(0, a.vals().size() - 1)));
        }
        return out;
    }
}
