package dev.ephemera.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForkWatchdogTest {
    @Test
    void theLimitIsSecondsAndZeroOrNothingMeansNone() {
        assertThat(ForkWatchdog.limitSeconds("570")).isEqualTo(570);
        assertThat(ForkWatchdog.limitSeconds(" 12 ")).isEqualTo(12);
        assertThat(ForkWatchdog.limitSeconds("0")).isZero();
        assertThat(ForkWatchdog.limitSeconds(null)).isZero();
        assertThat(ForkWatchdog.limitSeconds("")).isZero();
    }

    @Test
    void aLimitThatIsNotSecondsIsRefusedByName() {
        assertThatThrownBy(() -> ForkWatchdog.limitSeconds("ten"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ForkWatchdog.PROPERTY).hasMessageContaining("ten");
        assertThatThrownBy(() -> ForkWatchdog.limitSeconds("-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ForkWatchdog.PROPERTY).hasMessageContaining("-1");
    }

    @Test
    void atTheLimitItReportsEveryThreadIncludingTheOneThatLoops() throws Exception {
        Thread looper = new Thread(ForkWatchdogTest::loopUntilInterrupted, "a-looping-test");
        looper.setDaemon(true);
        looper.start();
        try {
            CompletableFuture<String> report = new CompletableFuture<>();
            long t0 = System.nanoTime();
            ForkWatchdog.start(Duration.ofMillis(300), report::complete);
            String text = report.get(60, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            assertThat(text).contains("fork watchdog").contains(ForkWatchdog.PROPERTY)
                    .contains("\"a-looping-test\"").contains("loopUntilInterrupted");
        } finally {
            looper.interrupt();
        }
    }

    /** The whole mechanism in a JVM of its own: a test loops, the watchdog halts the JVM. */
    @Test
    void aJvmWhoseTestLoopsIsHaltedAtTheLimit() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classPath,
                "-D" + ForkWatchdog.PROPERTY + "=1", LoopingFork.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isEqualTo(ForkWatchdog.HALT_STATUS);
            assertThat(output).contains("fork watchdog").contains("LoopingFork.main");
        } finally {
            child.destroyForcibly();
        }
    }

    private static void loopUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            Thread.onSpinWait();
        }
    }

    /** A test JVM whose test never ends: opens a session as the JUnit Platform would, then loops. */
    static final class LoopingFork {
        static volatile long sink;

        public static void main(String[] args) {
            new ForkWatchdog().launcherSessionOpened(null);
            while (true) {
                sink++;
            }
        }
    }
}
