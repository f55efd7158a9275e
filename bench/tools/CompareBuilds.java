import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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

    public static void main(String[] args) throws Exception {
        boolean chain = args.length > 0 && args[0].equals("ephemeron-chain");
        int first = chain ? 4 : 3;
        if (args.length < first + 2) {
            System.err.println("usage: java bench/tools/CompareBuilds.java CASE SIZE [ORDER] ROUNDS NAME=JAR NAME=JAR ...");
            System.exit(2);
        }
        String bench = args[0];
        int size = Integer.parseInt(args[1]);
        String order = chain ? args[2] : null;
        int rounds = Integer.parseInt(args[first - 1]);
        int builds = args.length - first;
        String[] names = new String[builds];
        Run[] runs = new Run[builds];
        for (int b = 0; b < builds; b++) {
            String[] nameJar = args[first + b].split("=", 2);
            if (nameJar.length != 2 || !Files.isRegularFile(Path.of(nameJar[1]))) {
                throw new IllegalArgumentException("CompareBuilds: expected NAME=JAR with an existing jar, got " + args[first + b]);
            }
            names[b] = nameJar[0];
            runs[b] = run(loaderOf(Path.of(nameJar[1])), bench, size, order);
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
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (int b = 0; b < builds; b++) {
                    line.append(String.format(" %s %.3f s", names[b], seconds[b][round]));
                }
                for (int b = 1; b < builds; b++) {
                    line.append(String.format("  %s/%s %.2f", names[b], names[0], seconds[b][round] / seconds[0][round]));
                }
                System.out.println(line);
            }
            StringBuilder line = new StringBuilder("median:");
            for (int b = 0; b < builds; b++) {
                line.append(String.format(" %s %.3f s", names[b], median(seconds[b])));
            }
            for (int b = 1; b < builds; b++) {
                double[] ratios = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    ratios[round] = seconds[b][round] / seconds[0][round];
                }
                line.append(String.format("  %s/%s %.2f", names[b], names[0], median(ratios)));
            }
            System.out.println(line);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("CompareBuilds: the benchmark failed in a build", e.getCause());
        }
    }

    private static ClassLoader loaderOf(Path jar) throws MalformedURLException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }
}
