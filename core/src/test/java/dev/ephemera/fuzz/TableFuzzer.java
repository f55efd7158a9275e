package dev.ephemera.fuzz;

import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.fuzz.TableProgram.Act;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The table fuzzer: generates the table program of a seed ({@link TableProgram}), runs it on the
 * heap and the model ({@link TableRun}), and on disagreement shrinks it (delta debugging over
 * the acts, then operands emptied) and reports the seed and both programs.
 */
final class TableFuzzer {
    private TableFuzzer() {}

    /** What a program did. */
    record Outcome(Throwable error, List<String> trace, int acts, long minors, long majors, long bindingsDied, long checks) {
        static Outcome of(Throwable error, TableRun run, int acts) {
            return new Outcome(error, run.trace, acts, run.minors, run.majors, run.bindingsDied, run.checks);
        }
    }

    /** The configuration of a seed: a 256-word nursery, or a 1k-word one and a small major heap. */
    static boolean tiny(long seed) {
        return Math.floorMod(seed >>> 9, 2L) == 0;
    }

    static Outcome generateAndRun(long seed, List<Act> program) {
        Random rnd = new Random(seed);
        TableProgram.Generator g = new TableProgram.Generator(rnd);
        int n = 60 + rnd.nextInt(140);
        for (int i = 0; i < n; i++) {
            program.add(g.next());
        }
        return replay(tiny(seed), program);
    }

    static Outcome replay(boolean tiny, List<Act> program) {
        TableRun run = new TableRun(tiny);
        Throwable error = null;
        try {
            for (Act a : program) {
                run.exec(a);
            }
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

    /** Null if the seed's program passes; else the failure, shrunk. */
    static String check(long seed) {
        List<Act> program = new ArrayList<>();
        Outcome o = generateAndRun(seed, program);
        if (o.error() == null) {
            return null;
        }
        String signature = Fuzzer.signature(o.error());
        boolean tiny = tiny(seed);
        int[] replays = {0};
        Predicate<List<Act>> fails = p -> {
            replays[0]++;
            return signature.equals(Fuzzer.signature(replay(tiny, p).error()));
        };
        List<Act> minimal = shrink(program, fails, replays);
        Outcome m = replay(tiny, minimal);
        StringBuilder sb = new StringBuilder("the heap's tables disagree with the reference model\n")
                .append("  seed ").append(seed).append(", ").append(tiny ? "256-word nursery" : "1k-word nursery, small major heap")
                .append('\n')
                .append("  reproduce: ./mvnw -q -B -pl core test -Dtest=DifferentialFuzzTest#theTablesAgreeWithTheModelOnRandomPrograms")
                .append(" -Dephemera.fuzz.tableSeed=").append(seed).append('\n')
                .append("  error: ").append(o.error()).append('\n')
                .append("  minimal program (").append(minimal.size()).append(" acts, shrunk from ").append(program.size())
                .append("), as executed:\n");
        m.trace().forEach(l -> sb.append("    ").append(l).append('\n'));
        sb.append("  minimal program, raw:\n");
        minimal.forEach(a -> sb.append("    ").append(a).append('\n'));
        java.io.StringWriter w = new java.io.StringWriter();
        o.error().printStackTrace(new java.io.PrintWriter(w));
        sb.append("  stack trace:\n").append(w.toString().lines().limit(30).map(l -> "    " + l + "\n")
                .collect(java.util.stream.Collectors.joining()));
        return sb.toString();
    }

    private static final int MAX_REPLAYS = 3000;

    private static List<Act> shrink(List<Act> program, Predicate<List<Act>> fails, int[] replays) {
        List<Act> p = program;
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
        List<Act> cur = new ArrayList<>(p);
        for (int i = 0; i < cur.size() && replays[0] < MAX_REPLAYS; i++) {
            for (int j = 0; j < cur.get(i).vals().size(); j++) {
                if (cur.get(i).vals().get(j) != Val.NONE) {
                    List<Val> vals = new ArrayList<>(cur.get(i).vals());
                    vals.set(j, Val.NONE);
                    List<Act> q = new ArrayList<>(cur);
                    q.set(i, cur.get(i).withVals(vals));
                    if (fails.test(q)) {
                        cur = q;
                    }
                }
            }
        }
        return cur;
    }
}
