package dev.ephemera.bench.suite;

import dev.ephemera.bench.BenchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the peer programs of {@code bench/peers} through {@code bench/peers/run-peer NAME args},
 * each in its own process, and reads the one JSON line it prints. Whatever goes wrong outside
 * our code becomes a result with a {@code "skipped"} reason, never an exception: the toolchain
 * missing (run-peer's own skip line), run-peer itself missing, a run past the time limit (the
 * process is killed; {@code "timeout_seconds"} records the limit, a lower bound of its time),
 * a non-zero exit, or output that is not one JSON line. A skipped result carries the case's
 * parameters, so it still pairs with ours.
 */
public final class PeerRunner {
    private final Path runPeer;
    private final Map<String, String> environment;
    private final double timeoutSeconds;

    /**
     * @param runPeer the {@code run-peer} script
     * @param environment variables to set for the peer (e.g. a different {@code PATH}); empty
     *     for this process's environment unchanged
     * @param timeoutSeconds the longest one peer run may take before it is killed
     */
    public PeerRunner(Path runPeer, Map<String, String> environment, double timeoutSeconds) {
        this.runPeer = runPeer;
        this.environment = Map.copyOf(environment);
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Finds {@code bench/peers/run-peer}: under {@code start} or any of its parents (the CLI jar
     * lives in {@code cli/target/}, the launcher may be started from anywhere), else under the
     * working directory. Returns the path even when it does not exist (runs then skip).
     */
    public static Path locate(Path start) {
        for (Path p = start == null ? null : start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("bench/peers/run-peer");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Path.of("bench/peers/run-peer").toAbsolutePath();
    }

    /** The script this runner uses. */
    public Path runPeer() {
        return runPeer;
    }

    /** The time limit of one run, in seconds. */
    public double timeoutSeconds() {
        return timeoutSeconds;
    }

    /**
     * Runs {@code run-peer program --name value ...} for the case (boolean parameters become a
     * bare flag when true, {@code drop_root} is {@code --drop-root}).
     *
     * @param impl the {@code "impl"} name the result must carry (ocaml, chez)
     * @param program the run-peer name, e.g. {@code ocaml/ephemeron_chain}
     */
    public BenchResult run(String impl, String program, Case c) {
        List<String> command = new ArrayList<>();
        command.add(runPeer.toString());
        command.add(program);
        for (Map.Entry<String, Object> e : c.params().entrySet()) {
            String flag = "--" + e.getKey().replace('_', '-');
            if (e.getValue() instanceof Boolean) {
                if ((Boolean) e.getValue()) {
                    command.add(flag);
                }
            } else {
                command.add(flag);
                command.add(String.valueOf(e.getValue()));
            }
        }
        if (!Files.isRegularFile(runPeer)) {
            return skipped(impl, c, runPeer + " not found");
        }
        Path out = null;
        Path err = null;
        Process p = null;
        try {
            out = Files.createTempFile("ephemera-peer", ".out");
            err = Files.createTempFile("ephemera-peer", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(environment);
            p = pb.start();
            if (!p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                kill(p);
                return skipped(impl, c, "timed out after " + seconds(timeoutSeconds) + " s")
                        .put("timeout_seconds", timeoutSeconds);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                return skipped(impl, c, "exited with status " + p.exitValue() + ": " + lastLine(Files.readString(err)));
            }
            String line = lastLine(stdout);
            BenchResult r;
            try {
                r = BenchResult.parse(line);
            } catch (IllegalArgumentException e) {
                return skipped(impl, c, "output is not a JSON line: " + line);
            }
            if (r.skipped() != null) {
                return skipped(impl, c, r.skipped());
            }
            if (!r.impl().equals(impl) || !r.bench().equals(c.bench())) {
                return skipped(impl, c, "printed " + r.bench() + "/" + r.impl() + ", expected " + c.bench() + "/" + impl);
            }
            return r;
        } catch (IOException e) {
            return skipped(impl, c, "cannot run " + runPeer + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                kill(p);
            }
            return skipped(impl, c, "interrupted");
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** A result that says this run did not happen, and why; with the case's parameters. */
    public static BenchResult skipped(String impl, Case c, String reason) {
        BenchResult r = new BenchResult(c.bench(), impl);
        c.params().forEach(r::put);
        return r.put("skipped", reason);
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s) : String.format(Locale.ROOT, "%.1f", s);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
