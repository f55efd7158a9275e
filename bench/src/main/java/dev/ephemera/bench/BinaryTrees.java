package dev.ephemera.bench;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.event.GcEvent;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * The Benchmarks Game binary-trees, single-threaded: a stretch tree of depth D+1, a long-lived
 * tree of depth D, and for d = 4, 6, ..., D, 2^(D-d+4) trees of depth d built bottom-up and
 * counted. Written twice: against ephemera's public API with handles (a node is a tag-0 block
 * of two fields, a leaf has two NONE fields), and on plain Java objects. Same shape as
 * {@code bench/peers/ocaml/binary_trees.ml}.
 */
public final class BinaryTrees {
    private static final int MIN_DEPTH = 4;

    private BinaryTrees() {}

    /**
     * A warm-up run (depth at most 16, so the JIT has compiled the allocator and the
     * collector), then {@code repeat} measured runs in fresh heaps; the median is returned.
     */
    public static BenchResult ephemera(int depth, int repeat) {
        return Runs.medianAfterWarmUp(() -> ephemera(Math.min(depth, 16)), () -> ephemera(depth), repeat);
    }

    /** The plain-JVM version with the same warm-up and repetitions. */
    public static BenchResult jvm(int depth, int repeat) {
        return Runs.medianAfterWarmUp(() -> jvm(Math.min(depth, 16)), () -> jvm(depth), repeat);
    }

    /** One run on an ephemera heap with the default configuration. */
    public static BenchResult ephemera(int depth) {
        long[] pauses = new long[1 << 16];
        int[] count = {0};
        try (Heap heap = Heap.create(HeapConfig.defaults())) {
            heap.gc().addListener(e -> {
                if (e.kind == GcEvent.Kind.MINOR) {
                    if (count[0] < pauses.length) {
                        pauses[count[0]] = e.pauseNanos;
                    }
                    count[0]++;
                }
            });
            long t0 = System.nanoTime();
            long check = run(heap, depth);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] sorted = Arrays.copyOf(pauses, Math.min(count[0], pauses.length));
            Arrays.sort(sorted);
            double median = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
            double max = sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6;
            return new BenchResult("binary-trees", "ephemera")
                    .put("depth", depth)
                    .put("seconds", seconds)
                    .put("peak_heap_words", heap.gc().stat().topHeapWords)
                    .put("check", check)
                    .put("minor_collections", heap.gc().stat().minorCollections)
                    .put("major_collections", heap.gc().stat().majorCollections)
                    .put("median_minor_pause_ms", median)
                    .put("max_minor_pause_ms", max);
        }
    }

    static long run(Heap heap, int depth) {
        int maxDepth = Math.max(MIN_DEPTH + 2, depth);
        try (RootArea stack = heap.newRootArea(maxDepth + 3, Rank.STRONG)) {
            stack.setUsed(maxDepth + 3);
            long[] slots = stack.slots();
            long total = checkTree(heap, bottomUp(heap, slots, maxDepth + 1));
            slots[maxDepth + 2] = bottomUp(heap, slots, maxDepth); // the long-lived tree
            for (int d = MIN_DEPTH; d <= maxDepth; d += 2) {
                int iterations = 1 << (maxDepth - d + MIN_DEPTH);
                long check = 0;
                for (int i = 0; i < iterations; i++) {
                    check += checkTree(heap, bottomUp(heap, slots, d));
                }
                total += check;
            }
            return total + checkTree(heap, slots[maxDepth + 2]);
        }
    }

    /**
     * A tree of the given depth; the result is a raw pointer, valid until the next allocation.
     * While the right subtree is built, the left one waits in {@code stack[depth]}, a slot of a
     * registered root area — an interpreter's stack, and what OCaml's native code does with a
     * stack slot its collector scans. The slot is cleared afterwards so that it does not keep a
     * dead tree alive.
     */
    static long bottomUp(Heap heap, long[] stack, int depth) {
        if (depth == 0) {
            return heap.alloc(0, Value.NONE, Value.NONE);
        }
        stack[depth] = bottomUp(heap, stack, depth - 1);
        long right = bottomUp(heap, stack, depth - 1);
        long node = heap.alloc(0, stack[depth], right); // right stays valid: alloc roots its fields
        stack[depth] = Value.NONE;
        return node;
    }

    static long checkTree(Heap heap, long node) {
        long left = heap.field(node, 0);
        if (left == Value.NONE) {
            return 1;
        }
        return 1 + checkTree(heap, left) + checkTree(heap, heap.field(node, 1));
    }

    // ------------------------------------------------------------------ plain JVM objects

    private static final class Node {
        final Node left;
        final Node right;

        Node(Node left, Node right) {
            this.left = left;
            this.right = right;
        }
    }

    /**
     * Runs on plain Java objects (the JVM's own collector). {@code "peak_heap_words"} is the
     * old generation's peak use during the run, in 8-byte words ({@link JvmHeap}); a JVM object
     * node takes 24 bytes (a 12-byte header and two 4-byte compressed references, padded to
     * 8), the same as a heap node of 3 words.
     */
    public static BenchResult jvm(int depth) {
        JvmHeap.resetPeaks();
        long t0 = System.nanoTime();
        int maxDepth = Math.max(MIN_DEPTH + 2, depth);
        long total = check(make(maxDepth + 1));
        Node longLived = make(maxDepth);
        for (int d = MIN_DEPTH; d <= maxDepth; d += 2) {
            int iterations = 1 << (maxDepth - d + MIN_DEPTH);
            long c = 0;
            for (int i = 0; i < iterations; i++) {
                c += check(make(d));
            }
            total += c;
        }
        total += check(longLived);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new BenchResult("binary-trees", "jvm")
                .put("depth", depth)
                .put("seconds", seconds)
                .put("peak_heap_words", JvmHeap.peakOldBytes() / 8)
                .put("check", total);
    }

    private static Node make(int d) {
        return d == 0 ? new Node(null, null) : new Node(make(d - 1), make(d - 1));
    }

    private static long check(Node n) {
        return n.left == null ? 1 : 1 + check(n.left) + check(n.right);
    }
}
