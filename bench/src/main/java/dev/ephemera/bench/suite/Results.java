package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A suite run read back from the files {@code ephemera bench --chart DIR} writes: the JSON lines
 * of {@code results.jsonl} (one per measurement, then the memo-table rounds) and the context
 * line at the top of {@code results.txt} (date, JDK, sizes). The charts are always drawn from
 * these, so a committed chart can be redrawn from the data committed beside it
 * ({@code ephemera bench --redraw DIR}).
 */
public final class Results {
    /** The file of JSON lines. */
    public static final String JSONL = "results.jsonl";
    /** The file of the table as printed. */
    public static final String TEXT = "results.txt";
    /** The {@code "bench"} name of the memo-table rounds behind the retention chart. */
    public static final String ROUNDS = "memo-table-rounds";

    /** Each benchmark's parameters, in the order the suite names them (see {@link Suite}). */
    static final Map<String, List<String>> PARAMS = Map.of(
            "binary-trees", List.of("depth"),
            "ephemeron-chain", List.of("n", "order", "drop_root"),
            "memo-table", List.of("n", "keys"),
            "hashcons", List.of("n"),
            "finalise", List.of("n"),
            "pauses", List.of("live_cells", "allocs"),
            "fragmentation", List.of("n", "compaction"));
    private static final Set<String> JVM_BASELINES = Set.of("jvm", "weakhashmap", "guava", "caffeine", "stw");
    private static final Pattern JDK = Pattern.compile("JDK (\\d+)");
    private static final Pattern DATE = Pattern.compile(": (\\d{4}-\\d{2}-\\d{2}) ");

    private final List<Measurement> measurements;
    private final Map<String, List<Long>> retention;
    private final int retentionBatch;
    private final String subtitle;

    private Results(List<Measurement> measurements, Map<String, List<Long>> retention, int retentionBatch,
                    String subtitle) {
        this.measurements = measurements;
        this.retention = retention;
        this.retentionBatch = retentionBatch;
        this.subtitle = subtitle;
    }

    /**
     * Reads {@code dir/results.jsonl} and the first line of {@code dir/results.txt} (when it is
     * there).
     *
     * @throws IOException when the JSON lines cannot be read
     * @throws IllegalArgumentException when a line is not a result line
     */
    public static Results read(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(JSONL), StandardCharsets.UTF_8);
        Path text = dir.resolve(TEXT);
        String context = Files.exists(text)
                ? Files.readAllLines(text, StandardCharsets.UTF_8).stream().findFirst().orElse("") : "";
        return parse(lines, context);
    }

    /** Parses JSON lines as {@link #read} does; {@code context} is the table's first line, or empty. */
    public static Results parse(List<String> jsonLines, String context) {
        List<Measurement> ms = new ArrayList<>();
        Map<String, List<Long>> retention = new LinkedHashMap<>();
        int batch = 0;
        for (String line : jsonLines) {
            if (line.isBlank()) {
                continue;
            }
            BenchResult r = BenchResult.parse(line);
            if (r.bench().equals(ROUNDS)) {
                List<Long> counts = new ArrayList<>();
                for (Object o : (List<?>) r.get("retained")) {
                    counts.add(((Number) o).longValue());
                }
                retention.put(r.impl(), counts);
                batch = ((Number) r.get("batch")).intValue();
                continue;
            }
            List<String> names = PARAMS.get(r.bench());
            if (names == null) {
                throw new IllegalArgumentException("Results: unknown benchmark " + r.bench() + " in " + line);
            }
            Object[] params = new Object[names.size() * 2];
            for (int i = 0; i < names.size(); i++) {
                params[2 * i] = names.get(i);
                params[2 * i + 1] = r.get(names.get(i));
            }
            ms.add(Measurement.reported(Case.of(r.bench(), params), kindOf(r.impl()), r));
        }
        return new Results(ms, retention, batch, subtitle(context));
    }

    private static Impl.Kind kindOf(String impl) {
        if (impl.equals("ephemera")) {
            return Impl.Kind.EPHEMERA;
        }
        return JVM_BASELINES.contains(impl) ? Impl.Kind.JVM : Impl.Kind.PROCESS;
    }

    /** {@code JDK 25, 2026-11-22} (with {@code quick sizes} for a --quick run), from the context line. */
    static String subtitle(String context) {
        List<String> parts = new ArrayList<>();
        if (context.contains("--quick")) {
            parts.add("quick sizes");
        }
        Matcher jdk = JDK.matcher(context);
        if (jdk.find()) {
            parts.add("JDK " + jdk.group(1));
        }
        Matcher date = DATE.matcher(context);
        if (date.find()) {
            parts.add(date.group(1));
        }
        return parts.isEmpty() ? "ephemera bench" : String.join(", ", parts);
    }

    /** Every measurement, in file order. */
    public List<Measurement> measurements() {
        return measurements;
    }

    /** Entries alive after each round, by implementation (empty when the run had no rounds). */
    public Map<String, List<Long>> retention() {
        return retention;
    }

    /** Entries inserted per round. */
    public int retentionBatch() {
        return retentionBatch;
    }

    /** What the charts say about the run: sizes, JDK, date. */
    public String subtitle() {
        return subtitle;
    }
}
