package dev.ephemera.stress;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.gc.GcConfig;
import dev.ephemera.object.Value;

/**
 * Runs in a JVM of its own with a small {@code -Xmx} ({@link JvmMemoryTest}): a heap grows until
 * it is exhausted, and must end in {@link HeapExhaustedException} — never the JVM's
 * {@code OutOfMemoryError} — with everything it built intact, the verifier passing, and the heap
 * usable again once the structure is dropped. Prints {@code OK} lines; exits 0 if all is well,
 * 3 on an {@code OutOfMemoryError}, 1 on anything else.
 *
 * <p>Modes: {@code default} (the default maximum heap), {@code unlimited-list} and
 * {@code unlimited-arrays} ({@code maxHeapWords(Long.MAX_VALUE)}: only the JVM's limit is left,
 * met by promotion for a list of pairs and outside collections for large arrays), and
 * {@code refused-sizes} (a nursery and a root area larger than the JVM can give).
 */
public final class JvmMemoryScenario {
    private JvmMemoryScenario() {}

    public static void main(String[] args) {
        String mode = args[0];
        try {
            run(mode);
            System.out.println("OK " + mode);
            System.exit(0);
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError escaped: " + e);
            e.printStackTrace(System.out);
            System.exit(3);
        } catch (Throwable t) {
            System.out.println("FAILED: " + t);
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void run(String mode) {
        if (mode.equals("refused-sizes")) {
            refusedSizes();
            return;
        }
        HeapConfig config = HeapConfig.defaults().minorHeapWords(64 * 1024);
        if (!mode.equals("default")) {
            config.maxHeapWords(Long.MAX_VALUE);
        }
        try (Heap heap = Heap.create(config)) {
            long expectedMax = mode.equals("default")
                    ? GcConfig.defaultMaxHeapWords(Runtime.getRuntime().maxMemory(), 64 * 1024) : Long.MAX_VALUE;
            check(heap.gc().maxHeapWords() == expectedMax, "max heap " + heap.gc().maxHeapWords() + ", expected " + expectedMax);
            System.out.println("JVM max " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, heap max "
                    + (expectedMax == Long.MAX_VALUE ? "unlimited" : expectedMax + " words"));
            for (int round = 0; round < 3; round++) {
                if (mode.equals("unlimited-arrays")) {
                    arrays(heap);
                } else {
                    list(heap);
                }
            }
        }
    }

    /** A list of pairs, grown until exhausted: the limit is met by promotion. */
    private static void list(Heap heap) {
        long n = 0;
        try (Scope s = heap.openScope()) {
            Handle list = s.handle(Value.NONE);
            String message = null;
            try {
                while (true) {
                    list.set(heap.alloc(0, Value.ofInt(n), list.get()));
                    n++;
                }
            } catch (HeapExhaustedException e) {
                message = e.getMessage();
            }
            System.out.println("exhausted after " + n + " cells: " + message);
            check(message.startsWith("Heap.alloc: heap exhausted"), "message: " + message);
            verifyIfRoom(heap);
            long count = 0;
            for (long l = list.get(); l != Value.NONE; l = heap.field(l, 1)) {
                check(heap.field(l, 0) == Value.ofInt(n - 1 - count), "cell " + count + " damaged");
                count++;
            }
            check(count == n, "the list has " + count + " cells, " + n + " were made");
            list.set(Value.NONE);
        }
        recover(heap);
    }

    /** Large arrays in a root area until exhausted: the limit is met outside any collection. */
    private static void arrays(Heap heap) {
        int n = 0;
        try (RootArea area = heap.newRootArea(16, Rank.STRONG)) {
            String message = null;
            try {
                while (true) {
                    area.push(heap.allocArray(100_000, Value.ofInt(n)));
                    n++;
                }
            } catch (HeapExhaustedException e) {
                message = e.getMessage();
            }
            System.out.println("exhausted after " + n + " arrays: " + message);
            check(message.startsWith("Heap.allocArray: heap exhausted"), "message: " + message);
            verifyIfRoom(heap);
            for (int i = 0; i < n; i++) {
                check(heap.field(area.get(i), 99_999) == Value.ofInt(i), "array " + i + " damaged");
            }
        }
        recover(heap);
    }

    /**
     * The verifier needs memory of its own (sets of addresses): with the default maximum the JVM
     * has room for it at exhaustion; with none, the JVM is full then, and the heap is verified
     * once the structure is dropped ({@link #recover}).
     */
    private static void verifyIfRoom(Heap heap) {
        if (heap.gc().maxHeapWords() != Long.MAX_VALUE) {
            heap.verify();
        }
    }

    private static void recover(Heap heap) {
        heap.gc().fullMajor();
        heap.verify();
        check(heap.gc().stat().liveWords == 0, "live words after dropping everything: " + heap.gc().stat().liveWords);
        long v = heap.allocArray(10_000, Value.ofInt(1));
        check(heap.field(v, 9_999) == Value.ofInt(1), "allocation after recovery");
        System.out.println("recovered");
    }

    /**
     * Sizes the JVM cannot give, asked for through the API: a heap's nursery at creation and when
     * resized, a root area's slots. Each is refused as exhaustion, naming the operation, and the
     * heap (where there is one) keeps what it had and stays usable.
     */
    private static void refusedSizes() {
        String created = exhaustion(() -> Heap.create(HeapConfig.defaults().minorHeapWords(1 << 28)));
        check(created.startsWith("Heap.create: the JVM has no memory"), "Heap.create: " + created);
        // an initial heap (OCaml's h) of 2^40 words with no maximum: allocated a chunk at a time
        // until the JVM refuses (no chunk size overflows an int), then refused cleanly
        String initial = exhaustion(() -> Heap.create(HeapConfig.defaults().maxHeapWords(Long.MAX_VALUE)
                .initialHeapWords(1L << 40)));
        check(initial.startsWith("Heap.create: the JVM has no memory"), "Heap.create, initial heap: " + initial);
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(64 * 1024));
             RootArea area = heap.newRootArea(4, Rank.STRONG)) {
            area.push(heap.alloc(0, Value.ofInt(7)));
            String resized = exhaustion(() -> heap.gc().setMinorHeapWords(1 << 28));
            check(resized.startsWith("Gc.set minor_heap_size: the JVM has no memory"), "resize: " + resized);
            check(heap.gc().minorHeapWords() == 64 * 1024, "nursery after refusal: " + heap.gc().minorHeapWords());
            String slots = exhaustion(() -> area.setUsed(1 << 26));
            check(slots.startsWith("RootArea.setUsed: the JVM has no memory"), "setUsed: " + slots);
            check(area.used() == 1 && area.capacity() == 4, "area after refusal: " + area.used() + "/" + area.capacity());
            try (Scope s = heap.openScope()) {
                Handle list = s.handle(Value.NONE);
                for (int i = 0; i < 200_000; i++) { // many minor collections in the old nursery
                    list.set(heap.alloc(0, Value.ofInt(i), list.get()));
                }
                heap.gc().fullMajor();
                heap.verify();
                check(heap.field(list.get(), 0) == Value.ofInt(199_999), "list head");
            }
            check(heap.field(area.get(0), 0) == Value.ofInt(7), "the area's block");
            heap.gc().setMinorHeapWords(32 * 1024);
            check(heap.gc().minorHeapWords() == 32 * 1024, "a later resize the JVM can give");
        }
        System.out.println("refusals reported, heap usable");
    }

    /** The message of the {@link HeapExhaustedException} {@code r} throws. */
    private static String exhaustion(Runnable r) {
        try {
            r.run();
        } catch (HeapExhaustedException e) {
            return e.getMessage();
        }
        throw new AssertionError("no HeapExhaustedException");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
