package dev.ephemera.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.BenchResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SuiteTest {
    @Test
    void defaultSizesAreTheOnesTheIssuesName() {
        List<Workload> w = Suite.macro(Sizes.FULL, null);
        assertThat(w.stream().map(x -> x.benchCase().toString())).containsExactly(
                "binary-trees depth=20",
                "ephemeron-chain n=10000 order=fwd", "ephemeron-chain n=10000 order=rev", "ephemeron-chain n=10000 order=random",
                "ephemeron-chain n=300000 order=fwd", "ephemeron-chain n=300000 order=rev", "ephemeron-chain n=300000 order=random",
                "ephemeron-chain n=1000000 order=fwd", "ephemeron-chain n=1000000 order=rev", "ephemeron-chain n=1000000 order=random",
                "memo-table n=1000000 keys=dead", "hashcons n=1000000", "finalise n=1000000",
                "pauses live_cells=10000000 allocs=200000000", "pauses live_cells=40000000 allocs=200000000",
                "fragmentation n=10000000 compaction=explicit", "fragmentation n=10000000 compaction=auto",
                "fragmentation n=10000000 compaction=off");
        assertThat(w).allSatisfy(x -> assertThat(x.impls()).extracting(Impl::name).containsExactly("ephemera"));
    }

    @Test
    void withPeersEveryBenchmarkHasItsPeers() {
        PeerRunner peers = new PeerRunner(Path.of("run-peer"), Map.of(), 1);
        Map<String, List<String>> impls = Suite.macro(Sizes.QUICK, peers).stream().collect(Collectors.toMap(
                x -> x.benchCase().bench(), x -> x.impls().stream().map(Impl::name).collect(Collectors.toList()), (a, b) -> a));
        assertThat(impls).containsOnlyKeys(Suite.BENCHMARKS);
        assertThat(impls.get("binary-trees")).containsExactly("ephemera", "ocaml", "jvm");
        assertThat(impls.get("ephemeron-chain")).containsExactly("ephemera", "ocaml");
        assertThat(impls.get("memo-table")).containsExactly("ephemera", "ocaml", "chez", "weakhashmap", "guava", "caffeine");
        assertThat(impls.get("hashcons")).containsExactly("ephemera", "ocaml");
        assertThat(impls.get("finalise")).containsExactly("ephemera", "ocaml");
        assertThat(impls.get("pauses")).containsExactly("ephemera", "stw", "ocaml");
        assertThat(impls.get("fragmentation")).containsExactly("ephemera", "ocaml");
    }

    @Test
    void quickSizesRunEveryFragmentationModeAndASmallPausesCase() {
        List<String> cases = Suite.macro(Sizes.QUICK, null).stream().map(x -> x.benchCase().toString())
                .filter(c -> c.startsWith("pauses") || c.startsWith("fragmentation")).collect(Collectors.toList());
        assertThat(cases).containsExactly("pauses live_cells=100000 allocs=1000000",
                "fragmentation n=100000 compaction=explicit", "fragmentation n=100000 compaction=auto",
                "fragmentation n=100000 compaction=off");
    }

    @Test
    void binaryTreesCheckMatchesTheBenchmarksGame() {
        assertThat(Suite.binaryTreesCheck(20)).isEqualTo(306_883_246L);
        assertThat(Suite.binaryTreesCheck(4)).isEqualTo(Suite.binaryTreesCheck(6));
    }

    @Test
    void wrongAnswersAreFlagged() {
        assertThat(Suite.unexpected(new BenchResult("binary-trees", "ocaml").put("depth", 20).put("check", 306_883_246L))).isNull();
        assertThat(Suite.unexpected(new BenchResult("binary-trees", "ocaml").put("depth", 20).put("check", 1L)))
                .isEqualTo("check=1, expected 306883246");
        assertThat(Suite.unexpected(chain(false, 10, 0))).isNull();
        assertThat(Suite.unexpected(chain(true, 0, 10))).isNull();
        assertThat(Suite.unexpected(chain(false, 9, 1))).contains("data_full=9 cleared=1");
        assertThat(Suite.unexpected(memo("ephemera", 0))).isNull();
        assertThat(Suite.unexpected(memo("ephemera", 3))).isEqualTo("alive=3, expected 0");
        assertThat(Suite.unexpected(memo("weakhashmap", 10))).isNull(); // the documented leak
        assertThat(Suite.unexpected(memo("guava", 0))).isEqualTo("alive=0, expected 10");
        assertThat(Suite.unexpected(new BenchResult("hashcons", "ocaml").put("n", 11).put("hits", 5).put("misses", 6).put("count", 2))).isNull();
        assertThat(Suite.unexpected(new BenchResult("hashcons", "ocaml").put("n", 10).put("hits", 5).put("misses", 5).put("count", 5)))
                .contains("count=5");
        assertThat(Suite.unexpected(new BenchResult("finalise", "ephemera").put("n", 4).put("first_called", 4).put("last_called", 3)))
                .contains("last_called=3");
        assertThat(Suite.unexpected(PeerRunner.skipped("ocaml", Case.of("finalise", "n", 4), "ocamlopt not found"))).isNull();
        BenchResult pauses = new BenchResult("pauses", "ocaml").put("live_cells", 100).put("allocs", 20_000)
                .put("batches", 2).put("list_length", 100).put("ring_sum", 16L * (1250L * 1249 / 2));
        assertThat(Suite.unexpected(pauses)).isNull();
        assertThat(Suite.unexpected(pauses.copy().put("list_length", 99))).contains("list_length=99");
        assertThat(Suite.unexpected(pauses.copy().put("ring_sum", 0))).contains("ring_sum=0");
        BenchResult frag = new BenchResult("fragmentation", "ephemera").put("n", 640).put("compaction", "explicit")
                .put("pairs", 10).put("blocks", 160).put("check", 64L * 45 + 160L * 159 / 2);
        assertThat(Suite.unexpected(frag)).isNull();
        assertThat(Suite.unexpected(frag.copy().put("pairs", 640))).contains("pairs=640");
        assertThat(Suite.unexpected(frag.copy().put("check", 1))).contains("check=1");
    }

    private static BenchResult chain(boolean drop, long full, long cleared) {
        return new BenchResult("ephemeron-chain", "ephemera").put("n", 10).put("drop_root", drop)
                .put("data_full", full).put("cleared", cleared);
    }

    private static BenchResult memo(String impl, long alive) {
        return new BenchResult("memo-table", impl).put("n", 10).put("keys", "dead").put("alive", alive);
    }

    @Test
    void caseLabelsLeaveOutFalseFlags() {
        assertThat(Case.of("ephemeron-chain", "n", 5, "order", "rev", "drop_root", false).label()).isEqualTo("n=5 order=rev");
        assertThat(Case.of("ephemeron-chain", "n", 5, "order", "rev", "drop_root", true).label()).isEqualTo("n=5 order=rev drop_root");
        assertThat(Case.of("hashcons", "n", 5)).isEqualTo(Case.of("hashcons", "n", 5)).isNotEqualTo(Case.of("hashcons", "n", 6));
    }
}
