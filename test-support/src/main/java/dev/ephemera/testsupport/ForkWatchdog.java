package dev.ephemera.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Halts a test JVM that is still running {@value #PROPERTY} seconds after its first test
 * session opened, with a thread dump on standard error: the backstop that makes a looping test
 * fail the build instead of hanging it.
 *
 * <p>Why it is needed beside the two limits the build already sets: JUnit's per-test timeout
 * (junit-platform.properties, in a separate thread) fails a test that loops, but cannot stop
 * its thread, which goes on looping; each further test that then times out leaves one more,
 * and on two cores they slow every later test into its own timeout. Surefire's
 * {@code forkedProcessTimeoutInSeconds} then asks the fork to kill itself; the fork wrote its
 * thread dump (the {@code .dump} file) and did not stop — a planted marking bug kept a core
 * test fork running for 35 minutes past that limit (Surefire 3.5.4, JDK 17) — and a class of
 * looping tests ran all its timeouts through, whatever the limit. {@link Runtime#halt} waits
 * for nothing; Surefire reports the fork as crashed and the build fails.
 *
 * <p>Registered as a JUnit Platform {@link LauncherSessionListener} (META-INF/services), so
 * every module that has this artifact as a test dependency gets it without code. The limit is
 * the system property {@value #PROPERTY} (the parent pom sets it for every fork); absent or 0,
 * there is no watchdog (the soak profile's long runs).
 */
public final class ForkWatchdog implements LauncherSessionListener {
    /** The system property holding the limit in seconds. */
    public static final String PROPERTY = "ephemera.test.forkLimitSeconds";
    /** The exit status of a halted fork. */
    static final int HALT_STATUS = 3;

    /** One watchdog per JVM, started by the first session (Surefire may open several). */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Creates the listener; the JUnit Platform does, through the service loader. */
    public ForkWatchdog() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        long seconds = limitSeconds(System.getProperty(PROPERTY));
        if (seconds > 0 && STARTED.compareAndSet(false, true)) {
            start(Duration.ofSeconds(seconds), report -> JvmHalt.halt(report, HALT_STATUS));
        }
    }

    /**
     * Starts a daemon thread that, once {@code limit} has passed, hands {@code expire} the
     * report (the reason and every thread's stack). A JVM that finishes in time exits without
     * waiting for it.
     */
    static Thread start(Duration limit, Consumer<String> expire) {
        Thread watchdog = new Thread(() -> {
            watch(limit);
            expire.accept(report(limit));
        }, "ephemera-fork-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    /** The limit the property gives, in seconds; 0 (no watchdog) if absent or blank. */
    static long limitSeconds(String property) {
        if (property == null || property.isBlank()) {
            return 0;
        }
        long seconds;
        try {
            seconds = Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0) {
            throw new IllegalArgumentException(PROPERTY + " must be 0 (off) or a number of seconds: " + property);
        }
        return seconds;
    }

    private static void watch(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                // nothing may call the watch off: a looping test could be the interrupter
            }
        }
    }

    /** What is printed before the halt: the reason, then every thread's stack. */
    static String report(Duration limit) {
        StringBuilder out = new StringBuilder()
                .append("ephemera fork watchdog: this test JVM is still running ")
                .append(limit.toSeconds())
                .append(" s after its tests began (").append(PROPERTY)
                .append("); a test loops or is far too slow. Halting it. Threads:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        return out.toString();
    }
}
