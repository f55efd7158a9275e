import dev.ephemera.GcListener;
import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import java.util.Arrays;

/**
 * Times the promotion of a young list: the roots and closure phases of a minor collection that
 * copies a list of CELLS two-field cells, built just before it, into the major heap — what the phase's
 * first minor collection does in {@code bench pauses}, where the build leaves the list's last
 * 68,000 cells in the nursery. Each of HEAPS fresh heaps runs REPS such collections, keeping
 * every list (so each promotion goes to fresh pages, as there); the median of the second half of
 * a heap's collections is its figure, in nanoseconds per cell.
 *
 * <p>Why several heaps: on a virtual machine the same code promotes at one speed or at about
 * twice that from one heap to the next, in the same JVM (where the memory falls); a build is
 * compared by the spread over heaps and JVMs, the builds interleaved.
 *
 * <pre>
 * java -XX:+UseParallelGC -Xmn4m -cp cli/target/ephemera-cli.jar bench/tools/PromotionProbe.java \
 *     [CELLS [REPS [HEAPS]]]        (default 68000 150 6)
 * </pre>
 */
public final class PromotionProbe {
    private PromotionProbe() {
    }

    public static void main(String[] args) {
        int cells = args.length > 0 ? Integer.parseInt(args[0]) : 68_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int heaps = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        double[] perHeap = new double[heaps];
        for (int h = 0; h < heaps; h++) {
            perHeap[h] = nanosPerCell(cells, reps);
            System.out.printf("heap %d: %.2f ns per cell%n", h, perHeap[h]);
        }
        Arrays.sort(perHeap);
        System.out.printf("over %d heaps: min %.2f, median %.2f, max %.2f ns per cell%n", heaps, perHeap[0],
                perHeap[heaps / 2], perHeap[heaps - 1]);
    }

    /**
     * The median promotion time per cell (the roots and closure phases) of the second half of
     * {@code reps} promotions in a fresh heap.
     */
    private static double nanosPerCell(int cells, int reps) {
        long[] closure = new long[reps];
        long[] last = new long[1];
        try (Heap heap = Heap.create(HeapConfig.defaults().verifyEveryCollection(false));
             RootArea roots = heap.newRootArea(1, Rank.STRONG)) {
            roots.setUsed(1);
            roots.slots()[0] = heap.allocArray(reps, Value.UNIT);
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent e) {
                    // the list's slot is remembered: since the remembered set's walk promotes
                    // whole chains, the list is copied in the roots phase, no longer in the
                    // closure; both count (figures before that change timed the closure alone,
                    // the roots phase then a few tens of microseconds)
                    Long r = e.phaseNanos.get(Phase.MINOR_ROOTS);
                    Long c = e.phaseNanos.get(Phase.MINOR_CLOSURE);
                    last[0] = (r == null ? 0 : r) + (c == null ? 0 : c);
                }
            });
            for (int r = 0; r < reps; r++) {
                heap.gc().minor(); // an empty nursery: the list is all of it
                long list = Value.UNIT;
                for (int i = 0; i < cells; i++) {
                    list = heap.alloc(0, Value.ofInt(i), list);
                }
                heap.setField(roots.slots()[0], r, list);
                heap.gc().minor();
                closure[r] = last[0];
            }
        }
        long[] settled = Arrays.copyOfRange(closure, reps / 2, reps);
        Arrays.sort(settled);
        return settled[settled.length / 2] / (double) cells;
    }
}
