package dev.ephemera.badinput;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.Handle;
import dev.ephemera.object.Value;
import java.util.function.LongConsumer;

/**
 * The child JVM of {@link UncheckedPointersTest}, run without checked mode: gives the accessors
 * pointers that lie outside every chunk and pointers into chunks no longer mapped, and prints,
 * per case and accessor, the class of what was thrown ({@code returned} if nothing was).
 */
public final class UncheckedPointers {
    private UncheckedPointers() {}

    public static void main(String[] args) {
        try (Heap heap = Heap.create(HeapConfig.defaults()); Scope s = heap.openScope()) {
            long block = heap.alloc(0, Value.ofInt(1), Value.ofInt(2));
            Handle old = s.handle(heap.allocArray(4, Value.ofInt(0)));
            heap.gc().fullMajor(); // old's array is in the major heap from here on
            long oldArray = old.get();
            // a young pointer kept across a minor collection: its nursery chunk is never mapped again
            long young = heap.alloc(0, Value.ofInt(1));
            heap.gc().minor();
            report(heap, "stale-young", young);
            report(heap, "index-0", Value.ofAddress(1));
            report(heap, "index-never-reserved", Value.ofAddress(((long) 1_000_000 << 32) | 1));
            report(heap, "highest-index", Value.ofAddress((Integer.MAX_VALUE * 1L << 32) | 1));
            report(heap, "past-chunk-end", Value.ofAddress(Value.addressOf(oldArray) + (1L << 31) - 2));
            report(heap, "chunk-offset-0", Value.ofAddress(Value.addressOf(oldArray) & ~0xFFFF_FFFFL));
            System.out.println("heap usable: " + Value.intOf(heap.field(old.get(), 3)));
            if (block == Value.NONE) {
                throw new AssertionError("unreachable");
            }
        }
    }

    private static void report(Heap heap, String name, long p) {
        one(name, "field", v -> heap.field(v, 0), p);
        one(name, "setField", v -> heap.setField(v, 0, Value.ofInt(7)), p);
        one(name, "tag", heap::tag, p);
        one(name, "size", heap::size, p);
        one(name, "rawField", v -> heap.rawField(v, 0), p);
        one(name, "identityHash", heap::identityHash, p);
        // the ephemeron and weak-array accessors and foreign, which read the header through EntryChecks.blockHeader
        one(name, "Weak.length", v -> heap.weak().length(v), p);
        one(name, "Weak.check", v -> heap.weak().check(v, 0), p);
        one(name, "Ephemerons.getKey", v -> heap.ephemerons().getKey(v, 0), p);
        one(name, "foreign", heap::foreign, p);
    }

    private static void one(String name, String accessor, LongConsumer call, long p) {
        String outcome;
        try {
            call.accept(p);
            outcome = "returned";
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
        }
        System.out.println(name + " " + accessor + " " + outcome);
    }
}
