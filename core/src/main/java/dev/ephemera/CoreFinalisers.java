package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.object.Value;

/**
 * Jane Street Core's {@code Gc.add_finalizer} family (and {@code Gc.Expert}), on OCaml's
 * finalisers ({@link Finalisation}). What Core adds to {@code Stdlib.Gc.finalise}:
 * <ul>
 * <li>an exception from a finaliser goes to the configured {@link FinaliserErrorHandler}
 *     (Core exits the program; ours defaults to propagating) — every registration here is
 *     {@linkplain #coreWrapped wrapped};</li>
 * <li>a value OCaml refuses (a boxed float, a lazy) is silently ignored by the plain and
 *     {@code _ignore} variants, and raises {@code Heap_block.create_exn}'s failure in the
 *     {@code _exn} variants;</li>
 * <li>{@code With_leak_protection}: the function is held as the data of an ephemeron keyed by
 *     the value, so a function that refers to its value no longer keeps it alive for ever.</li>
 * </ul>
 * {@link Gc} keeps the public methods, documented, and delegates here.
 */
final class CoreFinalisers {
    private static final String LEAK_PROTECTED = "Gc.With_leak_protection.add_finalizer";

    private final Heap heap;
    private final EntryChecks checks;
    private final Finalisation finalisation;
    /** The heap's root stack, where the value and its ephemeron wait out the allocations. */
    private final RootStack roots;

    CoreFinalisers(Heap heap, EntryChecks checks, Finalisation finalisation, RootStack roots) {
        this.heap = heap;
        this.checks = checks;
        this.finalisation = finalisation;
        this.roots = roots;
    }

    /** {@link Gc#addFinalizer}. */
    void addFinalizer(long block, Finaliser f) {
        Finalisation.requireFunction("Gc.add_finalizer", f);
        if (!Value.isBlock(block)) {
            throw new NotABlockException("Gc.add_finalizer: expected a heap block, got " + Value.describe(block));
        }
        registerFirst("Gc.add_finalizer", block, f, true);
    }

    /** {@link Gc#addFinalizerExn}. */
    void addFinalizerExn(long v, Finaliser f) {
        String op = "Gc.add_finalizer_exn";
        Finalisation.requireFunction(op, f);
        if (!Value.isBlock(v)) {
            throw notAHeapBlock(op, Value.describe(v));
        }
        try {
            registerFirst(op, v, f, false);
        } catch (WrongTagException refused) {
            throw notAHeapBlock(op, checks.describeBlock(v));
        }
    }

    /** {@link Gc#addFinalizerIgnore}. */
    void addFinalizerIgnore(long v, Finaliser f) {
        Finalisation.requireFunction("Gc.add_finalizer_ignore", f);
        if (Value.isBlock(v)) {
            registerFirst("Gc.add_finalizer_ignore", v, f, true);
        }
    }

    /** {@link Gc#addFinalizerLast}. */
    void addFinalizerLast(long block, Runnable f) {
        Finalisation.requireFunction("Gc.add_finalizer_last", f);
        if (!Value.isBlock(block)) {
            throw new NotABlockException("Gc.add_finalizer_last: expected a heap block, got " + Value.describe(block));
        }
        registerLast("Gc.add_finalizer_last", block, f, true);
    }

    /** {@link Gc#addFinalizerLastExn}. */
    void addFinalizerLastExn(long v, Runnable f) {
        String op = "Gc.add_finalizer_last_exn";
        Finalisation.requireFunction(op, f);
        if (!Value.isBlock(v)) {
            throw notAHeapBlock(op, Value.describe(v));
        }
        try {
            registerLast(op, v, f, false);
        } catch (WrongTagException refused) {
            throw notAHeapBlock(op, checks.describeBlock(v));
        }
    }

    /** {@link Gc#addFinalizerLastIgnore}. */
    void addFinalizerLastIgnore(long v, Runnable f) {
        Finalisation.requireFunction("Gc.add_finalizer_last_ignore", f);
        if (Value.isBlock(v)) {
            registerLast("Gc.add_finalizer_last_ignore", v, f, true);
        }
    }

    /** {@link Gc#addFinalizerWithLeakProtection(long, long)}: {@code K1.make block function}. */
    void addFinalizerWithLeakProtection(long block, long function) {
        checks.checkValue(LEAK_PROTECTED, function);
        if (function == Value.NONE) { // the ephemeron's data is the function: NONE there is no data
            throw new IllegalArgumentException(LEAK_PROTECTED + ": the function is NONE, which an"
                    + " ephemeron's data cannot hold");
        }
        if (!acceptedByCore(block)) {
            return;
        }
        finalisation.requireApplier(LEAK_PROTECTED);
        long eph = heap.ephemerons().k1().make(block, function);
        int mark = roots.top;
        roots.pushUnchecked(eph);
        try {
            block = heap.ephemerons().k1().getKey(eph);
            Finalisation.Action protectedCall = (value, fn) -> {
                long f = protectedFunction(fn, value);
                Scope s = heap.openScope();
                try {
                    finalisation.applier(LEAK_PROTECTED).apply(s.handle(f), value);
                } finally {
                    Finalisation.closeUnlessHeapClosed(heap, s);
                }
            };
            finalisation.register(LEAK_PROTECTED, Collector.FINALISE_FIRST, block, eph, coreWrapped(protectedCall));
        } finally {
            roots.popToUnchecked(mark);
        }
    }

    /**
     * {@link Gc#addFinalizerWithLeakProtection(long, Finaliser)}: {@code f} boxed into the heap
     * ({@link Heap#allocForeign}) and held as the data of an ephemeron keyed by {@code block}.
     */
    void addFinalizerWithLeakProtection(long block, Finaliser f) {
        Finalisation.requireFunction(LEAK_PROTECTED, f);
        if (!acceptedByCore(block)) {
            return;
        }
        int mark = roots.top;
        roots.pushUnchecked(block);
        try {
            long box = heap.allocForeign(f);
            long eph = heap.ephemerons().k1().make(roots.getUnchecked(mark), box);
            roots.pushUnchecked(eph);
            Finalisation.Action protectedCall =
                    (value, fn) -> ((Finaliser) heap.foreign(protectedFunction(fn, value))).finalise(value);
            finalisation.register(LEAK_PROTECTED, Collector.FINALISE_FIRST, roots.getUnchecked(mark),
                    roots.getUnchecked(mark + 1), coreWrapped(protectedCall));
        } finally {
            roots.popToUnchecked(mark);
        }
    }

    /** The function kept in the ephemeron {@code eph} for {@code value}: {@code K1.query}. */
    private long protectedFunction(Handle eph, Handle value) {
        long f = heap.ephemerons().k1().query(eph.get(), value.get());
        if (f == Value.NONE) {
            throw new IllegalStateException(LEAK_PROTECTED + ": the protected function was lost (assert false in Core)");
        }
        return f;
    }

    /**
     * Core's {@code Failure "Heap_block.create_exn called with non heap block"}: raised by the
     * {@code _exn} variants when OCaml's {@code Gc.finalise} refuses the value and
     * {@code Heap_block.is_ok} is false for it — an immediate, or a block tagged
     * {@code Double}, {@code Lazy} or {@code Forward}.
     */
    private static IllegalArgumentException notAHeapBlock(String op, String what) {
        return new IllegalArgumentException(op + ": Heap_block.create_exn called with non heap block (" + what + ")");
    }

    /**
     * Core's wrappers ignore OCaml's {@code Invalid_argument} for heap blocks it refuses (boxed
     * floats, lazies): false for those; other bad arguments still raise.
     */
    private boolean acceptedByCore(long block) {
        try {
            finalisation.checkFinalisable(LEAK_PROTECTED, block);
            return true;
        } catch (WrongTagException refused) {
            return false;
        }
    }

    /** A finalise-first registration; a refused value is ignored if {@code ignoreRefused}, else raises. */
    private void registerFirst(String op, long v, Finaliser f, boolean ignoreRefused) {
        try {
            finalisation.register(op, Collector.FINALISE_FIRST, v, Value.NONE,
                    coreWrapped((value, fn) -> f.finalise(value)));
        } catch (WrongTagException refused) {
            if (!ignoreRefused) {
                throw refused;
            }
        }
    }

    /** A finalise-last registration; a refused value is ignored if {@code ignoreRefused}, else raises. */
    private void registerLast(String op, long v, Runnable f, boolean ignoreRefused) {
        try {
            finalisation.register(op, Collector.FINALISE_LAST, v, Value.NONE, coreWrapped((value, fn) -> f.run()));
        } catch (WrongTagException refused) {
            // Core ignores Invalid_argument from Stdlib.Gc.finalise_last.
            if (!ignoreRefused) {
                throw refused;
            }
        }
    }

    /** {@code inner}, with an exception it raises handed to Core's {@link FinaliserErrorHandler}. */
    private Finalisation.Action coreWrapped(Finalisation.Action inner) {
        FinaliserErrorHandler handler = finalisation.coreErrorHandler();
        return (value, fn) -> {
            try {
                inner.run(value, fn);
            } catch (RuntimeException e) {
                handler.handle(e);
            }
        };
    }
}
