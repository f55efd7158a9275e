import dev.ephemera.scheme.Scheme;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times hashtable-heavy.scm's workload inside one JVM, so that start-up and compilation are not in
 * the figure: loads the file (which runs the workload once and checks its answer), runs it
 * WARMUP more times untimed, then RUNS times timed, and prints the median and the range of the
 * interpreter thread's CPU time, and the median wall time. On a shared, loaded machine the
 * thread's CPU time is the steadier figure: it leaves out the time spent waiting for a core,
 * and the JIT and GC threads. Uses only Scheme.create and Scheme.eval, so it runs against any
 * version's jar:
 *
 *   java -XX:+UseParallelGC -cp cli/target/ephemera-cli.jar scheme/examples/HashtableHeavy.java [RUNS]
 */
public final class HashtableHeavy {
    private static final int WARMUP = 2;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String program = Files.readString(Path.of("scheme/examples/hashtable-heavy.scm"));
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Scheme s = Scheme.create()) {
            s.setOutput(new PrintWriter(new StringWriter()));
            s.eval(program, "hashtable-heavy.scm");
            for (int i = 0; i < WARMUP; i++) {
                s.eval("(run-all)", "bench");
            }
            for (int i = 0; i < runs; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                s.eval("(run-all)", "bench");
                wall[i] = (System.nanoTime() - t0) / 1e9;
                cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            }
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf("cpu median %.3f s  min %.3f s  max %.3f s  wall median %.3f s  (%d runs)%n",
                cpu[runs / 2], cpu[0], cpu[runs - 1], wall[runs / 2], runs);
    }
}
