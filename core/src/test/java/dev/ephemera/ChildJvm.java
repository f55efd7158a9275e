package dev.ephemera;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} class in a JVM of its own: for what the test JVM cannot show —
 * unchecked mode (tests run with {@code -Dephemera.checked=true}, read once per JVM) and a small
 * {@code -Xmx} (the JVM running out of memory), and the core module on the module path (the tests
 * themselves run on the class path). The child gets the test class path, or the module and the
 * main class's directory, and this JVM's {@code java}; its output is collected, its run bounded
 * by a timeout.
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
        return run(main, command, timeoutSeconds);
    }

    /**
     * Runs {@code main} as a user's application would run against the core module: the module
     * {@code dev.ephemera.core} (compiled to {@code module}) on the module path, and on the class
     * path only the directory {@code main} was loaded from, so {@code main} sees what the module
     * exports and nothing else.
     */
    public static Result runOnModulePath(Class<?> main, Path module, List<String> jvmOptions, long timeoutSeconds,
                                         String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", module.toString(), "--add-modules", "dev.ephemera.core"));
        command.add("-cp");
        try {
            command.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        command.add(main.getName());
        command.addAll(List.of(args));
        return run(main, command, timeoutSeconds);
    }

    private static Result run(Class<?> main, List<String> command, long timeoutSeconds) {
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
