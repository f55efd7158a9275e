package dev.ephemera.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.bench.BenchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerRunnerTest {
    @TempDir
    Path dir;

    private static final Case CHAIN = Case.of("ephemeron-chain", "n", 300, "order", "rev", "drop_root", false);

    private Path script(String body) throws IOException {
        Path p = dir.resolve("run-peer");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void passesTheCaseAsFlagsAndReadsTheLastLine() throws IOException {
        Path p = script("echo 'Benchmarks Game text' >&2\n"
                + "echo 'a line before the result'\n"
                + "printf '{\"bench\":\"ephemeron-chain\",\"impl\":\"ocaml\",\"args\":\"%s\",\"seconds\":0.125}\\n' \"$*\"");
        BenchResult r = new PeerRunner(p, Map.of(), 30).run("ocaml", "ocaml/ephemeron_chain", CHAIN);
        assertThat(r.skipped()).isNull();
        assertThat(r.get("args")).isEqualTo("ocaml/ephemeron_chain --n 300 --order rev");
        assertThat(r.seconds()).isEqualTo(0.125);
        BenchResult dropped = new PeerRunner(p, Map.of(), 30)
                .run("ocaml", "ocaml/ephemeron_chain", Case.of("ephemeron-chain", "n", 5, "order", "fwd", "drop_root", true));
        assertThat(dropped.get("args")).isEqualTo("ocaml/ephemeron_chain --n 5 --order fwd --drop-root");
    }

    @Test
    void theEnvironmentIsPassedOn() throws IOException {
        Path p = script("printf '{\"bench\":\"hashcons\",\"impl\":\"ocaml\",\"param\":\"%s\",\"seconds\":1}\\n' \"$OCAMLRUNPARAM\"");
        BenchResult r = new PeerRunner(p, Map.of("OCAMLRUNPARAM", "s=4M"), 30).run("ocaml", "ocaml/hashcons", Case.of("hashcons", "n", 10));
        assertThat(r.get("param")).isEqualTo("s=4M");
    }

    @Test
    void everyFailureBecomesASkipCarryingTheCase() throws IOException {
        assertSkipped(new PeerRunner(dir.resolve("absent"), Map.of(), 30), "not found");
        assertSkipped(new PeerRunner(script("echo oops >&2; exit 3"), Map.of(), 30), "exited with status 3: oops");
        assertSkipped(new PeerRunner(script("echo UNEXPECTED"), Map.of(), 30), "output is not a JSON line: UNEXPECTED");
        assertSkipped(new PeerRunner(script("echo '{\"bench\":\"hashcons\",\"impl\":\"ocaml\",\"seconds\":1}'"), Map.of(), 30),
                "printed hashcons/ocaml, expected ephemeron-chain/ocaml");
        assertSkipped(new PeerRunner(script("echo '{\"bench\":\"ephemeron-chain\",\"impl\":\"ocaml\",\"skipped\":\"ocamlopt not found\"}'"),
                Map.of(), 30), "ocamlopt not found");
    }

    @Test
    void aRunPastTheLimitIsKilledAndReportsTheLimit() throws IOException {
        PeerRunner runner = new PeerRunner(script("sleep 60"), Map.of(), 0.5);
        long t0 = System.nanoTime();
        BenchResult r = runner.run("ocaml", "ocaml/ephemeron_chain", CHAIN);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        assertThat(r.skipped()).isEqualTo("timed out after 0.5 s");
        assertThat(r.get("timeout_seconds")).isEqualTo(0.5);
    }

    /** The real run-peer with a PATH that has bash and dirname but no toolchain. */
    @Test
    void missingToolchainsAreSkippedCleanly() throws IOException {
        Path runPeer = PeerRunner.locate(Path.of(""));
        assertThat(runPeer).exists();
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : new String[] {"bash", "dirname"}) {
            Path shim = bin.resolve(tool);
            Files.writeString(shim, "#!/bin/sh\nexec " + which(tool) + " \"$@\"\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwx------"));
        }
        PeerRunner runner = new PeerRunner(runPeer, Map.of("PATH", bin.toString()), 60);
        BenchResult ocaml = runner.run("ocaml", "ocaml/ephemeron_chain", CHAIN);
        assertThat(ocaml.skipped()).isEqualTo("ocamlopt not found");
        assertThat(ocaml.fields()).containsEntry("n", 300).containsEntry("order", "rev");
        BenchResult chez = runner.run("chez", "chez/memo_table", Case.of("memo-table", "n", 10, "keys", "dead"));
        assertThat(chez.skipped()).isEqualTo("scheme not found");
        assertThat(chez.impl()).isEqualTo("chez");
    }

    private static Path which(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " is not on PATH");
    }

    private static void assertSkipped(PeerRunner runner, String reason) {
        BenchResult r = runner.run("ocaml", "ocaml/ephemeron_chain", CHAIN);
        assertThat(r.skipped()).contains(reason);
        assertThat(r.bench()).isEqualTo("ephemeron-chain");
        assertThat(r.impl()).isEqualTo("ocaml");
        assertThat(r.fields()).containsEntry("n", 300).containsEntry("order", "rev").containsEntry("drop_root", false);
        assertThat(r.seconds()).isNaN();
    }
}
