package dev.ephemera.scheme.read;

import java.util.ArrayList;
import java.util.List;

/**
 * Source data as the reader returns it: plain Java values, so that the compiler never holds a
 * raw heap pointer. A datum is a {@link Long} (exact integer), {@link Double}, {@link Boolean},
 * {@link SChar}, {@link SString}, {@link Sym}, {@link SPair}, {@link #NIL}, or {@link SVector}.
 * Quoted data become heap objects when the compiler stores them in the constant table.
 */
public final class Datum {
    /** The empty list. */
    public static final Object NIL = new Object() {
        @Override
        public String toString() {
            return "()";
        }
    };

    private Datum() {}

    /** A character. */
    public record SChar(int codePoint) {}

    /** A string literal. */
    public record SString(String value) {}

    /** A vector literal. */
    public record SVector(List<Object> items) {}

    /** A proper list of {@code items}. */
    public static Object list(Object... items) {
        Object r = NIL;
        for (int i = items.length - 1; i >= 0; i--) {
            r = new SPair(items[i], r, null);
        }
        return r;
    }

    /** A proper list of {@code items} ending in {@code tail}. */
    public static Object listWithTail(List<Object> items, Object tail) {
        Object r = tail;
        for (int i = items.size() - 1; i >= 0; i--) {
            r = new SPair(items.get(i), r, null);
        }
        return r;
    }

    /** The elements of a proper list, or null if {@code d} is not a proper list. */
    public static List<Object> toList(Object d) {
        List<Object> out = new ArrayList<>();
        while (d instanceof SPair p) {
            out.add(p.car);
            d = p.cdr;
        }
        return d == NIL ? out : null;
    }

    /** True if {@code d} is a symbol named {@code name}. */
    public static boolean isSym(Object d, String name) {
        return d instanceof Sym s && s.name().equals(name);
    }

    /** The external representation of a datum, as {@code write} would print it. */
    public static String write(Object d) {
        StringBuilder sb = new StringBuilder();
        write(d, sb, 0);
        return sb.toString();
    }

    private static void write(Object d, StringBuilder sb, int depth) {
        if (depth > 200) {
            sb.append("...");
            return;
        }
        if (d == NIL) {
            sb.append("()");
        } else if (d instanceof Boolean b) {
            sb.append(b ? "#t" : "#f");
        } else if (d instanceof SString s) {
            sb.append('"').append(s.value().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (d instanceof SChar c) {
            sb.append("#\\").appendCodePoint(c.codePoint());
        } else if (d instanceof SVector v) {
            sb.append("#(");
            for (int i = 0; i < v.items().size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                write(v.items().get(i), sb, depth + 1);
            }
            sb.append(')');
        } else if (d instanceof SPair p) {
            sb.append('(');
            Object x = p;
            boolean first = true;
            while (x instanceof SPair q) {
                if (!first) {
                    sb.append(' ');
                }
                write(q.car, sb, depth + 1);
                first = false;
                x = q.cdr;
            }
            if (x != NIL) {
                sb.append(" . ");
                write(x, sb, depth + 1);
            }
            sb.append(')');
        } else {
            sb.append(d);
        }
    }
}
