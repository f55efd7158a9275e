package dev.ephemera.fuzz;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.Scope;
import dev.ephemera.TestAccess;
import dev.ephemera.model.Model;
import dev.ephemera.object.Value;

/**
 * The program's roots, set in the heap and in the {@link Model} together. Every kind of root
 * the heap has is one of them: strong roots 0-1 are global roots, 2-3 the slots of a strong
 * root area, 4-5 handles of a scope open for the whole run; weak root 0 is a weak global root,
 * 1-2 the slots of a weak root area.
 */
final class ProgramRoots {
    /** How many strong roots a program has ({@code S0..S5} in the trace). */
    static final int STRONG = 6;
    /** How many weak roots a program has ({@code W0..W2} in the trace). */
    static final int WEAK = 3;

    private final Model model;
    private final GlobalRoot[] strongGlobals = new GlobalRoot[2];
    private final RootArea strongArea;
    private final Handle[] handles = new Handle[2];
    private final GlobalRoot weakGlobal;
    private final RootArea weakArea;

    ProgramRoots(Heap heap, Model model) {
        this.model = model;
        for (int i = 0; i < strongGlobals.length; i++) {
            strongGlobals[i] = heap.newGlobalRoot(Value.NONE);
        }
        strongArea = heap.newRootArea(2, Rank.STRONG);
        strongArea.setUsed(2);
        weakGlobal = heap.newWeakRoot(Value.NONE);
        weakArea = heap.newRootArea(2, Rank.WEAK);
        weakArea.setUsed(2);
        Scope scope = heap.openScope(); // never closed: the heap's close ends it
        for (int i = 0; i < handles.length; i++) {
            handles[i] = scope.handle(Value.NONE);
        }
    }

    long strong(int i) {
        return i < 2 ? strongGlobals[i].get() : i < 4 ? strongArea.get(i - 2) : handles[i - 4].get();
    }

    /** Strong root {@code i} := {@code v} in the heap, {@code m} in the model. */
    void setStrong(int i, long v, Object m) {
        if (i < 2) {
            strongGlobals[i].set(v);
        } else if (i < 4) {
            strongArea.set(i - 2, v);
        } else {
            handles[i - 4].set(v);
        }
        model.strong[i] = m;
    }

    /**
     * A weak root's value, read as the program reads it (through the read barrier): the weak
     * area's last slot (W2) is taken out with {@code pop} and put back, so that both of the
     * area's reads are the program's.
     */
    long weak(int i) {
        if (i == 2) {
            long v = weakArea.pop();
            weakArea.push(v);
            return v;
        }
        return i == 0 ? weakGlobal.get() : weakArea.get(i - 1);
    }

    /** A weak root's value, looked at without the read barrier (comparisons only). */
    long peekWeak(int i) {
        return i == 0 ? TestAccess.peek(weakGlobal) : TestAccess.peek(weakArea, i - 1);
    }

    /** Weak root {@code i} := {@code v} in the heap, {@code m} in the model. */
    void setWeak(int i, long v, Object m) {
        if (i == 0) {
            weakGlobal.set(v);
        } else {
            weakArea.set(i - 1, v);
        }
        model.weak[i] = m;
    }
}
