package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.HeapClosedException;
import dev.ephemera.HeapConfig;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.StalePointerException;
import dev.ephemera.WrongThreadException;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A table operation's errors name the table operation, never the heap
 * operation it called inside ("Heap.tag", "Heap.allocForeign", "RootArea.push"): on a closed
 * heap, from another thread, given a stale or forged table or key (checked mode), and when the
 * heap is exhausted in the middle of it.
 */
@ExtendWith(TableValidation.class)
class TableOperationErrorsTest {
    /** The modules and one table of each kind, made on one heap. */
    static final class Tables {
        final Heap heap;
        final K1Table k1;
        final K2Table k2;
        final KnTable kn;
        final WeakHashSet set;
        final Hashtables ht;
        final GlobalRoot k1t;
        final GlobalRoot k2t;
        final GlobalRoot knt;
        final GlobalRoot sett;
        final GlobalRoot htt;
        final GlobalRoot key;

        Tables(Heap heap) {
            this.heap = heap;
            k1 = K1Table.make(heap, HashedTypes.equal());
            k2 = K2Table.make(heap, HashedTypes.eq(), HashedTypes.equal());
            kn = KnTable.make(heap, HashedTypes.equal());
            set = WeakHashSet.make(heap, HashedTypes.equal());
            ht = Hashtables.of(heap);
            k1t = heap.newGlobalRoot(k1.create(16));
            k2t = heap.newGlobalRoot(k2.create(16));
            knt = heap.newGlobalRoot(kn.create(16));
            sett = heap.newGlobalRoot(set.create(16));
            htt = heap.newGlobalRoot(ht.makeEqual(Weakness.EPHEMERAL_KEY, 16));
            key = heap.newGlobalRoot(heap.allocString("key"));
            k1.replace(k1t.get(), key.get(), Value.ofInt(1));
            set.add(sett.get(), key.get());
            ht.set(htt.get(), key.get(), Value.ofInt(1));
        }
    }

    /** Which table an operation takes. */
    enum Kind { K1, K2, KN, SET, HT, NONE }

    /** An operation: its name, the table it takes, and a call with a table and a key. */
    record Op(String name, Kind kind, boolean takesKey, Call call) {}

    @FunctionalInterface
    interface Call {
        Object run(Tables x, long t, long k) throws Exception;
    }

    static List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("Ephemeron.K1.create", Kind.NONE, false, (x, t, k) -> x.k1.create(16)));
        ops.add(new Op("Ephemeron.K1.add", Kind.K1, true, (x, t, k) -> {
            x.k1.add(t, k, Value.ofInt(2));
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.replace", Kind.K1, true, (x, t, k) -> {
            x.k1.replace(t, k, Value.ofInt(2));
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.remove", Kind.K1, true, (x, t, k) -> {
            x.k1.remove(t, k);
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.find_opt", Kind.K1, true, (x, t, k) -> x.k1.findOpt(t, k)));
        ops.add(new Op("Ephemeron.K1.find_all", Kind.K1, true, (x, t, k) -> x.k1.findAll(t, k)));
        ops.add(new Op("Ephemeron.K1.mem", Kind.K1, true, (x, t, k) -> x.k1.mem(t, k)));
        ops.add(new Op("Ephemeron.K1.clear", Kind.K1, false, (x, t, k) -> {
            x.k1.clear(t);
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.reset", Kind.K1, false, (x, t, k) -> {
            x.k1.reset(t);
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.copy", Kind.K1, false, (x, t, k) -> x.k1.copy(t)));
        ops.add(new Op("Ephemeron.K1.length", Kind.K1, false, (x, t, k) -> x.k1.length(t)));
        ops.add(new Op("Ephemeron.K1.live_length", Kind.K1, false, (x, t, k) -> x.k1.liveLength(t)));
        ops.add(new Op("Ephemeron.K1.stats", Kind.K1, false, (x, t, k) -> x.k1.stats(t)));
        ops.add(new Op("Ephemeron.K1.stats_alive", Kind.K1, false, (x, t, k) -> x.k1.statsAlive(t)));
        ops.add(new Op("Ephemeron.K1.clean", Kind.K1, false, (x, t, k) -> {
            x.k1.clean(t);
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.iter", Kind.K1, false, (x, t, k) -> {
            x.k1.iter(t, (kk, d) -> { });
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.fold", Kind.K1, false, (x, t, k) -> x.k1.fold(t, (kk, d, a) -> a, 0)));
        ops.add(new Op("Ephemeron.K1.filter_map_inplace", Kind.K1, false, (x, t, k) -> {
            x.k1.filterMapInplace(t, (kk, d) -> d);
            return null;
        }));
        ops.add(new Op("Ephemeron.K1.to_seq", Kind.K1, false, (x, t, k) -> x.k1.toSeq(t)));
        ops.add(new Op("Ephemeron.K2.create", Kind.NONE, false, (x, t, k) -> x.k2.create(16)));
        ops.add(new Op("Ephemeron.K2.replace", Kind.K2, true, (x, t, k) -> {
            x.k2.replace(t, k, k, Value.ofInt(2));
            return null;
        }));
        ops.add(new Op("Ephemeron.K2.find_opt", Kind.K2, true, (x, t, k) -> x.k2.findOpt(t, k, k)));
        ops.add(new Op("Ephemeron.K2.remove", Kind.K2, true, (x, t, k) -> {
            x.k2.remove(t, k, k);
            return null;
        }));
        ops.add(new Op("Ephemeron.Kn.add", Kind.KN, true, (x, t, k) -> {
            x.kn.add(t, new long[] {k, Value.ofInt(1)}, Value.ofInt(2));
            return null;
        }));
        ops.add(new Op("Ephemeron.Kn.mem", Kind.KN, true, (x, t, k) -> x.kn.mem(t, new long[] {k})));
        ops.add(new Op("Ephemeron.Kn.find_all", Kind.KN, true, (x, t, k) -> x.kn.findAll(t, new long[] {k})));
        ops.add(new Op("Weak.Make.create", Kind.NONE, false, (x, t, k) -> x.set.create(16)));
        ops.add(new Op("Weak.Make.merge", Kind.SET, true, (x, t, k) -> x.set.merge(t, k)));
        ops.add(new Op("Weak.Make.add", Kind.SET, true, (x, t, k) -> {
            x.set.add(t, k);
            return null;
        }));
        ops.add(new Op("Weak.Make.remove", Kind.SET, true, (x, t, k) -> {
            x.set.remove(t, k);
            return null;
        }));
        ops.add(new Op("Weak.Make.find_opt", Kind.SET, true, (x, t, k) -> x.set.findOpt(t, k)));
        ops.add(new Op("Weak.Make.find_all", Kind.SET, true, (x, t, k) -> x.set.findAll(t, k)));
        ops.add(new Op("Weak.Make.mem", Kind.SET, true, (x, t, k) -> x.set.mem(t, k)));
        ops.add(new Op("Weak.Make.clear", Kind.SET, false, (x, t, k) -> {
            x.set.clear(t);
            return null;
        }));
        ops.add(new Op("Weak.Make.count", Kind.SET, false, (x, t, k) -> x.set.count(t)));
        ops.add(new Op("Weak.Make.stats", Kind.SET, false, (x, t, k) -> x.set.stats(t)));
        ops.add(new Op("Weak.Make.iter", Kind.SET, false, (x, t, k) -> {
            x.set.iter(t, e -> { });
            return null;
        }));
        ops.add(new Op("Hashtables.make", Kind.NONE, false, (x, t, k) -> x.ht.makeEq(Weakness.WEAK_KEY, 16)));
        ops.add(new Op("Hashtables.ref", Kind.HT, true, (x, t, k) -> x.ht.ref(t, k, Value.ofInt(0))));
        ops.add(new Op("Hashtables.set", Kind.HT, true, (x, t, k) -> {
            x.ht.set(t, k, Value.ofInt(3));
            return null;
        }));
        ops.add(new Op("Hashtables.delete", Kind.HT, true, (x, t, k) -> {
            x.ht.delete(t, k);
            return null;
        }));
        ops.add(new Op("Hashtables.contains", Kind.HT, true, (x, t, k) -> x.ht.contains(t, k)));
        ops.add(new Op("Hashtables.update", Kind.HT, true, (x, t, k) -> x.ht.update(t, k, v -> v, Value.ofInt(0))));
        ops.add(new Op("Hashtables.intern", Kind.HT, true, (x, t, k) -> x.ht.intern(t, k, () -> Value.ofInt(4))));
        ops.add(new Op("Hashtables.size", Kind.HT, false, (x, t, k) -> x.ht.size(t)));
        ops.add(new Op("Hashtables.keys", Kind.HT, false, (x, t, k) -> x.ht.keys(t, 0)));
        ops.add(new Op("Hashtables.to_alist", Kind.HT, false, (x, t, k) -> x.ht.toAlist(t, 0, Value.NONE)));
        ops.add(new Op("Hashtables.clear", Kind.HT, false, (x, t, k) -> {
            x.ht.clear(t);
            return null;
        }));
        ops.add(new Op("Hashtables.copy", Kind.HT, false, (x, t, k) -> x.ht.copy(t, true)));
        ops.add(new Op("Hashtables.walk", Kind.HT, false, (x, t, k) -> {
            x.ht.forEach(t, (kk, d) -> { });
            return null;
        }));
        ops.add(new Op("Hashtables.info", Kind.HT, false, (x, t, k) -> x.ht.weakness(t)));
        return ops;
    }

    private static long tableOf(Tables x, Kind kind) {
        switch (kind) {
            case K1: return x.k1t.get();
            case K2: return x.k2t.get();
            case KN: return x.knt.get();
            case SET: return x.sett.get();
            case HT: return x.htt.get();
            default: return Value.NONE;
        }
    }

    private static Throwable thrownBy(Op op, Tables x, long t, long k) {
        try {
            op.call().run(x, t, k);
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** Null if {@code thrown} is an {@code expected} naming the operation; else what is wrong. */
    private static String judge(Op op, String what, Class<? extends Throwable> expected, Throwable thrown) {
        if (thrown == null) {
            return op.name() + " " + what + ": returned normally";
        }
        if (!expected.isInstance(thrown)) {
            return op.name() + " " + what + ": expected " + expected.getSimpleName() + ", threw " + thrown;
        }
        if (!String.valueOf(thrown.getMessage()).startsWith(op.name() + ":")) {
            return op.name() + " " + what + ": the message names another operation: " + thrown.getMessage();
        }
        return null;
    }

    @Test
    void onAClosedHeapAndFromAnotherThreadEveryTableOperationNamesItself() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Op op : operations()) {
            Heap heap = TableHeaps.small();
            Tables x = new Tables(heap);
            long t = tableOf(x, op.kind());
            long k = x.key.get();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = new Thread(() -> thrown.set(thrownBy(op, x, t, k)), "intruder");
            other.start();
            other.join();
            problems.add(judge(op, "from another thread", WrongThreadException.class, thrown.get()));
            heap.close();
            problems.add(judge(op, "on a closed heap", HeapClosedException.class, thrownBy(op, x, t, k)));
        }
        problems.removeIf(p -> p == null);
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void givenAStaleOrForgedTableOrKeyEveryTableOperationNamesItself() {
        List<String> problems = new ArrayList<>();
        for (Op op : operations()) {
            if (op.kind() == Kind.NONE) {
                continue;
            }
            Heap heap = TableHeaps.small();
            Tables x = new Tables(heap);
            // a freed table of the same kind, and a freed key
            long staleTable;
            long staleKey;
            try (GlobalRoot dead = heap.newGlobalRoot(Value.NONE); GlobalRoot deadKey = heap.newGlobalRoot(Value.NONE)) {
                dead.set(switch (op.kind()) {
                    case K1 -> x.k1.create(16);
                    case K2 -> x.k2.create(16);
                    case KN -> x.kn.create(16);
                    case SET -> x.set.create(16);
                    default -> x.ht.makeEqual(Weakness.EPHEMERAL_KEY, 16);
                });
                deadKey.set(heap.allocString("dead"));
                heap.gc().minor();                   // old: they will not move, only die
                staleTable = dead.get();
                staleKey = deadKey.get();
                dead.set(Value.NONE);
                deadKey.set(Value.NONE);
                heap.gc().fullMajor();
            }
            long t = tableOf(x, op.kind());
            long k = x.key.get();
            problems.add(judge(op, "given a freed table", StalePointerException.class, thrownBy(op, x, staleTable, k)));
            t = tableOf(x, op.kind());
            k = x.key.get();
            problems.add(judge(op, "given a forged table", StalePointerException.class,
                    thrownBy(op, x, Value.ofAddress(Value.addressOf(t) + 2), k)));
            if (op.takesKey()) {
                t = tableOf(x, op.kind());
                problems.add(judge(op, "given a freed key", StalePointerException.class, thrownBy(op, x, t, staleKey)));
            }
            heap.verify();
        }
        problems.removeIf(p -> p == null);
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    @Test
    void exhaustionInTheMiddleOfATableOperationNamesIt() {
        List<String> problems = new ArrayList<>();
        for (Op op : operations()) {
            if (!List.of("Ephemeron.K1.create", "Ephemeron.K1.replace", "Ephemeron.K1.add", "Ephemeron.K1.copy",
                    "Ephemeron.K2.replace", "Ephemeron.Kn.add", "Weak.Make.create", "Weak.Make.merge", "Weak.Make.add",
                    "Hashtables.make", "Hashtables.set", "Hashtables.intern", "Hashtables.copy", "Hashtables.keys",
                    "Hashtables.to_alist").contains(op.name())) {
                continue;
            }
            Heap heap = TableHeaps.create(HeapConfig.defaults().minorHeapWords(1024).maxHeapWords(64 * 1024)
                    .verifyEveryCollection(true));
            Tables x = new Tables(heap);
            Throwable thrown = null;
            // immediate keys, and results kept in a root area: nothing allocates outside the operation
            try (dev.ephemera.RootArea keep = heap.newRootArea(1024, dev.ephemera.Rank.STRONG)) {
                for (int i = 0; i < 10_000_000 && thrown == null; i++) {
                    try {
                        Object r = op.call().run(x, tableOf(x, op.kind()), Value.ofInt(i));
                        if (r instanceof Long && Value.isBlock((Long) r)) {
                            keep.push((Long) r);
                        }
                    } catch (Throwable e) {
                        thrown = e;
                    }
                }
            }
            problems.add(judge(op, "at exhaustion", HeapExhaustedException.class, thrown));
            heap.gc().fullMajor();
            heap.verify();
        }
        problems.removeIf(p -> p == null);
        problems.forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
    }

    /** What the tables of {@code x} hold, read through their operations (each looks at its table). */
    private static List<Object> digest(Tables x) {
        List<Object> d = new ArrayList<>();
        d.add(x.k1.liveLength(x.k1t.get()));
        d.add(x.k1.findOpt(x.k1t.get(), x.key.get()));
        d.add(x.k2.liveLength(x.k2t.get()));
        d.add(x.kn.liveLength(x.knt.get()));
        d.add(x.set.count(x.sett.get()));
        d.add(x.set.mem(x.sett.get(), x.key.get()));
        d.add(x.ht.size(x.htt.get()));
        d.add(x.ht.ref(x.htt.get(), x.key.get(), Value.NONE));
        return d;
    }

    /**
     * Forged pointers as the table or the key of every table operation (checked mode): random longs, pointers into the middle of the table or the key, at fake headers
     * written inside a string, at and past the ends of their chunks, beyond the nursery's
     * allocation pointer. Each must be refused with a StalePointerException naming the
     * operation, and leave every table as it was and the heap passing the verifier.
     */
    @Test
    void forgedTablesAndKeysAreRefusedByEveryTableOperation() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(0x7ab1e5);
        List<String> problems = new ArrayList<>();
        int cases = 0;
        for (Op op : operations()) {
            if (op.kind() == Kind.NONE) {
                continue;
            }
            Heap heap = TableHeaps.small();
            Tables x = new Tables(heap);
            long s = heap.allocBytes(64 * 8 - 1);
            for (int w = 0; w < 62; w += 2) {
                heap.setRawField(s, w, dev.ephemera.object.layout.Header.make(1 + w % 5, w % 3 == 0 ? 0 : dev.ephemera.object.Tag.STRING));
            }
            GlobalRoot fakes = heap.newGlobalRoot(s);
            for (int n = 0; n < 50; n++) {
                boolean asKey = op.takesKey() && rnd.nextBoolean();
                List<Object> before = digest(x);
                long t = tableOf(x, op.kind());
                long k = x.key.get();
                long forged = forge(heap, rnd, asKey ? k : t, fakes.get());
                if (dev.ephemera.TestAccess.isBlockStart(heap, forged)) {
                    continue;
                }
                cases++;
                Throwable thrown = thrownBy(op, x, asKey ? t : forged, asKey ? forged : k);
                String what = (asKey ? "given a forged key " : "given a forged table ") + Value.describe(forged);
                problems.add(judge(op, what, StalePointerException.class, thrown));
                if (!digest(x).equals(before)) {
                    problems.add(op.name() + " " + what + ": the tables changed");
                }
                heap.verify();
            }
        }
        problems.removeIf(p -> p == null);
        System.out.println("forged pointers to table operations: " + cases + " cases, " + problems.size() + " problems");
        problems.stream().limit(30).forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
        assertThat(cases).isGreaterThan(1500);
    }

    private static long forge(Heap heap, java.util.SplittableRandom rnd, long near, long fakes) {
        dev.ephemera.memory.Arena arena = dev.ephemera.TestAccess.arena(heap);
        switch (rnd.nextInt(6)) {
            case 0:
                return (rnd.nextLong() & ~1L) | 2L;
            case 1: {
                int i;
                do {
                    i = rnd.nextInt(-3, 12);
                } while (i == 0);
                return Value.ofAddress(Value.addressOf(near) + i);
            }
            case 2:
                return Value.ofAddress(Value.addressOf(fakes) + 2 * rnd.nextInt(31) + 1);
            case 3: {
                int index = Value.chunkIndexOf(near);
                int length = arena.chunk(index).length;
                int[] offsets = {0, length - 1, length, length + 1, -1};
                return Value.ofAddress(dev.ephemera.memory.Arena.address(index, offsets[rnd.nextInt(offsets.length)]));
            }
            case 4:
                return Value.ofAddress(dev.ephemera.TestAccess.nurseryTop(heap) + rnd.nextInt(1, 64));
            default:
                return Value.ofAddress(dev.ephemera.memory.Arena.address(rnd.nextInt(1, 300), rnd.nextInt(-2, 9000)));
        }
    }
}
