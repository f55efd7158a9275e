package dev.ephemera.bench;

import java.util.LinkedHashMap;
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

    public BenchResult(String bench, String impl) {
        fields.put("bench", bench);
        fields.put("impl", impl);
    }

    public BenchResult put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    public double seconds() {
        Object s = fields.get("seconds");
        return s instanceof Number ? ((Number) s).doubleValue() : Double.NaN;
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
            Object v = e.getValue();
            if (v == null) {
                b.append("null");
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                b.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6f", d) : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append('"').append(escape(v.toString())).append('"');
            }
        }
        return b.append('}').toString();
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
}
