package dev.ephemera.bench.suite;

import static dev.ephemera.bench.suite.ResultTableTest.measured;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void writesTheThreeChartsAsPng() throws IOException {
        List<Measurement> ms = new ArrayList<>();
        for (int n : new int[] {1_000, 10_000}) {
            for (String order : new String[] {"fwd", "rev", "random"}) {
                Case c = Case.of("ephemeron-chain", "n", n, "order", order, "drop_root", false);
                ms.add(measured(c, "ephemera", Impl.Kind.EPHEMERA, n * 1e-8, 1L << 20));
                ms.add(measured(c, "ocaml", Impl.Kind.PROCESS, n * n * 1e-10, 1L << 18));
            }
        }
        Case trees = Case.of("binary-trees", "depth", 12);
        ms.add(measured(trees, "ephemera", Impl.Kind.EPHEMERA, 0.05, 1L << 20));
        ms.add(measured(trees, "ocaml", Impl.Kind.PROCESS, 0.02, 1L << 17));
        ms.add(measured(trees, "jvm", Impl.Kind.JVM, 0.01, 1L << 19));
        Map<String, List<Long>> retention = new LinkedHashMap<>();
        retention.put("ephemera", List.of(0L, 0L, 0L));
        retention.put("weakhashmap", List.of(10L, 20L, 30L));
        List<Path> files = Charts.writeAll(dir.resolve("charts"), ms, retention, 10, "test");
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly(Charts.RETENTION, Charts.CHAIN, Charts.TREES);
        for (Path f : files) {
            assertThat(Files.readAllBytes(f)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    @Test
    void nothingToDrawWritesNothing() throws IOException {
        Case c = Case.of("finalise", "n", 10);
        assertThat(Charts.writeAll(dir, List.of(measured(c, "ephemera", Impl.Kind.EPHEMERA, 1, 1)), Map.of(), 1, "t")).isEmpty();
    }
}
