package dev.ephemera;

import dev.ephemera.gc.RootSet;
import dev.ephemera.gc.WeakSlots;

/**
 * The roots the API hands out — {@link Scope}s of {@link Handle}s, {@link GlobalRoot}s,
 * {@link RootStack}s and {@link RootArea}s — over the collector's {@link RootSet}, the heap's own
 * root stack, and the count of open scopes that keeps scopes strictly nested. The objects it
 * makes take from it what their own fast paths need, so a {@code Handle.get} reads no more than
 * it did when everything lived in {@code Heap}.
 */
final class Roots {
    /** The most slots a root area may be created with (it may grow later). */
    static final int MAX_ROOT_AREA_SLOTS = 1 << 26;

    private final RootSet set;
    private final WeakSlots weakSlots;
    private final EntryChecks checks;
    /** The heap's own root stack: scoped handles, and the values allocations keep. */
    private final RootStack stack;
    /** The root stacks given out and not closed: {@link #heapClosed} closes them with the heap. */
    private final java.util.List<RootStack> stacks = new java.util.ArrayList<>();
    /** Number of open scopes; the innermost has depth == scopeDepth. */
    private int scopeDepth;

    Roots(RootSet set, WeakSlots weakSlots, EntryChecks checks) {
        this.set = set;
        this.weakSlots = weakSlots;
        this.checks = checks;
        this.stack = new RootStack(this);
        set.addRegion(stack.region, false);
    }

    /** The heap's own root stack: what scopes and the library's own rooting push on. */
    RootStack stack() {
        return stack;
    }

    /** Reads of weak roots, which keep their value alive while a major cycle marks. */
    WeakSlots weakSlots() {
        return weakSlots;
    }

    EntryChecks checks() {
        return checks;
    }

    // ================================================================== scopes

    /** {@link Heap#openScope}. */
    Scope openScope() {
        checks.enter("Heap.openScope");
        return new Scope(this, ++scopeDepth);
    }

    /** The depth of the innermost open scope (0 when none is open). */
    int scopeDepth() {
        return scopeDepth;
    }

    /** The innermost scope, at depth {@link #scopeDepth}, has closed. */
    void scopeClosed() {
        scopeDepth--;
    }

    /** Refuses {@code op} (handing the heap to another thread) while a scope is open. */
    void checkNoOpenScope(String op) {
        if (scopeDepth != 0) {
            throw new IllegalStateException(op + ": " + scopeDepth + " scope(s) still open");
        }
    }

    // ================================================================== global roots, root stacks and root areas

    /** {@link Heap#newGlobalRoot} and {@link Heap#newWeakRoot}, reported under {@code op}. */
    GlobalRoot newGlobalRoot(String op, long v, Rank rank) {
        checks.enter(op);
        checks.checkValue(op, v);
        RootSet.SlotTable table = set.globals(rank == Rank.WEAK);
        return new GlobalRoot(this, table, table.add(v), rank);
    }

    /** {@link Heap#newRootStack}. */
    RootStack newRootStack() {
        checks.enter("Heap.newRootStack");
        RootStack s = new RootStack(this);
        set.addRegion(s.region, false);
        stacks.add(s);
        return s;
    }

    /** Unregisters a closed root stack. */
    void remove(RootStack s) {
        set.removeRegion(s.region);
        stacks.remove(s);
    }

    /** The heap is closing: every root stack it gave out, and its own, roots nothing and refuses every operation. */
    void heapClosed() {
        stack.heapClosed();
        for (RootStack s : stacks) {
            s.heapClosed();
        }
        stacks.clear();
    }

    /** {@link Heap#newRootArea}. */
    RootArea newRootArea(int capacity, Rank rank) {
        checks.enter("Heap.newRootArea");
        if (capacity < 0 || capacity > MAX_ROOT_AREA_SLOTS) {
            throw new IllegalArgumentException("Heap.newRootArea: capacity " + capacity + " out of range [0, "
                    + MAX_ROOT_AREA_SLOTS + "]");
        }
        EntryChecks.requireNonNull("Heap.newRootArea", "rank", rank);
        RootArea area = new RootArea(this, capacity, rank);
        set.addRegion(area.region, rank == Rank.WEAK);
        return area;
    }

    /** Unregisters a closed root area. */
    void remove(RootArea area) {
        set.removeRegion(area.region);
    }
}
