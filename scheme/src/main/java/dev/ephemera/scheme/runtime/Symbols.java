package dev.ephemera.scheme.runtime;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.SymbolLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The symbol table: interns symbols <b>weakly</b>, through one of the heap's own weak arrays.
 *
 * <p>Why weak: a symbol is only a name with an identity. If nothing refers to it any more,
 * nobody can tell whether a later {@code (string->symbol "x")} returns "the same" symbol, so the
 * table need not keep it — exactly the use weak pointers exist for, and a program that makes
 * symbols from data (a reader, a tokenizer) does not leak. Symbols named in code stay alive
 * through the code's constant table.
 *
 * <p>Structure: a Java map from name to a slot of a weak array held by a strong global root.
 * A lookup whose slot was cleared by the collector makes a new symbol in that slot. When the
 * array is full, the map is purged of cleared slots first and the array doubles only if that
 * frees too little.
 */
public final class Symbols {
    private final Heap heap;
    private final Stack stack;
    private final GlobalRoot array;
    private final Map<String, Integer> slots = new HashMap<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private int capacity;

    Symbols(Heap heap, Stack stack) {
        this.heap = heap;
        this.stack = stack;
        this.capacity = 1024;
        this.array = heap.newGlobalRoot(heap.weak().create(capacity));
        for (int i = 0; i < capacity; i++) {
            free.add(i);
        }
    }

    /** The symbol named {@code name}, made if no live one exists. */
    public long intern(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            long s = heap.weak().get(array.get(), slot);
            if (s != Value.NONE) {
                return s;
            }
        }
        int base = stack.sp();
        try {
            long str = heap.allocString(name);
            stack.push(heap.alloc(SchemeTag.SYMBOL, str));
            if (slot == null) {
                slot = freeSlot();
                slots.put(name, slot);
            }
            long sym = stack.get(base);
            heap.weak().set(array.get(), slot, sym);
            return sym;
        } finally {
            stack.reset(base);
        }
    }

    /** The name of the symbol {@code sym}. */
    public String name(long sym) {
        return heap.stringValue(heap.field(sym, SymbolLayout.NAME_FIELD));
    }

    private int freeSlot() {
        if (free.isEmpty()) {
            purge();
        }
        if (free.size() < capacity / 4) {
            int old = capacity;
            capacity *= 2;
            long bigger = heap.weak().create(capacity);
            heap.weak().blit(array.get(), 0, bigger, 0, old);
            array.set(bigger);
            for (int i = old; i < capacity; i++) {
                free.add(i);
            }
        }
        return free.poll();
    }

    private void purge() {
        long a = array.get();
        for (Iterator<Map.Entry<String, Integer>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (!heap.weak().check(a, e.getValue())) {
                free.add(e.getValue());
                it.remove();
            }
        }
    }
}
