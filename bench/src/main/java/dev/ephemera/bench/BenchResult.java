package dev.ephemera.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement: an ordered set of named fields, printed as one JSON object per line — the
 * format every benchmark (ours and the peers in {@code bench/peers}) emits. Always present:
 * {@code bench}, {@code impl}, the workload parameters, {@code seconds}; and
 * {@code peak_heap_words} where the implementation has a heap to measure. Read and written with
 * Jackson; the shape of a line — field names, order, six-decimal numbers, no spaces — is what
 * the peers print and what CI checks, so it does not change.
 */
public final class BenchResult {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final ObjectReader READER = MAPPER.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {});
    private static final ObjectWriter WRITER = MAPPER.writer();

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
        Map<String, Object> m;
        try {
            m = READER.readValue(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("BenchResult.parse: " + e.getOriginalMessage() + " in " + line, e);
        }
        if (m == null) {
            throw new IllegalArgumentException("BenchResult.parse: not a JSON object: " + line);
        }
        Object bench = m.get("bench");
        Object impl = m.get("impl");
        if (!(bench instanceof String) || !(impl instanceof String)) {
            throw new IllegalArgumentException("BenchResult.parse: no \"bench\" and \"impl\" strings in " + line);
        }
        BenchResult r = new BenchResult((String) bench, (String) impl);
        r.fields.putAll(m);
        return r;
    }

    /**
     * The JSON line: the fields in order; a non-integral number with six decimals (null when
     * not finite); no spaces.
     */
    public String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            out.put(e.getKey(), forJson(e.getValue()));
        }
        try {
            return WRITER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("BenchResult.toJson: " + e.getOriginalMessage(), e);
        }
    }

    /** Doubles as fixed six-decimal numbers (the format every peer prints), non-finite as null. */
    private static Object forJson(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(6, RoundingMode.HALF_UP) : null;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object x : (List<?>) v) {
                l.add(forJson(x));
            }
            return l;
        }
        return v;
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
}
