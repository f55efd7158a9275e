package dev.ephemera.gc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the collector treats as a root that the client controls, by rank.
 *
 * <ul>
 * <li><b>Global roots</b>: a table of slots with a free list (OCaml's generational global
 *     roots), one table per rank.</li>
 * <li><b>Root regions</b>: arrays scanned in place up to their {@code used} count, one list
 *     per rank: the API's root stacks (the heap's own, which holds scoped handles and the
 *     arguments of allocations in progress, and those of the tables and the Scheme) and its
 *     root areas.</li>
 * </ul>
 * Rank strong keeps referents alive; rank weak (MPS {@code mps_rank_weak}) does not: after
 * the strong closure and finalisation, a weak slot whose referent died is set to {@code NONE}
 * ("splatted"), and one whose referent moved is updated.
 */
public final class RootSet {
    final SlotTable strongGlobals = new SlotTable();
    final SlotTable weakGlobals = new SlotTable();
    final List<RootRegion> strongRegions = new ArrayList<>();
    final List<RootRegion> weakRegions = new ArrayList<>();

    public SlotTable globals(boolean weak) {
        return weak ? weakGlobals : strongGlobals;
    }

    public void addRegion(RootRegion region, boolean weak) {
        (weak ? weakRegions : strongRegions).add(region);
    }

    public boolean removeRegion(RootRegion region) {
        return strongRegions.remove(region) || weakRegions.remove(region);
    }

    /** The number of strong region slots in use: a measure of the work of visiting them. */
    public int strongRegionSlots() {
        int n = 0;
        for (RootRegion r : strongRegions) {
            n += r.used();
        }
        return n;
    }

    /** Visits every strong root slot. */
    void forEachStrong(SlotVisitor v) {
        strongGlobals.visit(v);
        for (int i = 0; i < strongRegions.size(); i++) { // (no iterator: no garbage per collection)
            visitRegion(strongRegions.get(i), v);
        }
    }

    /**
     * The weak roots' part in weak processing: when a collection clears, a weak slot whose
     * referent died is splatted and one whose referent moved is updated.
     */
    WeakClient weakRoots() {
        return new WeakClient() {
            @Override
            public boolean clear(Tracer tracer, Budget budget) {
                forEachWeak(tracer.survivors());
                return true;
            }
        };
    }

    /** Visits every weak root slot. */
    void forEachWeak(SlotVisitor v) {
        weakGlobals.visit(v);
        for (int i = 0; i < weakRegions.size(); i++) {
            visitRegion(weakRegions.get(i), v);
        }
    }

    private static void visitRegion(RootRegion r, SlotVisitor v) {
        long[] s = r.slots();
        int n = Math.min(r.used(), s.length);
        for (int i = 0; i < n; i++) {
            s[i] = v.visit(s[i]);
        }
    }

    /**
     * A table of root slots with a free list, for global roots. A released slot holds
     * {@code NONE} and is chained through {@link #nextFree}.
     */
    public static final class SlotTable {
        long[] slots = new long[64];
        private int[] nextFree = new int[64];
        private int freeHead = -1;
        private int top;
        private int live;

        /** Takes a slot holding {@code v}; returns its index. */
        public int add(long v) {
            int i;
            if (freeHead >= 0) {
                i = freeHead;
                freeHead = nextFree[i];
            } else {
                if (top == slots.length) {
                    slots = Arrays.copyOf(slots, top * 2);
                    nextFree = Arrays.copyOf(nextFree, top * 2);
                }
                i = top++;
            }
            nextFree[i] = -2; // in use
            slots[i] = v;
            live++;
            return i;
        }

        public long get(int i) {
            return slots[i];
        }

        public void set(int i, long v) {
            slots[i] = v;
        }

        public void remove(int i) {
            if (i < 0 || i >= top || nextFree[i] != -2) {
                throw new IllegalStateException("RootSet.SlotTable.remove: slot " + i + " is not in use");
            }
            slots[i] = 0L;
            nextFree[i] = freeHead;
            freeHead = i;
            live--;
        }

        public int size() {
            return live;
        }

        void visit(SlotVisitor v) {
            long[] s = slots;
            for (int i = 0; i < top; i++) {
                if (s[i] != 0L) {
                    s[i] = v.visit(s[i]);
                }
            }
        }
    }
}
