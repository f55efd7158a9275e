package dev.ephemera.gc;

import java.util.Arrays;

/**
 * Java objects referred to from the heap through {@linkplain dev.ephemera.object.layout.ForeignLayout
 * foreign boxes}. Slot {@code i} holds the object and the current pointer to its box; the box
 * holds {@code i}. The box pointer is weak: when the box dies, the slot is released and the Java
 * object becomes garbage for the JVM. Slots of boxes allocated since the last minor collection
 * are listed in {@code youngSlots}, so a minor collection only looks at those.
 */
final class ForeignTable implements WeakClient {
    private Object[] objects = new Object[16];
    private long[] boxes = new long[16];
    private int[] nextFree = new int[16];
    private int freeHead = -1;
    private int top;
    private int live;
    private final LongStack youngSlots = new LongStack(64);

    /** Takes a slot for {@code object}; {@link #bind} gives it its box once allocated. */
    int add(Object object) {
        int i;
        if (freeHead >= 0) {
            i = freeHead;
            freeHead = nextFree[i];
        } else {
            if (top == objects.length) {
                objects = Arrays.copyOf(objects, top * 2);
                boxes = Arrays.copyOf(boxes, top * 2);
                nextFree = Arrays.copyOf(nextFree, top * 2);
            }
            i = top++;
        }
        objects[i] = object;
        boxes[i] = 0L;
        nextFree[i] = -2;
        live++;
        return i;
    }

    void bind(int slot, long box, boolean young) {
        boxes[slot] = box;
        if (young) {
            youngSlots.push(slot);
        }
    }

    Object get(int slot) {
        return objects[slot];
    }

    private void free(int slot) {
        objects[slot] = null;
        boxes[slot] = 0L;
        nextFree[slot] = freeHead;
        freeHead = slot;
        live--;
    }

    /** The box pointers are weak: slots of boxes that died are released, moved boxes followed. */
    @Override
    public boolean clear(Tracer tracer, Budget budget) {
        if (tracer.isMinor()) {
            minorSweep(tracer.survivors());
        } else {
            majorSweep(tracer);
        }
        return true;
    }

    /** A compaction moved blocks: box pointers follow. */
    @Override
    public void updateMoved(Tracer tracer) {
        for (int i = 0; i < top; i++) {
            if (nextFree[i] == -2) {
                boxes[i] = tracer.survivor(boxes[i]);
            }
        }
    }

    /** Minor collection: young boxes that were copied get their new address; the others die. */
    void minorSweep(SlotVisitor survivor) {
        for (int j = 0; j < youngSlots.size(); j++) {
            int slot = (int) youngSlots.get(j);
            long s = survivor.visit(boxes[slot]);
            if (s == 0L) {
                free(slot);
            } else {
                boxes[slot] = s;
            }
        }
        youngSlots.clear();
    }

    /** Major collection, before the sweep: slots of unmarked boxes are released. */
    void majorSweep(Tracer tracer) {
        for (int i = 0; i < top; i++) {
            if (nextFree[i] == -2 && !tracer.isReached(boxes[i])) {
                free(i);
            }
        }
    }

    int size() {
        return live;
    }

    /** Visits every box pointer (verification). */
    void forEachBox(SlotVisitor v) {
        for (int i = 0; i < top; i++) {
            if (nextFree[i] == -2) {
                v.visit(boxes[i]);
            }
        }
    }
}
