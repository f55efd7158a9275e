package dev.ephemera.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.badinput.Catalogue.Bad;
import dev.ephemera.badinput.Catalogue.Call;
import dev.ephemera.badinput.Catalogue.Param;
import dev.ephemera.badinput.Fixture.Kind;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every public operation of the {@link Catalogue} against every bad argument its parameters
 * can get, from another thread, and after the heap is closed. Each must raise the documented
 * exception with a message that starts with the operation's name, and leave the heap
 * consistent (verifier) and usable (the canary intact, allocation and collection work).
 */
class BadInputTest {

    /** An argument array with good values, except {@code bad} at {@code index} (if bad is not null). */
    static Object[] arguments(Fixture fx, Call call, int index, Bad bad, Fixture other) {
        Object[] args = new Object[call.params.length];
        Object badArg = bad == null ? null : badArgument(fx, call.params[index], bad, other);
        for (int i = 0; i < args.length; i++) {
            args[i] = i == index && bad != null ? badArg : call.goods.containsKey(i) ? call.goods.get(i).get()
                    : good(fx, call.params[i]);
        }
        return args;
    }

    private static Object good(Fixture fx, Param p) {
        switch (p) {
            case FIELD_INDEX: case KEY_INDEX: case SLOT_INDEX: case BYTE_INDEX: case DOUBLE_INDEX:
                return 0;
            case RAW_INDEX:
                return 1;           // word 0 of a custom block is its kind, read-only
            case SIZE:
                return 2;
            case TAG:
                return 0;
            case FUNCTION: case OBJECT:
                return Catalogue.goodObject(p);
            case FINALISABLE:
                return fx.make(Kind.BLOCK);
            default:
                return fx.get(p.kind);
        }
    }

    /** The bad argument; stale pointers are made first, so that good ones read afterwards stay valid. */
    private static Object badArgument(Fixture fx, Param p, Bad bad, Fixture other) {
        Kind k = p.kind == null ? Kind.BLOCK : p.kind;
        switch (bad) {
            case IMMEDIATE: return Value.ofInt(7);
            case NONE: return Value.NONE;
            case WRONG_TAG:
                switch (k) {
                    case BLOCK: return fx.get(Kind.STRING);
                    case DOUBLE: case DOUBLE_ARRAY: return fx.get(Kind.STRING);
                    case FOREIGN: return fx.get(Kind.CUSTOM);
                    default: return fx.get(Kind.BLOCK);
                }
            case WRONG_ARITY: return fx.get(k == Kind.K1 ? Kind.K2 : Kind.K1);
            case STALE_YOUNG: return fx.staleYoung(k);
            case STALE_FREED: return fx.staleFreed(k);
            case NEGATIVE: return p == Param.TAG ? Catalogue.badTag(bad) : -1;
            case PAST_END: return p.length();
            case HUGE: return Integer.MAX_VALUE;
            case MIN_INT: return Integer.MIN_VALUE;
            case INFIX_TAG: case UNSCANNED_TAG: case TAG_256: return Catalogue.badTag(bad);
            case DOUBLE: return fx.get(Kind.DOUBLE);
            case LAZY: return fx.get(Kind.LAZY);
            case FORWARD: return fx.get(Kind.FORWARD);
            case OTHER_HEAP: return other.get(Kind.BLOCK);
            default: return null;
        }
    }

    /** Runs the call, and returns a description of what went wrong, or null. */
    private static String check(Fixture fx, Call call, String what, Object[] args, Class<? extends Throwable> expected) {
        Throwable thrown = null;
        try {
            call.invoker.call(fx.heap, args);
        } catch (java.lang.reflect.InvocationTargetException t) {
            thrown = t.getCause();
        } catch (Throwable t) {
            thrown = t;
        }
        String problem = judge(call, expected, thrown);
        try {
            fx.checkConsistentAndUsable();
        } catch (Throwable t) {
            return what + ": the heap is not consistent and usable afterwards: " + t;
        }
        return problem == null ? null : what + ": " + problem;
    }

    static String judge(Call call, Class<? extends Throwable> expected, Throwable thrown) {
        if (expected == null) {
            return thrown == null ? null : "returns normally by its documentation, threw " + thrown;
        }
        if (thrown == null) {
            return "expected " + expected.getSimpleName() + ", returned normally";
        }
        if (!expected.isInstance(thrown)) {
            return "expected " + expected.getSimpleName() + ", threw " + thrown;
        }
        String m = String.valueOf(thrown.getMessage());
        if (!m.startsWith(call.op + ":") && !m.startsWith(call.op + " ")) {
            return "the message does not start with the operation's name \"" + call.op + ":\": " + m;
        }
        return null;
    }

    /** Known gaps met by the tests of this class (printed at the end of each test). */
    private final List<String> gaps = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void printGaps() {
        if (!gaps.isEmpty()) {
            System.out.println("known gaps (reported, not failed): " + gaps.size());
            gaps.forEach(g -> System.out.println("  " + g));
        }
    }

    @Test
    void everyOperationRejectsEveryBadArgumentCleanly() {
        List<String> problems = new ArrayList<>();
        int cases = 0;
        try (Fixture other = Fixture.shifted()) {
            for (Call call : Catalogue.all()) {
                try (Fixture fx = new Fixture()) {
                    for (int i = 0; i < call.params.length; i++) {
                        for (Map.Entry<Bad, Class<? extends Throwable>> e : call.expectations(i).entrySet()) {
                            String what = call.op + " " + java.util.Arrays.toString(call.params) + ", parameter " + i + " "
                                    + e.getKey();
                            Object[] args;
                            try {
                                args = arguments(fx, call, i, e.getKey(), other);
                            } catch (RuntimeException notApplicable) {
                                problems.add(what + ": could not make the argument: " + notApplicable);
                                continue;
                            }
                            cases++;
                            String gap = call.gaps.get(i + ":" + e.getKey());
                            String p = check(fx, call, what, args, gap != null ? null : e.getValue());
                            if (gap != null) {
                                gaps.add(what + ": " + gap + (p == null ? "" : " [" + p.substring(what.length() + 2) + "]"));
                                if (p != null && p.contains("not consistent")) {
                                    problems.add(p);
                                }
                            } else if (p != null) {
                                problems.add(p);
                            }
                        }
                    }
                }
            }
        }
        System.out.println("bad input: " + cases + " cases, " + problems.size() + " problems, " + gaps.size() + " known gaps");
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationRefusesAnotherThread() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Call call : Catalogue.all()) {
            if (!call.checksOwner) {
                continue;
            }
            try (Fixture fx = new Fixture()) {
                Object[] args = arguments(fx, call, 0, null, null);
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        call.invoker.call(fx.heap, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        thrown.set(e.getCause());
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                }, "intruder");
                t.start();
                t.join();
                String p = judge(call, Catalogue.WRONG_THREAD, thrown.get());
                try {
                    fx.checkConsistentAndUsable();
                } catch (Throwable e) {
                    p = "not consistent afterwards: " + e;
                }
                String what = call.op + " " + java.util.Arrays.toString(call.params) + " from another thread";
                if (call.gaps.containsKey("thread") && (p == null || !p.startsWith("not consistent"))) {
                    gaps.add(what + ": " + call.gaps.get("thread") + (p == null ? " [raised it after all]" : ""));
                } else if (p != null) {
                    problems.add(what + ": " + p);
                }
            }
        }
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationRefusesAClosedHeap() {
        List<String> problems = new ArrayList<>();
        for (Call call : Catalogue.all()) {
            if (!call.checksOwner) {
                continue;
            }
            Fixture fx = new Fixture();
            Object[] args = arguments(fx, call, 0, null, null);
            fx.heap.close();
            Throwable thrown = null;
            try {
                call.invoker.call(fx.heap, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                thrown = e.getCause();
            } catch (Throwable e) {
                thrown = e;
            }
            String p = judge(call, Catalogue.CLOSED, thrown);
            String what = call.op + " " + java.util.Arrays.toString(call.params) + " on a closed heap";
            if (call.gaps.containsKey("closed")) {
                gaps.add(what + ": " + call.gaps.get("closed") + (p == null ? " [raised it after all]" : ""));
            } else if (p != null) {
                problems.add(what + ": " + p);
            }
        }
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }
}
