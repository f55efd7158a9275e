package dev.ephemera.bench.suite;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One benchmark configuration: the benchmark's name and its parameters, named as the JSON
 * fields (and the CLI flags) name them, e.g. {@code ephemeron-chain n=300000 order=fwd
 * drop_root=false}. Measurements of different implementations are paired by equal cases.
 */
public final class Case {
    private final String bench;
    private final Map<String, Object> params;

    private Case(String bench, Map<String, Object> params) {
        this.bench = bench;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A case from alternating names and values: {@code Case.of("memo-table", "n", 1000, "keys", "dead")}. */
    public static Case of(String bench, Object... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("Case.of: names and values must alternate");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], nameValues[i + 1]);
        }
        return new Case(bench, m);
    }

    /** The benchmark's name, as in the {@code "bench"} field. */
    public String bench() {
        return bench;
    }

    /** The parameters, in order. */
    public Map<String, Object> params() {
        return params;
    }

    /** An integer parameter. */
    public int intParam(String name) {
        return ((Number) params.get(name)).intValue();
    }

    /** {@code n=300000 order=fwd}: the parameters as the table prints them (false flags left out). */
    public String label() {
        StringJoiner j = new StringJoiner(" ");
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (Boolean.FALSE.equals(e.getValue())) {
                continue;
            }
            j.add(Boolean.TRUE.equals(e.getValue()) ? e.getKey() : e.getKey() + "=" + e.getValue());
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Case && ((Case) o).bench.equals(bench) && ((Case) o).params.equals(params);
    }

    @Override
    public int hashCode() {
        return bench.hashCode() * 31 + params.hashCode();
    }

    @Override
    public String toString() {
        return bench + " " + label();
    }
}
