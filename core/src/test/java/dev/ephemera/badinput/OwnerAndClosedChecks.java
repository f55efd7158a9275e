package dev.ephemera.badinput;

import dev.ephemera.CheckedMode;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapClosedException;
import dev.ephemera.Message;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.TestHeaps;
import dev.ephemera.WrongThreadException;
import dev.ephemera.badinput.Catalogue.Call;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The owner-thread and closed-heap checks, checked mode or not: every operation of the
 * {@link Catalogue}, and the operations on handles, scopes, global roots, root areas and
 * messages, from another thread and after {@code close()}. Each must raise
 * {@link WrongThreadException} / {@link HeapClosedException} naming itself — never a
 * {@code NullPointerException}, never silently succeed — except that without checked mode the
 * hot paths of {@link #OWNER_CHECKED_MODE_ONLY} may succeed from another thread (documented on
 * {@code Heap}). Run by {@link OwnerAndClosedChecksTest} in the test JVM (checked mode) and,
 * through {@link #main}, in a JVM in unchecked mode.
 */
final class OwnerAndClosedChecks {
    private OwnerAndClosedChecks() {}

    /** Runs every check; prints the problems and exits with their number (at most 100). */
    public static void main(String[] args) {
        List<String> problems = problems();
        System.out.println("owner and closed-heap checks, checked mode " + CheckedMode.ON + ": " + cases
                + " cases, " + problems.size() + " problems");
        problems.forEach(p -> System.out.println("  " + p));
        System.exit(Math.min(problems.size(), 100));
    }

    private static int cases;

    /**
     * The hot paths whose owner-thread check is done only in checked mode (EntryChecks.enterFast, and
     * the one- and two-field alloc's fast path): from another thread without checked mode they
     * may succeed — never throw anything but WrongThreadException. Their closed-heap check is
     * always done.
     */
    static final java.util.Set<String> OWNER_CHECKED_MODE_ONLY = java.util.Set.of("Heap.alloc", "Heap.field",
            "Heap.setField", "Heap.tag", "Heap.size", "Handle.get", "Scope.handle", "GlobalRoot.get", "RootArea.get", "RootArea.pop",
            "RootArea.setUsed", "RootArea.ensureCapacity");

    private static boolean exempt(String op, Throwable thrown) {
        return !CheckedMode.ON && OWNER_CHECKED_MODE_ONLY.contains(op) && thrown == null;
    }

    /** Every problem found (empty if all is well). */
    static List<String> problems() {
        cases = 0;
        List<String> problems = new ArrayList<>();
        for (Call call : Catalogue.all()) {
            if (!call.checksOwner) {
                continue;
            }
            try (Fixture fx = new Fixture()) {
                Object[] args = BadInputTest.arguments(fx, call, 0, null, null);
                Throwable thrown = onAnotherThread(() -> call.invoker.call(fx.heap, args));
                cases++;
                String p = exempt(call.op, thrown) ? null : BadInputTest.judge(call, Catalogue.WRONG_THREAD, thrown);
                if (p != null) {
                    problems.add(call.op + " from another thread: " + p);
                }
            }
            Fixture fx = new Fixture();
            Object[] args = BadInputTest.arguments(fx, call, 0, null, null);
            fx.heap.close();
            cases++;
            String p = BadInputTest.judge(call, Catalogue.CLOSED, thrownBy(() -> call.invoker.call(fx.heap, args)));
            if (p != null) {
                problems.add(call.op + " on a closed heap: " + p);
            }
        }
        for (boolean closed : new boolean[] {false, true}) {
            Heap heap = TestHeaps.tiny();
            Map<String, Action> ops = handleOperations(heap);
            if (closed) {
                heap.close();
            }
            for (Map.Entry<String, Action> e : ops.entrySet()) {
                cases++;
                Throwable thrown = closed ? thrownBy(e.getValue()) : onAnotherThread(e.getValue());
                Class<? extends Throwable> expected = closed ? HeapClosedException.class : WrongThreadException.class;
                String what = e.getKey() + (closed ? " on a closed heap" : " from another thread");
                if (!closed && exempt(e.getKey(), thrown)) {
                    continue;
                }
                if (!expected.isInstance(thrown)) {
                    problems.add(what + ": expected " + expected.getSimpleName() + ", "
                            + (thrown == null ? "returned normally" : "threw " + thrown));
                } else if (!thrown.getMessage().startsWith(e.getKey() + ":")) {
                    problems.add(what + ": the message does not name the operation: " + thrown.getMessage());
                }
            }
            if (!closed) {
                heap.close();
            }
        }
        return problems;
    }

    /** Something to try. */
    @FunctionalInterface
    interface Action {
        Object run() throws Exception;
    }

    /**
     * The operations on the heap's satellite objects — handles, scopes, roots, areas, messages —
     * and the accessors' fast paths, each bound to objects made now, by operation name.
     */
    private static Map<String, Action> handleOperations(Heap heap) {
        Map<String, Action> ops = new LinkedHashMap<>();
        Scope scope = heap.openScope();
        long block = heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
        Handle handle = scope.handle(block);
        GlobalRoot root = heap.newGlobalRoot(block);
        GlobalRoot weakRoot = heap.newWeakRoot(block);
        RootArea area = heap.newRootArea(4, Rank.STRONG);
        area.push(block);
        heap.messages().enable(Message.Type.FINALIZATION);
        heap.messages().finalize(heap.alloc(0, Value.ofInt(3)));
        heap.gc().fullMajor();
        Message.Finalization message = (Message.Finalization) heap.messages().get(Message.Type.FINALIZATION);
        if (message == null) {
            throw new AssertionError("no finalization message was posted");
        }
        long b = handle.get();
        ops.put("Handle.get", handle::get);
        ops.put("Handle.set", () -> {
            handle.set(Value.ofInt(5));
            return null;
        });
        ops.put("Scope.handle", () -> scope.handle(Value.ofInt(5)));
        ops.put("GlobalRoot.get", root::get);
        ops.put("GlobalRoot.set", () -> {
            weakRoot.set(Value.ofInt(5));
            return null;
        });
        ops.put("RootArea.get", () -> area.get(0));
        ops.put("RootArea.set", () -> {
            area.set(0, Value.ofInt(5));
            return null;
        });
        ops.put("RootArea.push", () -> area.push(Value.ofInt(5)));
        ops.put("RootArea.pop", area::pop);
        ops.put("RootArea.setUsed", () -> {
            area.setUsed(1);
            return null;
        });
        ops.put("RootArea.ensureCapacity", () -> {
            area.ensureCapacity(100);
            return null;
        });
        ops.put("Message.Finalization.ref", message::ref);
        // the accessors' and allocators' fast paths
        ops.put("Heap.field", () -> heap.field(b, 0));
        ops.put("Heap.setField", () -> {
            heap.setField(b, 0, Value.ofInt(9));
            return null;
        });
        ops.put("Heap.alloc", () -> heap.alloc(0, Value.ofInt(1)));
        ops.put("Heap.tag", () -> heap.tag(b));
        ops.put("Heap.isYoung", () -> heap.isYoung(Value.ofInt(1)));
        ops.put("Heap.isForeign", () -> heap.isForeign(Value.ofInt(1)));
        ops.put("Heap.shallowCopy", () -> heap.shallowCopy(Value.ofInt(1)));
        ops.put("Guardians.isGuardian", () -> heap.guardians().isGuardian(Value.ofInt(1)));
        ops.put("Ephemerons.isEphemeron", () -> heap.ephemerons().isEphemeron(Value.ofInt(1)));
        // releasing last, in the order a program would
        ops.put("Scope.close", () -> {
            scope.close();
            return null;
        });
        ops.put("GlobalRoot.close", () -> {
            root.close();
            return null;
        });
        ops.put("RootArea.close", () -> {
            area.close();
            return null;
        });
        return ops;
    }

    private static Throwable thrownBy(Action a) {
        try {
            a.run();
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause();
        } catch (Throwable t) {
            return t;
        }
    }

    private static Throwable onAnotherThread(Action a) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> thrown.set(thrownBy(a)), "intruder");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return thrown.get();
    }
}
