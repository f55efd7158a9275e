package dev.ephemera.scheme.machine;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.ConditionLayout;
import dev.ephemera.scheme.object.RecordLayout;
import dev.ephemera.scheme.object.RecordTypeLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * External representations ({@code display} and {@code write}). The printer never allocates in
 * the heap, so callers may hold raw pointers across a call; nesting deeper than
 * {@link #MAX_DEPTH} or lists longer than {@link #MAX_LENGTH} print as {@code ...}.
 */
public final class Printer {
    static final int MAX_DEPTH = 1_000;
    static final int MAX_LENGTH = 10_000_000;
    private final Machine m;
    private final SchemeHeap h;

    Printer(Machine m) {
        this.m = m;
        this.h = m.h;
    }

    /** The {@code write} representation. */
    public String write(long v) {
        StringBuilder sb = new StringBuilder();
        print(v, true, sb, 0);
        return sb.toString();
    }

    /** The {@code display} representation. */
    public String display(long v) {
        StringBuilder sb = new StringBuilder();
        print(v, false, sb, 0);
        return sb.toString();
    }

    /** The message of an error object followed by its irritants, as the REPL reports it. */
    public String conditionMessage(long c) {
        StringBuilder sb = new StringBuilder();
        String kind = h.symbolName(m.heap.field(c, ConditionLayout.KIND_FIELD));
        sb.append(h.stringValue(m.heap.field(c, ConditionLayout.MESSAGE_FIELD)));
        if (kind.equals("error")) {
            long irritants = m.heap.field(c, ConditionLayout.IRRITANTS_FIELD);
            while (h.isPair(irritants)) {
                sb.append(' ');
                print(h.car(irritants), true, sb, 0);
                irritants = h.cdr(irritants);
            }
        }
        return sb.toString();
    }

    /** A flonum as R7RS prints it: {@code 1.0}, {@code 0.5}, {@code 1e+21}, {@code +inf.0}. */
    public static String flonum(double d) {
        if (Double.isNaN(d)) {
            return "+nan.0";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+inf.0" : "-inf.0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e >= 0) {
            s = s.substring(0, e) + "e" + s.substring(e + 1);
        }
        return s;
    }

    private void print(long v, boolean write, StringBuilder sb, int depth) {
        if (depth > MAX_DEPTH) {
            sb.append("...");
            return;
        }
        if (Value.isInt(v)) {
            sb.append(Value.intOf(v));
            return;
        }
        if (v == Value.NONE) {
            sb.append("#<none>");
            return;
        }
        int tag = m.heap.tag(v);
        switch (tag) {
            case SchemeTag.PAIR:
                printList(v, write, sb, depth);
                return;
            case SchemeTag.CONSTANT:
                sb.append(h.constantName(v));
                return;
            case SchemeTag.SYMBOL:
                sb.append(h.symbolName(v));
                return;
            case Tag.STRING:
                if (write) {
                    writeString(h.stringValue(v), sb);
                } else {
                    sb.append(h.stringValue(v));
                }
                return;
            case Tag.DOUBLE:
                sb.append(flonum(m.heap.doubleValue(v)));
                return;
            case SchemeTag.CHAR:
                int c = h.charValue(v);
                if (write) {
                    sb.append(charName(c));
                } else {
                    sb.appendCodePoint(c);
                }
                return;
            case SchemeTag.VECTOR: {
                sb.append("#(");
                int n = m.heap.size(v);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    print(m.heap.field(v, i), write, sb, depth + 1);
                }
                sb.append(')');
                return;
            }
            case SchemeTag.CLOSURE: {
                Lambda l = m.lambda((int) Value.intOf(m.heap.field(v, ClosureLayout.CODE_FIELD)));
                sb.append("#<procedure ").append(l.name != null ? l.name : "anonymous").append('>');
                return;
            }
            case SchemeTag.PRIMITIVE:
                sb.append("#<procedure ").append(m.primitive(v).name).append('>');
                return;
            case SchemeTag.RECORD: {
                long type = m.heap.field(v, RecordLayout.TYPE_FIELD);
                sb.append("#<").append(h.symbolName(m.heap.field(type, RecordTypeLayout.NAME_FIELD)));
                int n = m.heap.size(v) - RecordLayout.FIRST_FIELD;
                long names = m.heap.field(type, RecordTypeLayout.FIELDS_FIELD);
                for (int i = 0; i < n; i++) {
                    sb.append(' ').append(h.symbolName(m.heap.field(names, i))).append('=');
                    print(m.heap.field(v, RecordLayout.field(i)), true, sb, depth + 1);
                }
                sb.append('>');
                return;
            }
            case SchemeTag.RECORD_TYPE:
                sb.append("#<record-type ").append(h.symbolName(m.heap.field(v, RecordTypeLayout.NAME_FIELD))).append('>');
                return;
            case SchemeTag.CONDITION:
                sb.append("#<error ");
                writeString(conditionMessage(v), sb);
                sb.append('>');
                return;
            case Tag.EPHEMERON:
                sb.append(m.heap.ephemerons().length(v) == 1 && m.heap.ephemerons().getKey(v, 0) == Value.NONE
                        ? "#<ephemeron (broken)>" : "#<ephemeron>");
                return;
            case SchemeTag.WEAK_BOX:
                sb.append("#<weak-box>");
                return;
            case SchemeTag.HASHTABLE:
                sb.append("#<hashtable>");
                return;
            default:
                sb.append("#<").append(SchemeTag.name(tag)).append('>');
        }
    }

    private void printList(long v, boolean write, StringBuilder sb, int depth) {
        long first = h.car(v);
        if (h.isSymbol(first) && h.isPair(h.cdr(v)) && h.cdr(h.cdr(v)) == h.nil()) {
            String prefix = switch (h.symbolName(first)) {
                case "quote" -> "'";
                case "quasiquote" -> "`";
                case "unquote" -> ",";
                case "unquote-splicing" -> ",@";
                default -> null;
            };
            if (prefix != null) {
                sb.append(prefix);
                print(h.car(h.cdr(v)), write, sb, depth + 1);
                return;
            }
        }
        sb.append('(');
        int n = 0;
        while (true) {
            print(h.car(v), write, sb, depth + 1);
            v = h.cdr(v);
            if (++n > MAX_LENGTH) {
                sb.append(" ...)");
                return;
            }
            if (h.isPair(v)) {
                sb.append(' ');
                continue;
            }
            if (v != h.nil()) {
                sb.append(" . ");
                print(v, write, sb, depth + 1);
            }
            sb.append(')');
            return;
        }
    }

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                case '\r': sb.append("\\r"); break;
                default: sb.append(c);
            }
        }
        sb.append('"');
    }

    private static String charName(int c) {
        switch (c) {
            case ' ': return "#\\space";
            case '\n': return "#\\newline";
            case '\t': return "#\\tab";
            case '\r': return "#\\return";
            case 0: return "#\\null";
            case 7: return "#\\alarm";
            case 8: return "#\\backspace";
            case 127: return "#\\delete";
            case 27: return "#\\escape";
            default:
                if (c < 32) {
                    return "#\\x" + Integer.toHexString(c);
                }
                return "#\\" + new String(Character.toChars(c));
        }
    }
}
