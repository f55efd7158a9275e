package dev.ephemera.property;

import dev.ephemera.testsupport.JvmHalt;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The per-test timeout of {@code junit-platform.properties} for jqwik properties, which JUnit
 * Jupiter's timeout does not reach (jqwik is its own test engine). Registered for every property
 * through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 *
 * <p>jqwik must run a property on its own thread (its context is thread-local), so the property
 * cannot be moved to a thread that could be abandoned, as Jupiter's {@code SEPARATE_THREAD} mode
 * does; and a loop that never checks for interruption cannot be stopped from outside. So when a
 * property outlasts the timeout a watchdog prints which property, with its thread's stack, and
 * halts the test JVM: surefire then fails the build ("The forked VM terminated without properly
 * saying goodbye", naming the test class) within the timeout instead of hanging it. Reads
 * {@code junit.jupiter.execution.timeout.default} and honours
 * {@code junit.jupiter.execution.timeout.mode=disabled} (the soak profile), as system properties
 * or in the properties file.
 */
public class PropertyTimeout implements AroundPropertyHook {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h)?\\s*");
    /** Exit status of a test JVM halted by the watchdog. */
    static final int HALT_STATUS = 124;

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        Duration timeout = timeout();
        if (timeout == null) {
            return property.execute();
        }
        Thread runner = Thread.currentThread();
        String label = context.label();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jqwik-timeout-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            watchdog.schedule(() -> halt(label, timeout, runner), timeout.toMillis(), TimeUnit.MILLISECONDS);
            return property.execute();
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void halt(String label, Duration timeout, Thread runner) {
        StringBuilder b = new StringBuilder("PropertyTimeout: property ").append(label).append(" timed out after ")
                .append(timeout.toSeconds()).append(" s (junit.jupiter.execution.timeout.default); it is running at:\n");
        for (StackTraceElement e : runner.getStackTrace()) {
            b.append("\tat ").append(e).append('\n');
        }
        b.append("jqwik cannot abandon a running property: halting the test JVM so that the build fails.");
        JvmHalt.halt(b.toString(), HALT_STATUS);
    }

    /** The configured timeout, or null if timeouts are disabled or none is configured. */
    static Duration timeout() {
        Properties file = new Properties();
        try (InputStream in = PropertyTimeout.class.getClassLoader().getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("PropertyTimeout: cannot read junit-platform.properties", e);
        }
        String mode = System.getProperty("junit.jupiter.execution.timeout.mode",
                file.getProperty("junit.jupiter.execution.timeout.mode", "enabled"));
        String value = System.getProperty("junit.jupiter.execution.timeout.default",
                file.getProperty("junit.jupiter.execution.timeout.default"));
        if (mode.trim().equals("disabled") || value == null) {
            return null;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IllegalStateException("PropertyTimeout: cannot read the timeout \"" + value + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofSeconds(n);
        }
    }
}
