package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * The suite's table: one group of rows per case, ephemera's time and heap on its first row and
 * one row per peer with the peer's figures and the ratios (ephemera / peer: below 1, ephemera is
 * faster or smaller). Times are the median seconds, heaps the peak in MiB (words * 8).
 * The notes say what each run computed where it matters (memo-table entries alive, hashcons
 * elements kept), why a peer was skipped, and anything unexpected.
 */
public final class ResultTable {
    private static final String[] HEADER = {
        "benchmark", "parameters", "ephemera s", "heap MiB", "peer", "peer s", "ratio", "peer MiB", "heap ratio", "notes"
    };
    private static final boolean[] RIGHT = {false, false, true, true, false, true, true, true, true, false};
    /** Spaces between columns. */
    private static final int GAP = 2;

    private final List<String[]> rows = new ArrayList<>();

    /** Adds the rows of one workload's measurements (ephemera first). */
    public void add(List<Measurement> ms) {
        Measurement eph = ms.get(0);
        String[] first = base(eph);
        if (ms.size() == 1) {
            first[4] = "-";
            first[9] = notes(eph);
            rows.add(first);
            return;
        }
        boolean firstRow = true;
        for (Measurement peer : ms.subList(1, ms.size())) {
            String[] row = firstRow ? first : new String[HEADER.length];
            BenchResult r = peer.result();
            row[4] = peer.impl();
            if (peer.isSkipped()) {
                Object limit = r.get("timeout_seconds");
                row[5] = limit == null ? "skipped" : "> " + seconds(((Number) limit).doubleValue());
                row[6] = limit == null || eph.isSkipped() ? "" : "< " + ratio(eph.seconds() / ((Number) limit).doubleValue());
            } else {
                row[5] = seconds(peer.seconds());
                row[6] = ratio(r.number("ratio"));
                row[7] = mib(peer.peakHeapWords());
                row[8] = ratio(r.number("heap_ratio"));
            }
            String n = notes(peer);
            if (firstRow) {
                String en = notes(eph);
                n = en.isEmpty() ? n : n.isEmpty() ? "ephemera: " + en : "ephemera: " + en + "; " + peer.impl() + ": " + n;
            }
            row[9] = n;
            rows.add(row);
            firstRow = false;
        }
    }

    private static String[] base(Measurement eph) {
        String[] row = new String[HEADER.length];
        row[0] = eph.benchCase().bench();
        row[1] = eph.benchCase().label();
        row[2] = eph.isSkipped() ? "skipped" : seconds(eph.seconds());
        row[3] = eph.isSkipped() ? "" : mib(eph.peakHeapWords());
        return row;
    }

    /** The notes for one measurement: what it computed, or why it did not run. */
    static String notes(Measurement m) {
        BenchResult r = m.result();
        List<String> notes = new ArrayList<>();
        if (r.skipped() != null) {
            notes.add(r.get("timeout_seconds") != null ? r.skipped() : "skipped: " + r.skipped());
        } else {
            switch (r.bench()) {
                case "memo-table":
                    notes.add("alive=" + integer(r.get("alive")));
                    break;
                case "hashcons":
                    notes.add("count=" + integer(r.get("count")));
                    break;
                case "pauses":
                    notes.add(String.format(Locale.ROOT, "max %s ms, p99 %s ms", millis(r.number("max_ms")),
                            millis(r.number("p99_ms"))));
                    break;
                case "fragmentation":
                    notes.add("heap/live " + ratio(r.number("heap_live_ratio")) + " at the end, collections "
                            + secondsList(r.get("compact_seconds")) + " s");
                    break;
                default:
                    break;
            }
        }
        if (r.get("unexpected") != null) {
            notes.add("UNEXPECTED " + r.get("unexpected"));
        }
        return String.join(", ", notes);
    }

    /**
     * The table as text (picocli's {@link TextTable}): columns two spaces apart, the numeric
     * ones right-aligned, a rule of dashes under the header, no trailing spaces.
     */
    public String render() {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i] == null ? 0 : row[i].length());
            }
        }
        Column[] columns = new Column[HEADER.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(width[i] + (i == columns.length - 1 ? 0 : GAP), 0, Column.Overflow.SPAN);
        }
        TextTable table = TextTable.forColumns(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF), columns);
        table.addRowValues(aligned(HEADER, width));
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        table.addRowValues(rule);
        for (String[] row : rows) {
            table.addRowValues(aligned(row, width));
        }
        StringBuilder b = new StringBuilder();
        table.toString().lines().forEach(l -> b.append(l.stripTrailing()).append('\n'));
        return b.toString();
    }

    /** The cells, numeric ones padded on the left to their column's width. */
    private static String[] aligned(String[] cells, int[] width) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i] == null ? "" : cells[i];
            out[i] = RIGHT[i] ? " ".repeat(width[i] - c.length()) + c : c;
        }
        return out;
    }

    /** Seconds with about four significant digits and no exponent. */
    static String seconds(double s) {
        if (!Double.isFinite(s)) {
            return "";
        }
        if (s >= 100) {
            return String.format(Locale.ROOT, "%.1f", s);
        }
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.3f", s);
        }
        if (s >= 0.01) {
            return String.format(Locale.ROOT, "%.4f", s);
        }
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** A ratio: two decimals, more when it is tiny. */
    static String ratio(double r) {
        if (!Double.isFinite(r)) {
            return "";
        }
        if (r >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", r);
        }
        return String.format(Locale.ROOT, r >= 0.001 ? "%.4f" : "%.6f", r);
    }

    /** A list of seconds as {@code 0.3047 + 0.5834}. */
    private static String secondsList(Object list) {
        List<String> parts = new ArrayList<>();
        if (list instanceof List) {
            for (Object o : (List<?>) list) {
                parts.add(o instanceof Number ? seconds(((Number) o).doubleValue()) : String.valueOf(o));
            }
        }
        return String.join(" + ", parts);
    }

    /** Milliseconds with three significant digits or more. */
    static String millis(double ms) {
        if (!Double.isFinite(ms)) {
            return "";
        }
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : ms >= 1 ? "%.2f" : "%.3f", ms);
    }

    private static String mib(double words) {
        return Double.isFinite(words) ? String.format(Locale.ROOT, "%.1f", words * 8 / (1 << 20)) : "";
    }

    private static String integer(Object o) {
        return o instanceof Number ? String.valueOf(((Number) o).longValue()) : String.valueOf(o);
    }
}
