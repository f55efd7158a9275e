package dev.ephemera.scheme.machine;

import dev.ephemera.Heap;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The global environment: one slot per global variable in a registered root area (so every
 * global value is a root), addressed by an index the compiler resolves once. An unbound
 * variable's slot holds {@link Value#NONE}.
 */
public final class Globals implements AutoCloseable {
    private final RootArea area;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    Globals(Heap heap) {
        this.area = heap.newRootArea(1024, Rank.STRONG);
    }

    /** The slot of the global named {@code name}, made (unbound) if new. */
    public int slot(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        int n = names.size();
        names.add(name);
        index.put(name, n);
        area.push(Value.NONE);
        return n;
    }

    /** True if {@code name} names a bound global. */
    public boolean isBound(String name) {
        Integer i = index.get(name);
        return i != null && area.get(i) != Value.NONE;
    }

    public long get(int slot) {
        return area.slots()[slot];
    }

    public void set(int slot, long v) {
        area.set(slot, v);
    }

    /** The names of the bound globals. */
    public List<String> boundNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (area.get(i) != Value.NONE) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() {
        area.close();
    }
}
