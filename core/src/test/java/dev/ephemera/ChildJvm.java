package dev.ephemera;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} class in a JVM of its own: for what the test JVM cannot show —
 * unchecked mode (tests run with {@code -Dephemera.checked=true}, read once per JVM) and a small
 * {@code -Xmx} (the JVM running out of memory). The child gets the test class path and this
 * JVM's {@code java}; its output is collected, its run bounded by a timeout.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** What a child JVM did. */
    public record Result(int exitCode, String output) {}

    /**
     * Runs {@code main} with the JVM options {@code jvmOptions} and the arguments {@code args};
     * waits at most {@code timeoutSeconds} (then kills it and fails).
     */
    public static Result run(Class<?> main, List<String> jvmOptions, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(p.getInputStream(), out), "child-jvm-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(1000);
                throw new AssertionError("child JVM " + main.getSimpleName() + " ran for more than " + timeoutSeconds
                        + " s; output so far:\n" + text(out));
            }
            reader.join(10_000);
            return new Result(p.exitValue(), text(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child JVM", e);
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }
}
