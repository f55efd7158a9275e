package dev.ephemera.scheme.primitives;

import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Primitive;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * Output to the interpreter's output writer. The optional port argument is accepted and
 * ignored: there is one output port, {@code (current-output-port)}.
 */
public final class OutputPrimitives {
    private OutputPrimitives() {}

    public static void install(Machine m) {
        SchemeHeap h = m.h;
        m.define(new Primitive("display", 1, 2, (mm, a, n) -> {
            mm.out().print(mm.printer.display(mm.arg(a, 0)));
            return h.unspecified();
        }));
        m.define(new Primitive("write", 1, 2, (mm, a, n) -> {
            mm.out().print(mm.printer.write(mm.arg(a, 0)));
            return h.unspecified();
        }));
        m.define(new Primitive("write-shared", 1, 2, (mm, a, n) -> {
            mm.out().print(mm.printer.writeShared(mm.arg(a, 0)));
            return h.unspecified();
        }));
        m.define(new Primitive("write-simple", 1, 2, (mm, a, n) -> {
            mm.out().print(mm.printer.writeSimple(mm.arg(a, 0)));
            return h.unspecified();
        }));
        m.define(new Primitive("newline", 0, 1, (mm, a, n) -> {
            mm.out().println();
            mm.out().flush();
            return h.unspecified();
        }));
        m.define(new Primitive("write-string", 1, 4, (mm, a, n) -> {
            String s = Args.string(mm, "write-string", a, 0);
            int[] cps = StringPrimitives.codePoints(s);
            int[] r = Args.range(mm, "write-string", a, n, 2, cps.length, "string");
            mm.out().print(StringPrimitives.fromCodePoints(cps, r[0], r[1]));
            return h.unspecified();
        }));
        m.define(new Primitive("write-char", 1, 2, (mm, a, n) -> {
            mm.out().print(new String(Character.toChars(Args.character(mm, "write-char", a, 0))));
            return h.unspecified();
        }));
        m.define(new Primitive("with-output-to-string", 1, 1, false, (mm, a, n) -> {
            Args.procedure(mm, "with-output-to-string", a, 0);
            java.io.PrintWriter saved = mm.out();
            java.io.StringWriter buffer = new java.io.StringWriter();
            mm.setOut(new java.io.PrintWriter(buffer));
            try {
                mm.call0(mm.arg(a, 0));
            } finally {
                mm.out().flush();
                mm.setOut(saved);
            }
            return h.string(buffer.toString());
        }));
        m.define(new Primitive("current-output-port", 0, 0, (mm, a, n) -> h.symbol("stdout")));
        m.define(new Primitive("flush-output-port", 0, 1, (mm, a, n) -> {
            mm.out().flush();
            return h.unspecified();
        }));
    }
}
