package dev.ephemera.scheme.primitives;

import dev.ephemera.GcStat;
import dev.ephemera.WrongTagException;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.machine.ErrorSignal;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.WeakBoxLayout;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * The weak features, straight onto the heap's own: SRFI 124 ephemerons are the heap's K1
 * ephemerons, weak boxes hold a one-slot weak array, guardians are the heap's guardians,
 * {@code finalise!}/{@code finalise-last!} are {@code Gc.finalise}/{@code Gc.finalise_last}
 * with a Scheme procedure, and {@code gc} is {@code Gc.major}/{@code Gc.minor}.
 */
public final class WeakPrimitives {
    private WeakPrimitives() {}

    private static boolean isEphemeron(Machine m, long v) {
        return m.h.is(v, Tag.EPHEMERON) && m.heap.ephemerons().length(v) == 1;
    }

    private static long ephemeron(Machine m, String proc, int a) {
        long v = m.arg(a, 0);
        if (!isEphemeron(m, v)) {
            throw Args.wrongType(m, proc, "an ephemeron", v);
        }
        return v;
    }

    /** A refusal by the heap of a value {@link Args#finalisable} let through (a kind it adds later). */
    private static ErrorSignal refused(Machine m, String proc, int a, WrongTagException e) {
        return new ErrorSignal("wrong-type", proc + ": cannot finalise " + m.printer.brief(m.arg(a, 1))
                + " (" + e.getMessage() + ")", m.arg(a, 1));
    }

    public static void install(Machine m) {
        SchemeHeap h = m.h;
        // ---------------------------------------------------------------- SRFI 124
        m.define(new Primitive("make-ephemeron", 2, 2, (mm, a, n) ->
                mm.heap.ephemerons().k1().make(mm.arg(a, 0), mm.arg(a, 1))));
        m.define(new Primitive("ephemeron?", 1, 1, (mm, a, n) -> h.bool(isEphemeron(mm, mm.arg(a, 0)))));
        m.define(new Primitive("ephemeron-broken?", 1, 1, (mm, a, n) ->
                h.bool(!mm.heap.ephemerons().k1().checkKey(ephemeron(mm, "ephemeron-broken?", a)))));
        m.define(new Primitive("ephemeron-key", 1, 1, (mm, a, n) -> {
            long k = mm.heap.ephemerons().k1().getKey(ephemeron(mm, "ephemeron-key", a));
            return k == Value.NONE ? h.f() : k;
        }));
        m.define(new Primitive("ephemeron-datum", 1, 1, (mm, a, n) -> {
            long e = ephemeron(mm, "ephemeron-datum", a);
            if (!mm.heap.ephemerons().k1().checkKey(e)) {
                return h.f();
            }
            long d = mm.heap.ephemerons().k1().getData(e);
            return d == Value.NONE ? h.f() : d;
        }));
        m.define(new Primitive("reference-barrier", 1, 1, (mm, a, n) -> h.unspecified()));

        // ---------------------------------------------------------------- weak boxes
        m.define(new Primitive("make-weak-box", 1, 1, (mm, a, n) -> {
            long weak = mm.heap.weak().create(WeakBoxLayout.WEAK_ARRAY_SLOTS);
            mm.heap.weak().set(weak, WeakBoxLayout.VALUE_SLOT, mm.arg(a, 0));
            return mm.heap.alloc(SchemeTag.WEAK_BOX, weak);
        }));
        m.define(new Primitive("weak-box?", 1, 1, (mm, a, n) -> h.bool(h.is(mm.arg(a, 0), SchemeTag.WEAK_BOX))));
        m.define(new Primitive("weak-box-value", 1, 2, (mm, a, n) -> {
            long box = Args.of(mm, "weak-box-value", a, 0, SchemeTag.WEAK_BOX, "a weak box");
            long v = mm.heap.weak().get(mm.heap.field(box, WeakBoxLayout.WEAK_ARRAY_FIELD), WeakBoxLayout.VALUE_SLOT);
            if (v == Value.NONE) {
                return n == 2 ? mm.arg(a, 1) : h.f();
            }
            return v;
        }));
        m.define(new Primitive("weak-box-broken?", 1, 1, (mm, a, n) -> {
            long box = Args.of(mm, "weak-box-broken?", a, 0, SchemeTag.WEAK_BOX, "a weak box");
            return h.bool(!mm.heap.weak().check(mm.heap.field(box, WeakBoxLayout.WEAK_ARRAY_FIELD), WeakBoxLayout.VALUE_SLOT));
        }));

        // ---------------------------------------------------------------- guardians
        Primitive guardian = new Primitive("guardian", 0, 1, (mm, a, n) -> {
            long g = mm.self(a);
            if (n == 1) {
                long obj = Args.finalisable(mm, "guardian", "register", a, 0);
                mm.heap.guardians().register(g, obj);
                return h.unspecified();
            }
            long v = mm.heap.guardians().poll(g);
            return v == Value.NONE ? h.f() : v;
        });
        m.define(new Primitive("make-guardian", 0, 0, (mm, a, n) -> mm.makePrimitive(guardian, mm.heap.guardians().make())));

        // ---------------------------------------------------------------- finalisation
        m.define(new Primitive("finalise!", 2, 2, (mm, a, n) -> {
            long f = Args.procedure(mm, "finalise!", a, 0);
            long v = Args.finalisable(mm, "finalise!", "finalise", a, 1);
            try {
                mm.heap.gc().finaliseWith(f, v);
            } catch (WrongTagException e) {
                throw refused(mm, "finalise!", a, e);
            }
            return h.unspecified();
        }));
        m.define(new Primitive("finalise-last!", 2, 2, (mm, a, n) -> {
            long f = Args.procedure(mm, "finalise-last!", a, 0);
            long v = Args.finalisable(mm, "finalise-last!", "finalise", a, 1);
            try {
                mm.heap.gc().finaliseLastWith(f, v);
            } catch (WrongTagException e) {
                throw refused(mm, "finalise-last!", a, e);
            }
            return h.unspecified();
        }));

        // ---------------------------------------------------------------- collections
        m.define(new Primitive("gc", 0, 1, false, (mm, a, n) -> {
            String kind = "major";
            if (n == 1) {
                kind = h.symbolName(Args.symbol(mm, "gc", a, 0));
            }
            switch (kind) {
                case "major":
                    // One complete major collection from the call. Gc.major only finishes a
                    // cycle already in progress, which keeps what died after it began (its
                    // snapshot); a program calling (gc) means what is garbage now, so that
                    // cycle is finished (counted too) and a whole one follows.
                    boolean running = mm.heap.gc().majorPhase() != null;
                    mm.heap.gc().major();
                    if (running) {
                        mm.safePoint();
                        mm.heap.gc().major();
                    }
                    break;
                case "full":
                    mm.heap.gc().fullMajor();
                    break;
                case "minor":
                    mm.heap.gc().minor();
                    break;
                default:
                    throw Args.wrongType(mm, "gc", "the symbol minor, major or full", mm.arg(a, 0));
            }
            mm.safePoint();
            return h.unspecified();
        }));
        m.define(new Primitive("gc-stats", 0, 0, (mm, a, n) -> {
            GcStat s = mm.heap.gc().stat();
            String[] names = {"minor-collections", "major-collections", "heap-words", "live-words",
                "top-heap-words", "minor-words", "promoted-words", "major-words", "free-words"};
            long[] values = {s.minorCollections, s.majorCollections, s.heapWords, s.liveWords,
                s.topHeapWords, s.minorWords, s.promotedWords, s.majorWords, s.freeWords};
            int base = mm.st.sp();
            for (int i = 0; i < names.length; i++) {
                long sym = h.symbol(names[i]);
                mm.st.push(h.cons(sym, Value.ofInt(values[i])));
            }
            long list = h.listFromStack(base, mm.st.sp());
            mm.st.reset(base);
            return list;
        }));
    }
}
