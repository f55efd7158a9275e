package dev.ephemera.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement: an ordered set of named fields, printed as one JSON object per line — the
 * format every benchmark (ours and the peers in {@code bench/peers}) emits. Always present:
 * {@code bench}, {@code impl}, the workload parameters, {@code seconds}; and
 * {@code peak_heap_words} where the implementation has a heap to measure.
 */
public final class BenchResult {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** A result with its two identifying fields; the rest is added with {@link #put}. */
    public BenchResult(String bench, String impl) {
        fields.put("bench", bench);
        fields.put("impl", impl);
    }

    /**
     * Sets a field (kept in insertion order; setting an existing name keeps its position). A value
     * is a {@link String}, a {@link Number}, a {@link Boolean}, {@code null} or a {@link List} of
     * those.
     */
    public BenchResult put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** The field's value, or null when absent. */
    public Object get(String name) {
        return fields.get(name);
    }

    /** The field as a double; NaN when it is absent or not a number. */
    public double number(String name) {
        Object v = fields.get(name);
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }

    /** Every field, in order; read-only. */
    public Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    /** The benchmark's name ({@code "binary-trees"}, ...). */
    public String bench() {
        return String.valueOf(fields.get("bench"));
    }

    /** The implementation's name ({@code "ephemera"}, {@code "ocaml"}, ...). */
    public String impl() {
        return String.valueOf(fields.get("impl"));
    }

    /** The measured time in seconds; NaN when absent (a skipped peer). */
    public double seconds() {
        return number("seconds");
    }

    /** The reason this run was skipped (toolchain missing, timed out), or null. */
    public String skipped() {
        Object s = fields.get("skipped");
        return s == null ? null : s.toString();
    }

    /** A copy with the same fields in the same order. */
    public BenchResult copy() {
        BenchResult r = new BenchResult(bench(), impl());
        r.fields.putAll(fields);
        return r;
    }

    /**
     * Parses one JSON line as the peers print it: a flat object whose values are strings,
     * numbers, booleans, null or arrays of those. Integral numbers become {@link Long}, others
     * {@link Double}.
     *
     * @throws IllegalArgumentException when the line is not such an object or lacks
     *     {@code bench} or {@code impl}
     */
    public static BenchResult parse(String line) {
        Map<String, Object> m = new JsonReader(line).object();
        Object bench = m.get("bench");
        Object impl = m.get("impl");
        if (!(bench instanceof String) || !(impl instanceof String)) {
            throw new IllegalArgumentException("BenchResult.parse: no \"bench\" and \"impl\" strings in " + line);
        }
        BenchResult r = new BenchResult((String) bench, (String) impl);
        r.fields.putAll(m);
        return r;
    }

    /** The JSON line. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append('"').append(escape(e.getKey())).append("\":");
            appendJson(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void appendJson(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6f", d) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof List) {
            b.append('[');
            boolean first = true;
            for (Object x : (List<?>) v) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                appendJson(b, x);
            }
            b.append(']');
        } else {
            b.append('"').append(escape(v.toString())).append('"');
        }
    }

    /** A human-readable line: {@code binary-trees ephemera depth=20 seconds=1.234 ...}. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 0) {
                b.append(e.getKey().equals("impl") ? " " : "  ");
            }
            if (e.getKey().equals("bench") || e.getKey().equals("impl")) {
                b.append(e.getValue());
                continue;
            }
            Object v = e.getValue();
            b.append(e.getKey()).append('=');
            if (v instanceof Double) {
                b.append(String.format(Locale.ROOT, "%.4f", (Double) v));
            } else {
                b.append(v);
            }
        }
        return b.toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Just enough JSON for one flat line: objects of scalars and arrays of scalars. */
    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                i++;
            } else {
                do {
                    String key = string();
                    expect(':');
                    m.put(key, value());
                } while (comma('}'));
            }
            skipSpace();
            if (i != s.length()) {
                throw error("trailing text");
            }
            return m;
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                i++;
                List<Object> list = new ArrayList<>();
                if (peek() == ']') {
                    i++;
                    return list;
                }
                do {
                    list.add(value());
                } while (comma(']'));
                return list;
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty()) {
                throw error("a value expected");
            }
            try {
                return num.matches("-?\\d+") ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
            } catch (NumberFormatException e) {
                throw error("bad number " + num);
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: b.append(e);
                }
            }
        }

        /** After an element: true if a comma follows, false if {@code close} does (consumed). */
        private boolean comma(char close) {
            char c = peek();
            i++;
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
            i--;
            throw error("',' or '" + close + "' expected");
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "' expected");
            }
            i++;
        }

        private char peek() {
            skipSpace();
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("BenchResult.parse: " + what + " at offset " + i + " of " + s);
        }
    }
}
