package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The memo-table and hashcons workloads on ephemera's tables ({@code dev.ephemera.bench.MemoTable},
 * {@code dev.ephemera.bench.Hashcons}), reached by name until the tables work is merged: while
 * they are absent every run is a result skipped with {@link #NOT_MERGED}, and the rest of the
 * suite runs as usual. (Temporary; becomes direct calls once the classes are on main.)
 */
public final class TablesWorkloads {
    /** The skip reason while the table workloads are missing from the build. */
    public static final String NOT_MERGED = "table workloads not in this build (tables branch not merged yet)";

    private TablesWorkloads() {}

    /** Whether the table workloads are in this build. */
    public static boolean available() {
        return method("MemoTable", "ephemera", int.class, boolean.class) != null
                && method("Hashcons", "ephemera", int.class) != null;
    }

    /** memo-table on ephemera's K1 table. */
    public static BenchResult memoTable(Case c) {
        return call(c, "ephemera", method("MemoTable", "ephemera", int.class, boolean.class),
                c.intParam("n"), "live".equals(c.params().get("keys")));
    }

    /** memo-table on java.util.WeakHashMap (the tables engineer's baseline). */
    public static BenchResult weakHashMap(Case c) {
        return call(c, "weakhashmap", method("MemoTable", "weakHashMap", int.class, boolean.class),
                c.intParam("n"), "live".equals(c.params().get("keys")));
    }

    /**
     * The memo-table rounds on ephemera's K1 table (entries alive after each round's full major),
     * or null while the tables work is not in this build.
     */
    @SuppressWarnings("unchecked")
    public static java.util.List<Long> retention(int rounds, int batch) {
        Method m = method("MemoTableRounds", "ephemera", int.class, int.class);
        if (m == null) {
            return null;
        }
        try {
            return (java.util.List<Long>) m.invoke(null, rounds, batch);
        } catch (InvocationTargetException | IllegalAccessException e) {
            throw new IllegalStateException("memo-table rounds on ephemera failed", e);
        }
    }

    /** hashcons on ephemera's weak hash set. */
    public static BenchResult hashcons(Case c) {
        return call(c, "ephemera", method("Hashcons", "ephemera", int.class), c.intParam("n"));
    }

    private static Method method(String cls, String name, Class<?>... types) {
        try {
            return Class.forName("dev.ephemera.bench." + cls).getMethod(name, types);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    private static BenchResult call(Case c, String impl, Method m, Object... args) {
        if (m == null) {
            return PeerRunner.skipped(impl, c, NOT_MERGED);
        }
        try {
            return (BenchResult) m.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            throw new IllegalStateException(c + " " + impl + " failed", t);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(c + " " + impl + ": " + e.getMessage(), e);
        }
    }
}
