package dev.ephemera.tables;

import dev.ephemera.Heap;
import dev.ephemera.TestAccess;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.layout.Header;
import dev.ephemera.object.Value;
import dev.ephemera.tables.engine.TableValidator;
import dev.ephemera.tables.layout.BucketLayout;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs the {@link TableValidator} after every table test, as the heap verifier runs after every
 * collection (Caffeine validates its caches after every test the same way): once the test has
 * passed, every table, weak set and bucket left in a heap the test made with {@link TableHeaps}
 * — rooted or already garbage — must keep the engines' invariants; a broken one fails the test,
 * naming it. Then the heaps are closed.
 *
 * <p>The validation runs inside the test's invocation, on the thread that made the heaps (their
 * owner; with the timeout's {@code SEPARATE_THREAD} mode, not the thread that runs
 * {@code @AfterEach}). Blocks are found without taking part in the heap: the nursery is walked
 * block by block, and every other word of the arena is asked whether it starts a live block
 * (checked mode's exact pointer check); blocks a collection in progress has found dead are not
 * looked at.
 */
final class TableValidation implements InvocationInterceptor {
    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        runValidated(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        runValidated(invocation);
    }

    private static void runValidated(Invocation<Void> invocation) throws Throwable {
        List<Heap> heaps = TableHeaps.beginTest();
        try {
            invocation.proceed();
            for (Heap heap : heaps) {
                if (!heap.isClosed()) {
                    validateAll(heap);
                }
            }
        } finally {
            TableHeaps.endTest(heaps);
        }
    }

    /** Validates every table, weak set and bucket in {@code heap}; returns how many. */
    static int validateAll(Heap heap) {
        int[] validated = {0};
        forEachBlock(heap, v -> {
            if (looksLikeATable(heap, v) && TableValidator.validateIfTable(heap, v)) {
                validated[0]++;
            }
        });
        return validated[0];
    }

    /** A cheap filter: tag 0 and a mark in field 0 (the validator checks the rest). */
    private static boolean looksLikeATable(Heap heap, long v) {
        if (heap.tag(v) != TableLayout.TAG || heap.size(v) == 0) {
            return false;
        }
        long mark = heap.field(v, 0);
        return mark == TableLayout.MARK || mark == WeakSetLayout.MARK || mark == BucketLayout.MARK;
    }

    /** Calls {@code visitor} with every block of {@code heap} that is allocated and not found dead. */
    static void forEachBlock(Heap heap, LongConsumer visitor) {
        Arena arena = TestAccess.arena(heap);
        long nurseryTop = TestAccess.nurseryTop(heap);
        int nursery = Arena.indexOf(nurseryTop);
        for (long a = Arena.address(nursery, 0); a < nurseryTop; ) {
            long header = arena.read(a);
            visitor.accept(Value.ofAddress(a + 1));
            a += 1 + Math.max(Header.sizeWords(header), 1);
        }
        long mapped = arena.mappedWords() - arena.chunk(nursery).length;
        for (int index = 1; mapped > 0; index++) {
            long[] chunk = arena.chunk(index);
            if (chunk == null || index == nursery) {
                continue;
            }
            mapped -= chunk.length;
            for (int offset = 1; offset < chunk.length; offset++) {
                long v = Value.ofAddress(Arena.address(index, offset));
                if (TestAccess.isBlockStart(heap, v)) {
                    visitor.accept(v);
                }
            }
        }
    }
}
