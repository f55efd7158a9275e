package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: the command runs in a child JVM, which gets a SIGINT once it is looping.
 * Skipped where there is no {@code kill} or where SIGINT is ignored (a process started in the
 * background by a shell without job control inherits that, and then no handler can see it).
 */
@Timeout(120)
class InterruptSignalTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsSignals() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "no /bin/kill");
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "no /proc/self/status to check the signal mask");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseLong(line.substring("SigIgn:".length()).trim(), 16);
                assumeTrue((ignored & (1L << 1)) == 0, "SIGINT is ignored in this process tree");
            }
        }
    }

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static void sigint(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /** Reads lines until one equals {@code line} (the child's output is line-buffered at newline). */
    private static void awaitLine(BufferedReader out, String line) throws IOException {
        for (String l = out.readLine(); ; l = out.readLine()) {
            assertThat(l).as("the child's output ended before \"" + line + "\"").isNotNull();
            if (l.endsWith(line)) {
                return;
            }
        }
    }

    @Test
    void ctrlCStopsARunningScriptWithStatus130() throws Exception {
        Path script = dir.resolve("spin.scm");
        Files.writeString(script, "(define (spin i) (spin (+ i 1)))\n(display \"looping\")\n(newline)\n(spin 0)\n");
        Process p = start("run", script.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        awaitLine(out, "looping");
        sigint(p);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(130);
        // the interrupt went through the machine (not the JVM's default exit): it says where
        assertThat(err).startsWith("interrupted\n  in spin (" + script + ":1:18)");
    }

    @Test
    void ctrlCInAReplStopsTheEvaluationAndKeepsTheSession() throws Exception {
        Process p = start("repl", "--no-history");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try (Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write("(define kept 'still-here)\n(define (spin) (let loop () (loop)))\n"
                    + "(begin (display \"looping\") (newline) (spin))\n");
            in.flush();
            awaitLine(out, "looping");
            sigint(p);
            in.write("(list kept)\n");
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
        assertThat(p.exitValue()).isZero();
        assertThat(rest).contains("interrupted\n  in loop (<repl>:2:29)").contains("(still-here)");
    }
}
