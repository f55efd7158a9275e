package dev.ephemera.badinput;

import dev.ephemera.EphemeronK1;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import java.util.function.Consumer;

/**
 * The child JVM of {@link UncheckedPointersTest}'s stored-pointer case, run without checked
 * mode: a pointer outside every chunk (address 1 of chunk 0, never mapped) is stored as a value
 * — which unchecked mode does not look at — into a field, a weak array, an ephemeron's data, a
 * new block and a handle, each in a heap of its own; then a full major collection traces it, a
 * minor one is asked for after that, and the heap is closed. Prints, per store, the class of
 * what each of the four steps threw ({@code returned} if nothing was).
 */
public final class StoredUncheckedPointers {
    private StoredUncheckedPointers() {}

    /** The made-up pointer: address 1 of chunk 0, which no heap ever maps. */
    private static final long FORGED = Value.ofAddress(1);

    public static void main(String[] args) {
        one("setField", (h) -> h.heap.setField(h.block.get(), 0, FORGED));
        one("Weak.set", (h) -> h.heap.weak().set(h.weak.get(), 0, FORGED));
        one("K1.setData", (h) -> h.heap.ephemerons().k1().setData(h.ephemeron.get(), FORGED));
        one("alloc", (h) -> h.block.set(h.heap.alloc(0, FORGED)));
        one("Handle.set", (h) -> h.block.set(FORGED));
        marking();
        cleaning();
    }

    /**
     * The pointer set as an ephemeron's key while a cycle cleans, then read: the read cleans the
     * ephemeron first, which asks whether the key was reached, and must report the heap corrupt.
     * Three hundred ephemerons with dead keys and small slices make the cleaning last.
     */
    private static void cleaning() {
        try (Heap heap = Heap.create(HeapConfig.defaults().minorHeapWords(4096).sliceWords(16));
             Scope s = heap.openScope()) {
            EphemeronK1 k1 = heap.ephemerons().k1();
            Handle e = s.handle(k1.create());
            Handle dying = s.handle(heap.allocArray(300, Value.UNIT));
            try (Scope keys = heap.openScope()) {
                Handle ks = keys.handle(heap.allocArray(300, Value.UNIT));
                for (int i = 0; i < 300; i++) {
                    heap.setField(ks.get(), i, heap.alloc(0, Value.ofInt(i)));
                    heap.setField(dying.get(), i, k1.make(heap.field(ks.get(), i), Value.ofInt(i)));
                }
                heap.gc().fullMajor();
            }
            for (int i = 0; i < 1_000_000 && heap.gc().stat().majorPhase != Phase.CLEAN; i++) {
                heap.gc().majorSlice(0);
            }
            if (heap.gc().stat().majorPhase != Phase.CLEAN) {
                System.out.println("cleaning not reached");
                return;
            }
            k1.setKey(e.get(), FORGED);
            System.out.println("cleaning read=" + outcome(() -> k1.getKey(e.get())));
        }
    }

    /**
     * The pointer overwritten while a cycle marks: the deletion barrier darkens the old value,
     * and marking its buffer, once full, meets the pointer inside the client's store — or the
     * slice that started the cycle already did. Either must report the heap corrupt.
     */
    private static void marking() {
        try (Heap heap = Heap.create(HeapConfig.defaults()); Scope s = heap.openScope()) {
            Handle block = s.handle(heap.alloc(0, Value.ofInt(1)));
            heap.gc().fullMajor(); // block is old: its stores go through the deletion barrier
            heap.setField(block.get(), 0, FORGED);
            String marked = outcome(() -> {
                heap.gc().majorSlice(1);
                for (int i = 0; i < 5000; i++) {
                    heap.setField(block.get(), 0, FORGED);
                }
            });
            System.out.println("marking stores=" + marked);
        }
    }

    /** A heap with an old block, weak array and ephemeron held in handles. */
    private record Fixture(Heap heap, Handle block, Handle weak, Handle ephemeron) {}

    private static void one(String store, Consumer<Fixture> storeIt) {
        Heap heap = Heap.create(HeapConfig.defaults());
        Scope s = heap.openScope();
        Fixture f = new Fixture(heap, s.handle(heap.alloc(0, Value.ofInt(1))), s.handle(heap.weak().create(1)),
                s.handle(heap.ephemerons().k1().create()));
        heap.gc().fullMajor();
        String stored = outcome(() -> storeIt.accept(f));
        String collected = outcome(() -> heap.gc().fullMajor());
        String again = outcome(() -> heap.gc().minor());
        String closed = outcome(() -> {
            s.close();
            heap.close();
        });
        System.out.println(store + " store=" + stored + " fullMajor=" + collected + " minor=" + again + " close=" + closed);
    }

    private static String outcome(Runnable step) {
        try {
            step.run();
            return "returned";
        } catch (RuntimeException | Error e) {
            return e.getClass().getSimpleName();
        }
    }
}
