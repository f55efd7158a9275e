package dev.ephemera.scheme.machine;

import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.ConditionLayout;
import dev.ephemera.scheme.object.PairLayout;
import dev.ephemera.scheme.object.RecordLayout;
import dev.ephemera.scheme.object.RecordTypeLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.object.VectorLayout;
import dev.ephemera.scheme.runtime.PointerIndex;
import dev.ephemera.scheme.runtime.SchemeHeap;

/**
 * External representations: {@code display}, {@code write} and its R7RS variants, and the brief
 * form values take inside error messages. The printer never allocates in the heap, so callers
 * may hold raw pointers across a call.
 *
 * <h2>Cycles and sharing</h2>
 * {@code write} and {@code display} label the pairs, vectors and records that are part of a
 * cycle with R7RS datum labels — {@code #0=(1 2 . #0#)} — so printing circular data always
 * terminates; {@code write-shared} labels every shared one; {@code write-simple} labels none.
 * Finding cycles walks the value once more: a small tree walk first shows most values acyclic
 * at once, then a depth-first walk marks the targets of back edges (with {@link PointerIndex},
 * so a million-node value costs tens of megabytes).
 *
 * <h2>Limits</h2>
 * Nesting deeper than {@link #MAX_DEPTH} or lists longer than {@link #MAX_LENGTH} print as
 * {@code ...}. The {@linkplain #brief brief form} used in messages is much shorter (depth
 * {@value #BRIEF_DEPTH}, {@value #BRIEF_LENGTH} elements, strings of {@value #BRIEF_STRING}
 * characters, {@value #BRIEF_CHARS} characters in all), so an error about a huge or circular
 * value is one short line, built at a cost independent of the value's size.
 */
public final class Printer {
    static final int MAX_DEPTH = 1_000;
    static final int MAX_LENGTH = 10_000_000;
    static final int BRIEF_DEPTH = 5;
    static final int BRIEF_LENGTH = 12;
    static final int BRIEF_STRING = 80;
    static final int BRIEF_CHARS = 300;
    /** Nodes the tree walk may visit to show a value acyclic before the graph walk is needed. */
    static final int TREE_BUDGET = 10_000;
    /** Nodes the brief form's graph walk may visit; beyond, the limits alone bound the output. */
    static final int BRIEF_GRAPH_BUDGET = 2_000;

    /** Which compound values get datum labels. */
    private enum Labels { NONE, CYCLES, SHARED }

    private final Machine m;
    private final SchemeHeap h;

    Printer(Machine m) {
        this.m = m;
        this.h = m.h;
    }

    /** The {@code write} representation: cycles labelled. */
    public String write(long v) {
        return new Job(true, Labels.CYCLES, MAX_DEPTH, MAX_LENGTH, Integer.MAX_VALUE, Integer.MAX_VALUE, 0).print(v);
    }

    /** The {@code write-shared} representation: every shared pair, vector or record labelled. */
    public String writeShared(long v) {
        return new Job(true, Labels.SHARED, MAX_DEPTH, MAX_LENGTH, Integer.MAX_VALUE, Integer.MAX_VALUE, 0).print(v);
    }

    /** The {@code write-simple} representation: no labels (circular data stop at the limits). */
    public String writeSimple(long v) {
        return new Job(true, Labels.NONE, MAX_DEPTH, MAX_LENGTH, Integer.MAX_VALUE, Integer.MAX_VALUE, 0).print(v);
    }

    /** The {@code display} representation: cycles labelled. */
    public String display(long v) {
        return new Job(false, Labels.CYCLES, MAX_DEPTH, MAX_LENGTH, Integer.MAX_VALUE, Integer.MAX_VALUE, 0).print(v);
    }

    /**
     * The {@code write} representation cut to the brief limits, with {@code ...} where something
     * was left out: how a value appears in an error message.
     */
    public String brief(long v) {
        return briefAt(v, 0);
    }

    private String briefAt(long v, int depth) {
        return new Job(true, Labels.CYCLES, BRIEF_DEPTH, BRIEF_LENGTH, BRIEF_STRING, BRIEF_CHARS, depth).print(v);
    }

    /** The message of an error object followed by its irritants (brief), as the REPL reports it. */
    public String conditionMessage(long c) {
        return conditionMessage(c, 0);
    }

    private String conditionMessage(long c, int depth) {
        StringBuilder sb = new StringBuilder();
        String kind = h.symbolName(m.heap.field(c, ConditionLayout.KIND_FIELD));
        sb.append(h.stringValue(m.heap.field(c, ConditionLayout.MESSAGE_FIELD)));
        if (kind.equals("error")) {
            long irritants = m.heap.field(c, ConditionLayout.IRRITANTS_FIELD);
            for (int n = 0; h.isPair(irritants); n++) {
                if (n == BRIEF_LENGTH) {
                    sb.append(" ...");
                    break;
                }
                sb.append(' ').append(briefAt(h.car(irritants), depth + 1));
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

    // ================================================================== the graph of a value

    /** Pairs, vectors and records: the values that can be shared or circular, and get labels. */
    private boolean isCompound(long v) {
        if (!Value.isBlock(v)) {
            return false;
        }
        int tag = m.heap.tag(v);
        return tag == SchemeTag.PAIR || tag == SchemeTag.VECTOR || tag == SchemeTag.RECORD;
    }

    private int childCount(long v) {
        int tag = m.heap.tag(v);
        if (tag == SchemeTag.PAIR) {
            return PairLayout.SIZE_WORDS; // car and cdr
        }
        return tag == SchemeTag.VECTOR ? m.heap.size(v) : m.heap.size(v) - RecordLayout.FIRST_FIELD;
    }

    private long child(long v, int i) {
        int tag = m.heap.tag(v);
        if (tag == SchemeTag.PAIR) {
            return i == 0 ? h.car(v) : h.cdr(v);
        }
        return m.heap.field(v, tag == SchemeTag.VECTOR ? VectorLayout.elementField(i) : RecordLayout.field(i));
    }

    /** True if walking {@code root} as a tree ends within {@code budget} compound nodes: no cycle. */
    private boolean treeWithin(long root, int budget) {
        long[] stack = new long[16];
        int top = 0;
        stack[top++] = root;
        int visited = 0;
        while (top > 0) {
            long v = stack[--top];
            if (!isCompound(v)) {
                continue;
            }
            if (++visited > budget) {
                return false;
            }
            int n = childCount(v);
            if (top + n > stack.length) {
                stack = java.util.Arrays.copyOf(stack, Math.max(stack.length * 2, top + n));
            }
            for (int i = 0; i < n; i++) {
                stack[top++] = child(v, i);
            }
        }
        return true;
    }

    /**
     * The compound values of {@code root} that need a label: those reached again while still on
     * the depth-first path (a cycle), or reached again at all ({@code shared}). Null if more
     * than {@code budget} nodes would be walked ({@code budget} negative: no limit).
     */
    private PointerIndex labelled(long root, boolean shared, int budget) {
        PointerIndex seen = new PointerIndex();
        PointerIndex labels = new PointerIndex();
        int[] onPath = new int[64];
        long[] nodes = new long[64];
        int[] next = new int[64];
        int top = 0;
        seen.add(root);
        onPath[0] = 1;
        nodes[top] = root;
        next[top++] = 0;
        while (top > 0) {
            long v = nodes[top - 1];
            int i = next[top - 1]++;
            if (i >= childCount(v)) {
                onPath[seen.indexOf(v)] = 0;
                top--;
                continue;
            }
            long c = child(v, i);
            if (!isCompound(c)) {
                continue;
            }
            int ci = seen.indexOf(c);
            if (ci >= 0) {
                if (shared || onPath[ci] == 1) {
                    labels.add(c);
                }
                continue;
            }
            if (budget >= 0 && seen.size() >= budget) {
                return null;
            }
            ci = seen.add(c);
            onPath = PointerIndex.ensure(onPath, ci + 1);
            onPath[ci] = 1;
            if (top == nodes.length) {
                nodes = java.util.Arrays.copyOf(nodes, top * 2);
                next = java.util.Arrays.copyOf(next, top * 2);
            }
            nodes[top] = c;
            next[top++] = 0;
        }
        return labels;
    }

    // ================================================================== one printing

    /** One call of the printer: its mode, limits, labels and output. */
    private final class Job {
        private final boolean write;
        private final Labels labelMode;
        private final int maxDepth;
        private final int maxLength;
        private final int maxString;
        private final int maxChars;
        private final int baseDepth;
        private final StringBuilder sb = new StringBuilder();
        private PointerIndex labels;
        /** Label number of each labelled value once printed, by its index in {@link #labels}; -1 before. */
        private int[] labelNumbers;
        private int nextLabel;
        private boolean full;

        Job(boolean write, Labels labelMode, int maxDepth, int maxLength, int maxString, int maxChars, int baseDepth) {
            this.write = write;
            this.labelMode = labelMode;
            this.maxDepth = maxDepth;
            this.maxLength = maxLength;
            this.maxString = maxString;
            this.maxChars = maxChars;
            this.baseDepth = baseDepth;
        }

        String print(long v) {
            findLabels(v);
            print(v, baseDepth);
            return sb.toString();
        }

        private void findLabels(long v) {
            if (labelMode == Labels.NONE || !isCompound(v)) {
                return;
            }
            if (labelMode == Labels.CYCLES && treeWithin(v, TREE_BUDGET)) {
                return;
            }
            boolean brief = maxChars != Integer.MAX_VALUE;
            labels = labelled(v, labelMode == Labels.SHARED, brief ? BRIEF_GRAPH_BUDGET : -1);
            if (labels != null) {
                labelNumbers = new int[labels.size()];
                java.util.Arrays.fill(labelNumbers, -1);
            }
        }

        /** True once the character limit is reached: nothing more is printed. */
        private boolean full() {
            if (!full && sb.length() > maxChars) {
                sb.append("...");
                full = true;
            }
            return full;
        }

        private boolean isLabelled(long v) {
            return labels != null && labels.indexOf(v) >= 0;
        }

        /** Prints {@code #n#} and returns true if {@code v} was printed already; else its {@code #n=}, if any. */
        private boolean label(long v) {
            int li = labels == null ? -1 : labels.indexOf(v);
            if (li < 0) {
                return false;
            }
            if (labelNumbers[li] >= 0) {
                sb.append('#').append(labelNumbers[li]).append('#');
                return true;
            }
            labelNumbers[li] = nextLabel++;
            sb.append('#').append(labelNumbers[li]).append('=');
            return false;
        }

        private void print(long v, int depth) {
            if (full()) {
                return;
            }
            if (depth > maxDepth) {
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
            if ((tag == SchemeTag.PAIR || tag == SchemeTag.VECTOR || tag == SchemeTag.RECORD) && label(v)) {
                return;
            }
            switch (tag) {
                case SchemeTag.PAIR:
                    printList(v, depth);
                    return;
                case SchemeTag.CONSTANT:
                    sb.append(h.constantName(v));
                    return;
                case SchemeTag.SYMBOL:
                    sb.append(h.symbolName(v));
                    return;
                case Tag.STRING: {
                    String s = h.stringValue(v);
                    boolean cut = s.length() > maxString;
                    if (cut) {
                        s = s.substring(0, maxString);
                    }
                    if (write) {
                        writeString(cut ? s + "..." : s, sb);
                    } else {
                        sb.append(s).append(cut ? "..." : "");
                    }
                    return;
                }
                case Tag.DOUBLE:
                    sb.append(flonum(m.heap.doubleValue(v)));
                    return;
                case SchemeTag.CHAR: {
                    int c = h.charValue(v);
                    if (write) {
                        sb.append(charName(c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                    return;
                }
                case SchemeTag.VECTOR: {
                    sb.append("#(");
                    int n = m.heap.size(v);
                    for (int i = 0; i < n && !full(); i++) {
                        if (i > 0) {
                            sb.append(' ');
                        }
                        if (i == maxLength) {
                            sb.append("...");
                            break;
                        }
                        print(m.heap.field(v, VectorLayout.elementField(i)), depth + 1);
                    }
                    if (!full) {
                        sb.append(')');
                    }
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
                    for (int i = 0; i < n && !full(); i++) {
                        if (i == maxLength) {
                            sb.append(" ...");
                            break;
                        }
                        sb.append(' ').append(h.symbolName(m.heap.field(names, VectorLayout.elementField(i)))).append('=');
                        print(m.heap.field(v, RecordLayout.field(i)), depth + 1);
                    }
                    if (!full) {
                        sb.append('>');
                    }
                    return;
                }
                case SchemeTag.RECORD_TYPE:
                    sb.append("#<record-type ").append(h.symbolName(m.heap.field(v, RecordTypeLayout.NAME_FIELD))).append('>');
                    return;
                case SchemeTag.CONDITION:
                    sb.append("#<error ");
                    writeString(conditionMessage(v, depth), sb);
                    sb.append('>');
                    return;
                case Tag.EPHEMERON:
                    sb.append(m.heap.ephemerons().length(v) == 1 && m.heap.ephemerons().getKey(v, 0) == Value.NONE
                            ? "#<ephemeron (broken)>" : "#<ephemeron>");
                    return;
                case SchemeTag.WEAK_BOX:
                    sb.append("#<weak-box>");
                    return;
                default:
                    sb.append(h.isHashtable(v) ? "#<hashtable>" : "#<" + SchemeTag.name(tag) + ">");
            }
        }

        private void printList(long v, int depth) {
            long first = h.car(v);
            long rest = h.cdr(v);
            if (h.isSymbol(first) && h.isPair(rest) && h.cdr(rest) == h.nil() && !isLabelled(rest)) {
                String prefix = switch (h.symbolName(first)) {
                    case "quote" -> "'";
                    case "quasiquote" -> "`";
                    case "unquote" -> ",";
                    case "unquote-splicing" -> ",@";
                    default -> null;
                };
                if (prefix != null) {
                    sb.append(prefix);
                    print(h.car(rest), depth + 1);
                    return;
                }
            }
            sb.append('(');
            int n = 0;
            while (!full()) {
                print(h.car(v), depth + 1);
                v = h.cdr(v);
                n++;
                if (h.isPair(v)) {
                    if (isLabelled(v)) {
                        // the rest of the list is shared or circular: it is printed (or referred
                        // to) with its label, as the cdr of a dotted pair
                        sb.append(" . ");
                        print(v, depth + 1);
                        break;
                    }
                    if (n >= maxLength) {
                        sb.append(" ...");
                        break;
                    }
                    sb.append(' ');
                    continue;
                }
                if (v != h.nil()) {
                    sb.append(" . ");
                    print(v, depth + 1);
                }
                break;
            }
            if (!full) {
                sb.append(')');
            }
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
