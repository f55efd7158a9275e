package dev.ephemera.fuzz;

import static dev.ephemera.fuzz.ProgramRoots.STRONG;
import static dev.ephemera.fuzz.ProgramRoots.WEAK;
import static dev.ephemera.fuzz.Trace.show;

import dev.ephemera.EphemeronK2;
import dev.ephemera.EphemeronKn;
import dev.ephemera.Heap;
import dev.ephemera.fuzz.Program.Act;
import dev.ephemera.model.Model;
import dev.ephemera.model.Model.Kind;
import dev.ephemera.model.Model.Obj;
import dev.ephemera.object.Value;
import java.util.Arrays;
import java.util.List;

/**
 * The acts on ephemerons and weak arrays ({@code SET_KEY}, {@code SET_DATA}, {@code BLIT_KEY},
 * {@code BLIT_DATA}, {@code FILL}, {@code GET}, {@code QUERY}), on both sides, each through one
 * of the APIs that reach the same slots: {@code Obj.Ephemeron}, the typed {@code K1/K2/Kn}
 * modules, and {@code Weak}.
 */
final class EphemeronSteps {
    private final Heap heap;
    private final Model model;
    private final Trace trace;
    private final Operands operands;
    private final Observers observers;
    private final ProgramRoots roots;
    private final AllocationSteps allocation;

    EphemeronSteps(Heap heap, Model model, Trace trace, Operands operands, Observers observers, ProgramRoots roots,
            AllocationSteps allocation) {
        this.heap = heap;
        this.model = model;
        this.trace = trace;
        this.operands = operands;
        this.observers = observers;
        this.roots = roots;
        this.allocation = allocation;
    }

    void setKey(Act a) {
        Obj o = operands.target(a, 0, Kind.EPHEMERON);
        int n = o.fields.length;
        int i = a.a() % n;
        Object x = operands.modelOf(a.vals().get(1));
        long e = operands.heapOf(o);
        long k = operands.heapOf(x);
        int api = observers.isWeakArray(o) ? 2 : a.b() % 3;
        trace.note(o + ".key" + i + " := " + show(x) + " via " + new String[] {"Obj.Ephemeron", "K1/K2/Kn", "Weak.set"}[api]);
        switch (api) {
            case 0 -> {
                if (x == null) {
                    heap.ephemerons().unsetKey(e, i);
                } else {
                    heap.ephemerons().setKey(e, i, k);
                }
            }
            case 1 -> {
                EphemeronK2 k2 = heap.ephemerons().k2();
                if (n == 1 && x == null) {
                    heap.ephemerons().k1().unsetKey(e);
                } else if (n == 1) {
                    heap.ephemerons().k1().setKey(e, k);
                } else if (n == 2 && x == null) {
                    if (i == 0) {
                        k2.unsetKey1(e);
                    } else {
                        k2.unsetKey2(e);
                    }
                } else if (n == 2) {
                    if (i == 0) {
                        k2.setKey1(e, k);
                    } else {
                        k2.setKey2(e, k);
                    }
                } else if (x == null) {
                    heap.ephemerons().kn().unsetKey(e, i);
                } else {
                    heap.ephemerons().kn().setKey(e, i, k);
                }
            }
            default -> heap.weak().set(e, i, k);
        }
        o.fields[i] = x;
    }

    void setData(Act a) {
        Obj o = operands.target(a, 0, Kind.EPHEMERON);
        Object x = operands.modelOf(a.vals().get(1));
        long e = operands.heapOf(o);
        long d = operands.heapOf(x);
        int n = o.fields.length;
        trace.note(o + ".data := " + show(x));
        if (a.b() % 2 == 0) {
            if (x == null) {
                heap.ephemerons().unsetData(e);
            } else {
                heap.ephemerons().setData(e, d);
            }
        } else if (n == 1) {
            if (x == null) {
                heap.ephemerons().k1().unsetData(e);
            } else {
                heap.ephemerons().k1().setData(e, d);
            }
        } else if (n == 2) {
            if (x == null) {
                heap.ephemerons().k2().unsetData(e);
            } else {
                heap.ephemerons().k2().setData(e, d);
            }
        } else if (x == null) {
            heap.ephemerons().kn().unsetData(e);
        } else {
            heap.ephemerons().kn().setData(e, d);
        }
        o.data = x;
    }

    void blitKey(Act a) {
        Obj o1 = operands.target(a, 0, Kind.EPHEMERON);
        Obj o2 = operands.target(a, 1, Kind.EPHEMERON);
        int n1 = o1.fields.length;
        int n2 = o2.fields.length;
        int len = a.c() % (Math.min(n1, n2) + 1);
        int from = a.a() % (n1 - len + 1);
        int to = a.b() % (n2 - len + 1);
        long e1 = operands.heapOf(o1);
        long e2 = operands.heapOf(o2);
        int api = a.d() % 4;
        trace.note("blit keys " + o1 + "[" + from + ".." + (from + len) + ") -> " + o2 + "[" + to + ".." + (to + len) + ")");
        if (api == 3 && n1 == 1 && n2 == 1 && len == 1) {
            heap.ephemerons().k1().blitKey(e1, e2);
        } else if (api == 3 && n1 == 2 && n2 == 2 && len == 2) {
            heap.ephemerons().k2().blitKey12(e1, e2);
        } else if (api == 3 && n1 == 2 && n2 == 2 && len == 1 && from == to) {
            if (from == 0) {
                heap.ephemerons().k2().blitKey1(e1, e2);
            } else {
                heap.ephemerons().k2().blitKey2(e1, e2);
            }
        } else if (api == 1) {
            heap.ephemerons().kn().blitKey(e1, from, e2, to, len);
        } else if (api == 2) {
            heap.weak().blit(e1, from, e2, to, len);
        } else {
            heap.ephemerons().blitKey(e1, from, e2, to, len);
        }
        Object[] copied = Arrays.copyOfRange(o1.fields, from, from + len);
        System.arraycopy(copied, 0, o2.fields, to, len);
    }

    void blitData(Act a) {
        Obj o1 = operands.target(a, 0, Kind.EPHEMERON);
        Obj o2 = operands.target(a, 1, Kind.EPHEMERON);
        long e1 = operands.heapOf(o1);
        long e2 = operands.heapOf(o2);
        int n = o1.fields.length;
        trace.note(o2 + ".data := " + o1 + ".data (blit_data)");
        if (a.a() % 2 == 1 && n == o2.fields.length) {
            if (n == 1) {
                heap.ephemerons().k1().blitData(e1, e2);
            } else if (n == 2) {
                heap.ephemerons().k2().blitData(e1, e2);
            } else {
                heap.ephemerons().kn().blitData(e1, e2);
            }
        } else {
            heap.ephemerons().blitData(e1, e2);
        }
        o2.data = o1.data;
    }

    /** {@code Weak.fill}: a range of keys := one value. */
    void fill(Act a) {
        Obj e = operands.target(a, 0, Kind.EPHEMERON);
        int n = e.fields.length;
        int len = a.b() % (n + 1);
        int ofs = a.a() % (n - len + 1);
        Object x = operands.modelOf(a.vals().get(1));
        trace.note("Weak.fill " + e + "[" + ofs + ".." + (ofs + len) + ") := " + show(x));
        heap.weak().fill(operands.heapOf(e), ofs, len, operands.heapOf(x));
        Arrays.fill(e.fields, ofs, ofs + len, x);
    }

    /** Reads a key, the data or a weak root into a strong root; a copy of a block allocates a new object. */
    void get(Act a) {
        int what = a.a() % 3;
        int dest = a.c() % STRONG;
        boolean copy = a.d() % 3 == 0;
        Obj e = operands.target(a, 0, Kind.EPHEMERON);
        Object x;
        int i = 0;
        if (what == 2) {
            x = model.weak[a.b() % WEAK];
        } else if (what == 1) {
            x = e.data;
        } else {
            i = a.b() % e.fields.length;
            x = e.fields[i];
        }
        boolean copies = copy && x instanceof Obj && ((Obj) x).kind == Kind.BLOCK;
        trace.note("S" + dest + " := " + (what == 2 ? "W" + a.b() % WEAK : what == 1 ? e + ".data" : e + ".key" + i)
                + (copies ? " copied: #" + a.id() + " (get_copy)" : copy ? " (get_copy: not copied)" : ""));
        // a guardian, like an ephemeron, is handed out as it is by get_copy: the !copies path below
        if (what == 2) {
            long v = roots.weak(a.b() % WEAK);
            roots.setStrong(dest, v, x);
            return;
        }
        long v;
        if (!copies) {
            long h = operands.heapOf(e);
            EphemeronKn kn = heap.ephemerons().kn();
            if (what == 1) {
                v = copy ? kn.getDataCopy(h) : e.fields.length == 1 ? heap.ephemerons().k1().getData(h) : kn.getData(h);
            } else if (observers.isWeakArray(e)) {
                v = copy ? heap.weak().getCopy(h, i) : heap.weak().get(h, i);
            } else {
                v = copy ? heap.ephemerons().getKeyCopy(h, i) : e.fields.length == 1 && i == 0
                        ? heap.ephemerons().k1().getKey(h) : kn.getKey(h, i);
            }
            roots.setStrong(dest, v, x);
            return;
        }
        int keyIndex = i;
        // What the heap roots across the copy's allocation is the ephemeron, never the value:
        // get_copy does not keep the original, so a collection that allocation runs may erase it
        // (OCaml's ephe_get_field_copy reads the slot again after allocating), and the
        // model, holding the same temps, erases it too.
        v = operands.withTemps(List.of(e), () -> {
            long h = operands.heapOf(e);
            if (what == 1) {
                return e.fields.length == 2 ? heap.ephemerons().k2().getDataCopy(h) : heap.ephemerons().getDataCopy(h);
            }
            if (observers.isWeakArray(e)) {
                return heap.weak().getCopy(h, keyIndex);
            }
            if (e.fields.length == 1) {
                return heap.ephemerons().k1().getKeyCopy(h);
            }
            if (e.fields.length == 2) {
                return keyIndex == 0 ? heap.ephemerons().k2().getKey1Copy(h) : heap.ephemerons().k2().getKey2Copy(h);
            }
            return heap.ephemerons().kn().getKeyCopy(h, keyIndex);
        });
        Object now = what == 1 ? e.data : e.fields[keyIndex];
        if (!Value.isBlock(v) || !(now instanceof Obj) || ((Obj) now).kind != Kind.BLOCK) {
            // Erased by a collection the allocation ran, or replaced by a finaliser run at it:
            // the result is what the slot holds now, and the comparison checks that it agrees.
            trace.note("  (the slot changed during the copy's allocation: " + show(now) + ")");
            roots.setStrong(dest, v, now);
            return;
        }
        Obj orig = (Obj) now;
        heap.setField(v, observers.idIndex(orig), Value.ofInt(a.id())); // the copy's layout is the original's
        Obj c = model.allocate(a.id(), Kind.BLOCK, orig.fields.length, orig.fields.length + 1 <= 256);
        System.arraycopy(orig.fields, 0, c.fields, 0, orig.fields.length);
        observers.rememberTag(c, observers.tagOf(orig));
        observers.rememberIdLast(c, observers.isIdLast(orig));
        allocation.born(c, v, dest);
    }

    /** {@code K1/K2/Kn.query} (sometimes with the wrong number of keys) into a strong root. */
    void query(Act a) {
        Obj e = operands.target(a, 0, Kind.EPHEMERON);
        List<Object> ks = operands.values(a, 1);
        int n = e.fields.length;
        int len = n == 0 ? 0 : a.a() % 5 == 0 ? (n + 1) : n;   // sometimes the wrong number of keys
        while (ks.size() < len) {
            ks.add(null);
        }
        ks = ks.subList(0, len);
        trace.note("S" + a.c() % STRONG + " := query " + e + " " + show(ks));
        long h = operands.heapOf(e);
        long v;
        if (n == 1 && len == 1 && a.b() % 2 == 0) {
            v = heap.ephemerons().k1().query(h, operands.heapOf(ks.get(0)));
        } else if (n == 2 && len == 2 && a.b() % 2 == 0) {
            v = heap.ephemerons().k2().query(h, operands.heapOf(ks.get(0)), operands.heapOf(ks.get(1)));
        } else {
            long[] keys = new long[len];
            for (int i = 0; i < len; i++) {
                keys[i] = operands.heapOf(ks.get(i));
            }
            v = heap.ephemerons().kn().query(h, keys);
        }
        boolean matches = len == n;
        for (int i = 0; i < len && matches; i++) {
            Object k = e.fields[i];
            matches = k != null && (k instanceof Long ? k.equals(ks.get(i)) : k == ks.get(i));
        }
        roots.setStrong(a.c() % STRONG, v, matches ? e.data : null);
    }
}
