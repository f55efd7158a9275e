package dev.ephemera.testsupport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * How a test watchdog ends a test JVM: the {@link ForkWatchdog} and core's jqwik property
 * timeout both use it. Apart from the watchdog so that a module can call it without the JUnit
 * Platform launcher on its compile class path.
 */
public final class JvmHalt {
    private JvmHalt() {}

    /**
     * Writes {@code report} to the process's own standard error and halts the JVM with
     * {@code status}. Not System.err: Surefire replaces that with a stream to its event
     * channel, which the halt would cut off unflushed; what a fork writes to its real stderr,
     * Surefire logs and keeps.
     *
     * @param report what to say, ending without a newline
     * @param status the JVM's exit status
     */
    public static void halt(String report, int status) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println(report);
        err.flush();
        Runtime.getRuntime().halt(status);
    }
}
