package dev.ephemera.fuzz;

import dev.ephemera.Heap;
import java.lang.reflect.Field;

/**
 * Work-arounds for heap bugs that are reported and not yet fixed, so that the fuzzer can go on
 * looking for other bugs (each shim is the fix, applied from outside). Every shim names its
 * bug's test in {@link FoundBugsTest}; delete the shim when the bug is fixed. Turn them all off
 * with {@code -Dephemera.fuzz.shims=false} to see the bugs.
 */
final class Shims {
    static final boolean ON = Boolean.parseBoolean(System.getProperty("ephemera.fuzz.shims", "true"));

    private Shims() {}

    /**
     * {@link FoundBugsTest#aCollectionTriggeredByAllocForeignCrashesTheVerifier}: before
     * {@code allocForeign}, empty the nursery (a minor collection, not a safe point) if the box
     * would not fit, so that its allocation never collects.
     */
    static void beforeAllocForeign(Heap heap) {
        if (!ON) {
            return;
        }
        try {
            Object collector = field(Heap.class, "collector").get(heap);
            Class<?> c = collector.getClass();
            long used = (Long) c.getMethod("youngWordsInUse").invoke(collector);
            int size = (Integer) c.getMethod("minorHeapWords").invoke(collector);
            if (used + 1 + dev.ephemera.object.ForeignLayout.SIZE_WORDS > size) {
                c.getMethod("minor").invoke(collector);
            }
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw (Error) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Shims.beforeAllocForeign: the heap's internals changed", e);
        }
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
