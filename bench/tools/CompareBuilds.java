import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares builds of ephemera in one JVM: each build's CLI jar in its own class loader (so each
 * has its own classes, statics and JIT-compiled code), one benchmark run alternately in each,
 * round after round, with a full JVM collection before every run so that no build pays for the
 * garbage of the one before. Prints each round's seconds and ratios to the first build, then the
 * medians.
 *
 * <p>Why: on a shared machine two processes run minutes apart can differ by 30 % for the same
 * build; two builds in one process, alternating, see the same machine. Process-level effects
 * (the JVM's heap growth, its page faults) are shared here, so this measures the code, not the
 * launcher; {@code ./ephemera bench} measures the product.
 *
 * <pre>
 * java bench/tools/CompareBuilds.java CASE SIZE [ORDER] ROUNDS NAME=JAR NAME=JAR ...
 *   CASE:  binary-trees SIZE=depth | memo-table SIZE=n | hashcons SIZE=n | finalise SIZE=n
 *          | ephemeron-chain SIZE=n ORDER=fwd|rev|random
 * e.g. (a build of another commit: git worktree add /tmp/old COMMIT, then
 *       ./mvnw -B -q package -DskipTests -pl cli -am in it)
 *   java -XX:+UseParallelGC -Xmn4m bench/tools/CompareBuilds.java ephemeron-chain 10000000 fwd 5 \
 *       old=/tmp/old/cli/target/ephemera-cli.jar new=cli/target/ephemera-cli.jar
 * </pre>
 *
 * <p>With {@code --processes PAIRS} first, each build runs in JVMs of its own instead, one after
 * the other, the order alternating, PAIRS times: each JVM (started with this JVM's options) makes
 * two unmeasured runs and ROUNDS measured ones, and counts the median of the second half of them
 * (the JIT settled). Why: where the JIT's decisions differ from one JVM to the next (hashcons
 * runs at two speeds a tenth apart, whichever build; the reversed ephemeron chain's marker is
 * inlined into its loop in some JVMs and not in others), one JVM per build per pair samples
 * those decisions, where one JVM for all of them sees one draw.
 * <pre>
 *   java -XX:+UseParallelGC -Xmn4m bench/tools/CompareBuilds.java --processes 6 hashcons 1000000 25 \
 *       old=/tmp/old/cli/target/ephemera-cli.jar new=cli/target/ephemera-cli.jar
 * </pre>
 *
 * Each run is one call of the benchmark's single-run method ({@code BinaryTrees.ephemera(depth)},
 * {@code MemoTable.ephemera(n, false)}, {@code Hashcons.ephemera(n)}, {@code Finalise.once(n)},
 * {@code EphemeronChain.once(n, order, false)}), its {@code seconds} as it reports them; two
 * unmeasured runs per build first.
 */
public final class CompareBuilds {
    private CompareBuilds() {}

    /** One measured run: the benchmark's own seconds. */
    private interface Run {
        double seconds() throws ReflectiveOperationException;
    }

    private static Run run(ClassLoader loader, String bench, int size, String order) throws ReflectiveOperationException {
        switch (bench) {
            case "binary-trees":
                return call(loader, "BinaryTrees", "ephemera", new Class<?>[] {int.class}, size);
            case "memo-table":
                return call(loader, "MemoTable", "ephemera", new Class<?>[] {int.class, boolean.class}, size, false);
            case "hashcons":
                return call(loader, "Hashcons", "ephemera", new Class<?>[] {int.class}, size);
            case "finalise":
                return call(loader, "Finalise", "once", new Class<?>[] {int.class}, size);
            case "ephemeron-chain":
                return call(loader, "EphemeronChain", "once", new Class<?>[] {int.class, String.class, boolean.class},
                        size, order, false);
            default:
                throw new IllegalArgumentException("CompareBuilds: unknown benchmark " + bench
                        + " (binary-trees, memo-table, hashcons, finalise, ephemeron-chain)");
        }
    }

    private static Run call(ClassLoader loader, String cls, String method, Class<?>[] types, Object... args)
            throws ReflectiveOperationException {
        Method m = loader.loadClass("dev.ephemera.bench." + cls).getMethod(method, types);
        return () -> {
            Object result = m.invoke(null, args);
            return (double) result.getClass().getMethod("seconds").invoke(result);
        };
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** What to compare: the benchmark, its size and order, the rounds and the builds. */
    private record Spec(String bench, int size, String order, int rounds, String[] names, Path[] jars) {
        /** Parses {@code CASE SIZE [ORDER] ROUNDS NAME=JAR...} (at least {@code minBuilds} of them) from {@code args[from]} on. */
        static Spec parse(String[] args, int from, int minBuilds) {
            boolean chain = args.length > from && args[from].equals("ephemeron-chain");
            int first = from + (chain ? 4 : 3);
            if (args.length < first + minBuilds) {
                System.err.println("usage: java bench/tools/CompareBuilds.java [--processes PAIRS] CASE SIZE [ORDER] ROUNDS NAME=JAR NAME=JAR ...");
                System.exit(2);
            }
            int builds = args.length - first;
            String[] names = new String[builds];
            Path[] jars = new Path[builds];
            for (int b = 0; b < builds; b++) {
                String[] nameJar = args[first + b].split("=", 2);
                if (nameJar.length != 2 || !Files.isRegularFile(Path.of(nameJar[1]))) {
                    throw new IllegalArgumentException("CompareBuilds: expected NAME=JAR with an existing jar, got " + args[first + b]);
                }
                names[b] = nameJar[0];
                jars[b] = Path.of(nameJar[1]);
            }
            return new Spec(args[from], Integer.parseInt(args[from + 1]), chain ? args[from + 2] : null,
                    Integer.parseInt(args[first - 1]), names, jars);
        }

        /** The arguments that give this spec for build {@code b} alone. */
        List<String> argsFor(int b) {
            List<String> a = new ArrayList<>(List.of(bench, Integer.toString(size)));
            if (order != null) {
                a.add(order);
            }
            a.add(Integer.toString(rounds));
            a.add(names[b] + "=" + jars[b]);
            return a;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("--processes")) {
            processes(Integer.parseInt(args[1]), Spec.parse(args, 2, 2));
            return;
        }
        if (args.length > 0 && args[0].equals("--one-jvm")) {
            oneJvm(Spec.parse(args, 1, 1));
            return;
        }
        Spec spec = Spec.parse(args, 0, 2);
        int rounds = spec.rounds();
        int builds = spec.names().length;
        String[] names = spec.names();
        Run[] runs = new Run[builds];
        for (int b = 0; b < builds; b++) {
            runs[b] = run(loaderOf(spec.jars()[b]), spec.bench(), spec.size(), spec.order());
        }
        try {
            for (Run r : runs) {
                r.seconds();
                r.seconds();
            }
            double[][] seconds = new double[builds][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < builds; k++) {
                    int b = round % 2 == 0 ? k : builds - 1 - k; // alternate the order: no build always goes first
                    System.gc();
                    seconds[b][round] = runs[b].seconds();
                }
                printRow("round " + (round + 1) + ":", names, column(seconds, round));
            }
            printSummary(names, seconds);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("CompareBuilds: the benchmark failed in a build", e.getCause());
        }
    }

    /** The child of {@code --processes}: one build, two unmeasured runs, then a line of every round's seconds. */
    private static void oneJvm(Spec spec) throws Exception {
        Run run = run(loaderOf(spec.jars()[0]), spec.bench(), spec.size(), spec.order());
        try {
            run.seconds();
            run.seconds();
            StringBuilder line = new StringBuilder("rounds:");
            for (int round = 0; round < spec.rounds(); round++) {
                System.gc();
                line.append(' ').append(run.seconds());
            }
            System.out.println(line);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("CompareBuilds: the benchmark failed", e.getCause());
        }
    }

    /** {@code --processes}: a JVM per build per pair, the builds' order alternating. */
    private static void processes(int pairs, Spec spec) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String self = System.getProperty("jdk.launcher.sourcefile");
        if (self == null) {
            throw new IllegalStateException("CompareBuilds --processes: run it as a source file (java bench/tools/CompareBuilds.java ...)");
        }
        List<String> options = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        options.remove("--add-modules=ALL-DEFAULT"); // the source launcher's own
        int builds = spec.names().length;
        double[][] seconds = new double[builds][pairs];
        for (int pair = 0; pair < pairs; pair++) {
            for (int k = 0; k < builds; k++) {
                int b = pair % 2 == 0 ? k : builds - 1 - k;
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(options);
                command.add(self);
                command.add("--one-jvm");
                command.addAll(spec.argsFor(b));
                seconds[b][pair] = steadyMedian(command);
            }
            printRow("pair " + (pair + 1) + ":", spec.names(), column(seconds, pair));
        }
        printSummary(spec.names(), seconds);
    }

    /** Runs one child JVM; the median of the second half of its rounds. */
    private static double steadyMedian(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String rounds = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("rounds:")) {
                    rounds = line.substring("rounds:".length()).trim();
                }
            }
        }
        if (p.waitFor() != 0 || rounds == null) {
            throw new IllegalStateException("CompareBuilds: " + String.join(" ", command) + " failed:\n" + output);
        }
        double[] all = Arrays.stream(rounds.split(" ")).mapToDouble(Double::parseDouble).toArray();
        return median(Arrays.copyOfRange(all, all.length / 2, all.length));
    }

    private static double[] column(double[][] seconds, int i) {
        double[] c = new double[seconds.length];
        for (int b = 0; b < seconds.length; b++) {
            c[b] = seconds[b][i];
        }
        return c;
    }

    /** A row: each build's seconds, then each one's ratio to the first. */
    private static void printRow(String label, String[] names, double[] seconds) {
        StringBuilder line = new StringBuilder(label);
        for (int b = 0; b < names.length; b++) {
            line.append(String.format(" %s %.3f s", names[b], seconds[b]));
        }
        for (int b = 1; b < names.length; b++) {
            line.append(String.format("  %s/%s %.2f", names[b], names[0], seconds[b] / seconds[0]));
        }
        System.out.println(line);
    }

    /** The medians of each build's seconds, and of its per-row ratios to the first build. */
    private static void printSummary(String[] names, double[][] seconds) {
        StringBuilder line = new StringBuilder("median:");
        for (int b = 0; b < names.length; b++) {
            line.append(String.format(" %s %.3f s", names[b], median(seconds[b])));
        }
        for (int b = 1; b < names.length; b++) {
            double[] ratios = new double[seconds[b].length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = seconds[b][i] / seconds[0][i];
            }
            line.append(String.format("  %s/%s %.2f", names[b], names[0], median(ratios)));
        }
        System.out.println(line);
    }

    private static ClassLoader loaderOf(Path jar) throws MalformedURLException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
