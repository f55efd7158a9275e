package dev.ephemera.scheme.primitives;

import dev.ephemera.object.Value;
import dev.ephemera.scheme.SchemeExit;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.object.ConditionLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.SchemeHeap;
import dev.ephemera.scheme.runtime.Stack;

/**
 * Control: {@code apply}, exceptions ({@code raise}, {@code raise-continuable},
 * {@code with-exception-handler}, {@code error} and the error-object accessors), {@code exit}
 * and {@code load}. The first group transfers control: their bodies return NONE after setting
 * up the machine, and they are never called inline.
 */
public final class ControlPrimitives {
    private ControlPrimitives() {}

    /** Loads a source file into the running interpreter ({@code load}). */
    @FunctionalInterface
    public interface Loader {
        void load(String path);
    }

    public static void install(Machine m, Loader loader) {
        SchemeHeap h = m.h;
        m.define(new Primitive("apply", 1, -1, false, (mm, a, n) -> {
            Args.procedure(mm, "apply", a, 0);
            int base = a - 1;
            if (n == 1) {
                mm.st.set(base, mm.arg(a, 0));
                mm.st.reset(base + 1);
                mm.apply(base, 0);
                return Value.NONE;
            }
            long last = mm.arg(a, n - 1);
            if (h.listLength(last) < 0) {
                throw Args.wrongType(mm, "apply", "a proper list as the last argument", last);
            }
            for (int i = 0; i < n - 1; i++) {
                mm.st.set(base + i, mm.arg(a, i));
            }
            mm.st.reset(base + n - 1);
            int count = ListPrimitives.pushElements(mm, "apply", last, last);
            mm.apply(base, n - 2 + count);
            return Value.NONE;
        }));
        m.define(new Primitive("raise", 1, 1, false, (mm, a, n) -> {
            mm.st.set(Stack.VAL, mm.arg(a, 0));
            mm.st.reset(a - 1);
            mm.raise(false);
            return Value.NONE;
        }));
        m.define(new Primitive("raise-continuable", 1, 1, false, (mm, a, n) -> {
            mm.st.set(Stack.VAL, mm.arg(a, 0));
            mm.st.reset(a - 1);
            mm.raise(true);
            return Value.NONE;
        }));
        m.define(new Primitive("with-exception-handler", 2, 2, false, (mm, a, n) -> {
            Args.procedure(mm, "with-exception-handler", a, 0);
            Args.procedure(mm, "with-exception-handler", a, 1);
            mm.withHandler(a - 1);
            return Value.NONE;
        }));
        m.define(new Primitive("error", 1, -1, false, (mm, a, n) -> {
            int irritants = mm.st.push(h.listFromStack(a + 1, a + n));
            int kind = mm.st.push(h.symbol("error"));
            long msg = mm.arg(a, 0);
            int message = mm.st.push(h.isString(msg) ? msg : h.string(mm.printer.display(msg)));
            long c = mm.makeCondition(kind, message, irritants);
            mm.st.set(Stack.VAL, c);
            mm.st.reset(a - 1);
            mm.raise(false);
            return Value.NONE;
        }));
        m.define(new Primitive("error-object?", 1, 1, (mm, a, n) -> h.bool(h.is(mm.arg(a, 0), SchemeTag.CONDITION))));
        m.define(new Primitive("error-object-message", 1, 1, (mm, a, n) -> mm.heap.field(
                Args.of(mm, "error-object-message", a, 0, SchemeTag.CONDITION, "an error object"), ConditionLayout.MESSAGE_FIELD)));
        m.define(new Primitive("error-object-irritants", 1, 1, (mm, a, n) -> mm.heap.field(
                Args.of(mm, "error-object-irritants", a, 0, SchemeTag.CONDITION, "an error object"), ConditionLayout.IRRITANTS_FIELD)));
        m.define(new Primitive("error-object-kind", 1, 1, (mm, a, n) -> mm.heap.field(
                Args.of(mm, "error-object-kind", a, 0, SchemeTag.CONDITION, "an error object"), ConditionLayout.KIND_FIELD)));
        m.define(new Primitive("exit", 0, 1, false, (mm, a, n) -> {
            mm.out().flush();
            int status = 0;
            if (n == 1) {
                long v = mm.arg(a, 0);
                if (Value.isInt(v)) {
                    status = (int) Value.intOf(v);
                } else if (v == h.f()) {
                    status = 1;
                }
            }
            throw new SchemeExit(status);
        }));
        m.define(new Primitive("load", 1, 1, false, (mm, a, n) -> {
            loader.load(Args.string(mm, "load", a, 0));
            return h.unspecified();
        }));
        m.define(new Primitive("eof-object", 0, 0, (mm, a, n) -> h.eof()));
        m.define(new Primitive("eof-object?", 1, 1, (mm, a, n) -> h.bool(mm.arg(a, 0) == h.eof())));
        m.define(new Primitive("void", 0, -1, (mm, a, n) -> h.unspecified()));
    }
}
