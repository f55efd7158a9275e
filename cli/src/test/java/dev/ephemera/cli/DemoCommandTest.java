package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoPassesEveryCheckAndWritesTheChart() throws IOException {
        Path chart = dir.resolve("chart.png");
        CliCapture r = CliCapture.run("demo", "--rounds", "3", "--keys", "500", "--chart", chart.toString());
        assertThat(r.status).as(r.out).isZero();
        assertThat(r.out)
                .contains("== 1. A memo table whose values refer to their keys ==")
                .contains("round  3/3")
                .contains("WeakHashMap holds     1,500")
                .contains("ephemera holds     500")
                .contains("== 2. Finalisers run in the order OCaml's Gc.finalise documents ==")
                .contains("after the 1st (gc): (c b a)")
                .contains("== 3. A weak pointer and an ephemeron being cleared ==")
                .contains("chart written to " + chart.toAbsolutePath())
                .contains("RESULT: PASS")
                .doesNotContain("FAIL");
        assertThat(r.out.lines().filter(l -> l.trim().startsWith("PASS ")).count()).isEqualTo(10);
        byte[] png = Files.readAllBytes(chart);
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        // the chart's data beside it, from which `bench --redraw` draws it again
        assertThat(Files.readAllLines(dir.resolve("chart.jsonl"))).containsExactly(
                "{\"bench\":\"demo-memo-rounds\",\"impl\":\"weakhashmap\",\"keys\":500,\"retained\":[500,1000,1500]}",
                "{\"bench\":\"demo-memo-rounds\",\"impl\":\"ephemera\",\"keys\":500,\"retained\":[500,500,500]}");
    }

    @Test
    void badArgumentsAreRefused() {
        CliCapture r = CliCapture.run("demo", "--rounds", "1");
        assertThat(r.status).isEqualTo(2);
    }
}
