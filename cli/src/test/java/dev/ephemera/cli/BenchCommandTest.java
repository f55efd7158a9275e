package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.BenchResult;
import dev.ephemera.bench.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite through the command line, at --quick sizes, one run each (tests run in checked mode). */
class BenchCommandTest {
    @TempDir
    Path dir;

    /** A PATH with bash and dirname (what run-peer needs to skip) and no OCaml or Chez. */
    private Path pathWithoutToolchains() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : new String[] {"bash", "dirname"}) {
            Path real = null;
            for (String d : System.getenv("PATH").split(":")) {
                if (Files.isExecutable(Path.of(d, tool))) {
                    real = Path.of(d, tool);
                    break;
                }
            }
            assertThat(real).as(tool + " on PATH").isNotNull();
            Path shim = bin.resolve(tool);
            Files.writeString(shim, "#!/bin/sh\nexec " + real + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
        }
        return bin;
    }

    @Test
    void quickJsonHasOneWellFormedLinePerBenchmarkAndImplAndSkipsMissingPeersCleanly() throws IOException {
        CliCapture r = CliCapture.run("bench", "--quick", "--json", "--peers", "--repeat", "1",
                "--peer-env", "PATH=" + pathWithoutToolchains());
        assertThat(r.status).as(r.err).isZero();
        List<BenchResult> lines = new ArrayList<>();
        for (String line : r.out.lines().toList()) {
            lines.add(BenchResult.parse(line)); // throws on a malformed line
        }
        Set<String> seen = new LinkedHashSet<>();
        for (BenchResult b : lines) {
            String key = b.bench() + " " + b.fields().entrySet().stream()
                    .filter(e -> !Set.of("bench", "impl").contains(e.getKey()) && isParameter(e.getKey()))
                    .map(e -> e.getKey() + "=" + e.getValue()).reduce("", String::concat) + " " + b.impl();
            assertThat(seen.add(key)).as("one line per case and impl: " + key).isTrue();
        }
        Set<String> benches = new LinkedHashSet<>();
        lines.forEach(b -> benches.add(b.bench()));
        assertThat(benches).containsExactlyElementsOf(Suite.BENCHMARKS);
        assertThat(lines).filteredOn(b -> b.bench().equals("ephemeron-chain")).hasSize(9 * 2);
        assertThat(lines).filteredOn(b -> b.bench().equals("memo-table")).extracting(BenchResult::impl)
                .containsExactly("ephemera", "ocaml", "chez", "weakhashmap", "guava", "caffeine");
        assertThat(lines).filteredOn(b -> b.bench().equals("pauses")).extracting(BenchResult::impl)
                .containsExactly("ephemera", "stw", "ocaml");
        assertThat(lines).filteredOn(b -> b.bench().equals("fragmentation")).extracting(b -> b.impl() + " " + b.get("compaction"))
                .containsExactly("ephemera explicit", "ocaml explicit", "ephemera auto", "ocaml auto", "ephemera off", "ocaml off");
        for (BenchResult b : lines) {
            switch (b.impl()) {
                case "ocaml":
                    assertThat(b.skipped()).as(b.toJson()).isEqualTo("ocamlopt not found");
                    break;
                case "chez":
                    assertThat(b.skipped()).as(b.toJson()).isEqualTo("scheme not found");
                    break;
                default:
                    assertThat(b.skipped()).as(b.toJson()).isNull();
                    assertThat(b.seconds()).as(b.toJson()).isPositive().isFinite();
                    assertThat(b.get("unexpected")).as(b.toJson()).isNull();
            }
            if (b.get("ratio") != null) {
                assertThat(b.number("ratio")).as(b.toJson()).isPositive().isFinite();
            }
        }
        // the in-JVM baselines are always there, so their ratios are
        assertThat(lines).filteredOn(b -> List.of("jvm", "weakhashmap", "guava", "caffeine").contains(b.impl()))
                .hasSize(4).allSatisfy(b -> assertThat(b.number("ratio")).as(b.toJson()).isPositive().isFinite());
        assertThat(r.err).contains("ephemera bench --quick --peers:", "load average");
    }

    private static boolean isParameter(String field) {
        return List.of("depth", "n", "order", "drop_root", "keys", "live_cells", "allocs", "compaction").contains(field);
    }

    @Test
    void quickTableHasEveryBenchmarkAndChartsAreWritten() {
        Path charts = dir.resolve("charts");
        CliCapture r = CliCapture.run("bench", "--quick", "--repeat", "1", "--no-warmup", "--chart", charts.toString());
        assertThat(r.status).as(r.err).isZero();
        List<String> lines = r.out.lines().toList();
        assertThat(lines.get(0)).startsWith("# ephemera bench --quick: ").contains("CPUs", "load average");
        assertThat(lines.get(1)).startsWith("benchmark").contains("ephemera s", "peer", "ratio");
        for (String bench : Suite.BENCHMARKS) {
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bench));
        }
        assertThat(r.out).contains("memo-table rounds (8 rounds of 5000 entries", "weakhashmap  [5000, 10000,");
        assertThat(charts.resolve("ephemeron-chain-scaling.png")).exists();
        assertThat(charts.resolve("binary-trees.png")).exists();
        assertThat(charts.resolve("memo-table-retention.png")).exists();
        assertThat(charts.resolve("results.jsonl")).exists();
        assertThat(charts.resolve("results.txt")).hasContent(r.out.strip());
    }

    @Test
    void badSuiteOptionsAreRefused() {
        assertThat(CliCapture.run("bench", "--repeat", "0").status).isEqualTo(2);
        assertThat(CliCapture.run("bench", "--peer-timeout", "-1").status).isEqualTo(2);
        assertThat(CliCapture.run("bench", "memo-table", "--keys", "some").status).isEqualTo(2);
        assertThat(CliCapture.run("bench", "memo-table", "--impl", "hashmap").status).isEqualTo(2);
    }

    @Test
    void memoTableOnTheJvmMapsShowsTheirLeak() {
        CliCapture r = CliCapture.run("bench", "memo-table", "--n", "1000", "--impl", "caffeine", "--json");
        assertThat(r.status).isZero();
        BenchResult b = BenchResult.parse(r.out.strip());
        assertThat(b.impl()).isEqualTo("caffeine");
        assertThat(b.get("alive")).isEqualTo(1000L);
    }

    @Test
    void hashconsKeepsOnlyTheRootedElements() {
        CliCapture r = CliCapture.run("bench", "hashcons", "--n", "1000", "--json");
        assertThat(r.status).as(r.err).isZero();
        BenchResult b = BenchResult.parse(r.out.strip());
        assertThat(b.get("count")).isEqualTo(100L);
        assertThat(b.get("hits")).isEqualTo(500L);
    }

    @Test
    void memoTableOnEphemeraFreesEveryEntry() {
        CliCapture r = CliCapture.run("bench", "memo-table", "--n", "1000", "--impl", "all", "--json");
        assertThat(r.status).as(r.err).isZero();
        List<BenchResult> lines = r.out.lines().map(BenchResult::parse).toList();
        assertThat(lines).extracting(BenchResult::impl).containsExactly("ephemera", "weakhashmap", "guava", "caffeine");
        assertThat(lines).extracting(b -> b.get("alive")).containsExactly(0L, 1000L, 1000L, 1000L);
    }

    @Test
    void redrawDrawsTheCommittedChartsFromTheCommittedDataAlone() throws IOException {
        Path benchmarks = Files.createDirectories(dir.resolve("benchmarks"));
        Path images = Files.createDirectories(dir.resolve("images"));
        Path docs = Path.of("..", "docs");
        for (String f : new String[] {"results.jsonl", "results.txt", "pauses.jsonl", "fragmentation.jsonl",
            "pauses-jvm-collectors.jsonl"}) {
            Files.copy(docs.resolve("benchmarks").resolve(f), benchmarks.resolve(f));
        }
        Files.copy(docs.resolve("images/memo-retention.jsonl"), images.resolve("memo-retention.jsonl"));
        CliCapture r = CliCapture.run("bench", "--redraw", benchmarks.toString(), "--redraw", images.toString());
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).as("nothing measured, no table").isEmpty();
        for (Path png : List.of(benchmarks.resolve("memo-table-retention.png"), benchmarks.resolve("ephemeron-chain-scaling.png"),
                benchmarks.resolve("binary-trees.png"), benchmarks.resolve("pauses.png"), benchmarks.resolve("fragmentation.png"),
                benchmarks.resolve("pauses-jvm-collectors.png"), images.resolve("memo-retention.png"))) {
            assertThat(r.err).contains("drew " + png);
            assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        CliCapture none = CliCapture.run("bench", "--redraw", Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(none.status).isEqualTo(1);
        assertThat(none.err).contains("no chart data");
    }

    /** The fields the issues name for the two benchmarks, in order. */
    private static final List<String> PAUSES_FIELDS =
            List.of("bench", "impl", "live_cells", "allocs", "seconds", "p50_ms", "p99_ms", "max_ms", "major_collections");

    @Test
    void pausesPrintsOneLinePerImplementationWithTheIssuesFields() {
        CliCapture r = CliCapture.run("bench", "pauses", "--live-cells", "2e3", "--allocs", "20_000", "--impl", "all",
                "--json", "--no-warmup");
        assertThat(r.status).as(r.err).isZero();
        List<BenchResult> lines = r.out.lines().map(BenchResult::parse).toList();
        assertThat(lines).extracting(BenchResult::impl).containsExactly("ephemera", "stw", "ocaml");
        for (BenchResult b : lines) {
            if (b.skipped() != null) { // no OCaml toolchain here: a clean skip with the case's parameters
                assertThat(b.impl()).isEqualTo("ocaml");
                assertThat(b.skipped()).isEqualTo("ocamlopt not found");
                assertThat(b.get("live_cells")).isEqualTo(2000L);
                continue;
            }
            assertThat(b.fields().keySet()).as(b.toJson()).startsWith(PAUSES_FIELDS.toArray(new String[0]));
            assertThat(b.get("live_cells")).isEqualTo(2000L);
            assertThat(b.get("allocs")).isEqualTo(20000L);
            assertThat(b.get("batches")).isEqualTo(2L);
            assertThat(b.get("list_length")).isEqualTo(2000L);
            assertThat(b.number("max_ms")).isGreaterThanOrEqualTo(b.number("p99_ms")).isGreaterThanOrEqualTo(b.number("p50_ms"));
            assertThat(b.get("unexpected")).as(b.toJson()).isNull();
        }
        assertThat(lines.get(0).get("incremental")).isEqualTo(true);
        assertThat(lines.get(1).get("incremental")).isEqualTo(false);
    }

    @Test
    void fragmentationRunsEveryModeAndReportsEveryPhase() {
        CliCapture r = CliCapture.run("bench", "fragmentation", "--n", "6400", "--compaction", "all", "--json", "--no-warmup");
        assertThat(r.status).as(r.err).isZero();
        List<BenchResult> lines = r.out.lines().map(BenchResult::parse).toList();
        assertThat(lines).extracting(b -> b.get("compaction")).containsExactly("explicit", "auto", "off");
        for (BenchResult b : lines) {
            assertThat(b.fields().keySet()).startsWith("bench", "impl", "n", "compaction", "seconds", "compact_seconds", "phases",
                    "live_words", "heap_words");
            assertThat(b.get("phases")).isEqualTo(List.of("allocated", "dropped", "refilled", "final"));
            assertThat((List<?>) b.get("live_words")).hasSize(4);
            assertThat((List<?>) b.get("compact_seconds")).hasSize(2);
            assertThat(b.get("pairs")).isEqualTo(100L);
            assertThat(b.get("blocks")).isEqualTo(1600L);
            assertThat(b.get("unexpected")).isNull();
        }
        CliCapture text = CliCapture.run("bench", "fragmentation", "--n", "640", "--no-warmup");
        assertThat(text.status).isZero();
        assertThat(text.out).startsWith("fragmentation ephemera  n=640  compaction=explicit  seconds=");
    }

    @Test
    void badPausesAndFragmentationInputIsOneLineAndExitStatus2() {
        String[][] bad = {
            {"pauses", "--allocs", "0"}, {"pauses", "--live-cells", "-1"},
            {"pauses", "--live-cells", "many"}, {"pauses", "--live-cells", "1.5"}, {"pauses", "--allocs", "1e99"},
            {"pauses", "--allocs", "-1e99"}, {"pauses", "--allocs", "9223372036854775807"}, {"pauses", "--impl", "jvm"},
            {"pauses", "--repeat", "0"}, {"pauses", "--impl", "ocaml", "--peer-timeout", "0"}, {"pauses", "--verbose"},
            {"fragmentation", "--n", "63"}, {"fragmentation", "--n", "1e9"}, {"fragmentation", "--compaction", "some"},
            {"fragmentation", "--impl", "stw"}, {"fragmentation", "--repeat", "-2"}, {"fragmentation", "extra"},
        };
        for (String[] args : bad) {
            String[] command = new String[args.length + 1];
            command[0] = "bench";
            System.arraycopy(args, 0, command, 1, args.length);
            CliCapture r = CliCapture.run(command);
            String what = String.join(" ", args);
            assertThat(r.status).as(what).isEqualTo(2);
            assertThat(r.out).as(what).isEmpty();
            assertThat(r.err.lines().toList()).as(what).hasSize(1);
            assertThat(r.err).as(what).startsWith("ephemera bench " + args[0] + ": ").endsWith("--help)" + System.lineSeparator());
        }
        assertThat(CliCapture.run("bench", "pauses", "--allocs", "0").err)
                .contains("--allocs must be in [1, 21474836470000], got 0");
        assertThat(CliCapture.run("bench", "pauses", "--live-cells", "many").err).contains("'many' is not a whole number");
        assertThat(CliCapture.run("bench", "pauses", "--live-cells", "1.5").err).contains("'1.5' is not a whole number");
        assertThat(CliCapture.run("bench", "pauses", "--allocs", "1e99").err)
                .contains("'1e99' is out of range (a count is at most 9223372036854775807)");
        assertThat(CliCapture.run("bench", "fragmentation", "--compaction", "some").err)
                .contains("--compaction must be explicit, auto, off or all, got some");
    }
}
