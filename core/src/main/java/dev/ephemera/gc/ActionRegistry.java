package dev.ephemera.gc;

import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * The Java objects (finaliser actions) that finaliser rows refer to, each stored once and
 * referred to by an int id with a reference count.
 *
 * <p>Why not an {@code Object[]} column per row: a program typically registers one function
 * many times, and a million stores of an object reference into a large old array cost the
 * JVM's collector card marking, refinement and card scanning — a fifth of the time of a
 * million registrations under G1. An int column costs nothing to the JVM, and the last action
 * registered is remembered, so repeated registrations of one function skip the lookup.
 */
final class ActionRegistry {
    private Object[] actions = new Object[16];
    private int[] refs = new int[16];
    private int[] nextFree = new int[16];
    private int freeHead = -1;
    private int top;
    private final IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();
    private Object lastAction;
    private int lastId = -1;

    /** An id for {@code action}, counted once more. */
    int acquire(Object action) {
        if (action == lastAction && lastId >= 0) {
            refs[lastId]++;
            return lastId;
        }
        Integer known = ids.get(action);
        int id;
        if (known != null) {
            id = known;
        } else {
            id = newSlot(action);
            ids.put(action, id);
        }
        refs[id]++;
        lastAction = action;
        lastId = id;
        return id;
    }

    Object get(int id) {
        return actions[id];
    }

    /** Drops one reference to {@code id}; the action is forgotten when none is left. */
    void release(int id) {
        if (--refs[id] > 0) {
            return;
        }
        ids.remove(actions[id]);
        if (lastId == id) {
            lastId = -1;
            lastAction = null;
        }
        actions[id] = null;
        nextFree[id] = freeHead;
        freeHead = id;
    }

    private int newSlot(Object action) {
        int id;
        if (freeHead >= 0) {
            id = freeHead;
            freeHead = nextFree[id];
        } else {
            if (top == actions.length) {
                int n = top * 2;
                actions = Arrays.copyOf(actions, n);
                refs = Arrays.copyOf(refs, n);
                nextFree = Arrays.copyOf(nextFree, n);
            }
            id = top++;
        }
        actions[id] = action;
        refs[id] = 0;
        return id;
    }
}
