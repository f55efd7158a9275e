package dev.ephemera.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.StalePointerException;
import dev.ephemera.TestAccess;
import dev.ephemera.badinput.Catalogue.Bad;
import dev.ephemera.badinput.Catalogue.Call;
import dev.ephemera.badinput.Catalogue.Param;
import dev.ephemera.badinput.Fixture.Kind;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.Header;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forged pointers given to every public operation in checked mode: random
 * longs, pointers into the middle of blocks, to fake headers written inside strings, at and past
 * the ends of chunks, beyond the nursery's allocation pointer. Each operation of the
 * {@link Catalogue} gets them in each of its pointer parameters (the other arguments good), and
 * must refuse them with a {@link StalePointerException} (or its subclass
 * {@code ForgedPointerException}) naming itself — or return normally where the catalogue says a
 * pointer is only compared, never followed. After every case the heap must pass the verifier,
 * its canary list and every object of the fixture must be unchanged (no silent corruption), and
 * it must still allocate and collect. No raw JDK exception may escape.
 *
 * <p>{@code -Dephemera.forged.cases=N} (default 12,000) and {@code -Dephemera.forged.seed=S}.
 */
class ForgedPointerFuzzTest {
    private static final int CASES = Integer.getInteger("ephemera.forged.cases", 12_000);
    private static final long SEED = Long.getLong("ephemera.forged.seed", 0x70e6edL);

    /** Forging strategies, for the report. */
    enum Strategy { RANDOM_LONG, RANDOM_CHUNK_OFFSET, INTERIOR, FAKE_HEADER, CHUNK_END, BEYOND_NURSERY_TOP }

    /** Fake headers written into the fixture's material strings: word index → header. */
    private static final long[] FAKES = {Header.make(3, 0), Header.make(1, Tag.STRING), Header.make(Header.MAX_SIZE_WORDS, 0),
        Header.make(2, Tag.EPHEMERON), Header.make(0, 0), Header.make(1, Tag.CUSTOM), Header.make(4, Tag.DOUBLE_ARRAY)};

    /** The material forged pointers are made from, rooted in the fixture's heap. */
    private static final class Material implements AutoCloseable {
        final GlobalRoot smallString;
        final GlobalRoot largeString;
        final GlobalRoot youngString;

        Material(Heap heap) {
            smallString = heap.newGlobalRoot(fakeString(heap, 2 * FAKES.length + 1));
            largeString = heap.newGlobalRoot(fakeString(heap, 1200));
            heap.gc().minor();                   // both old now
            youngString = heap.newGlobalRoot(Value.NONE);
        }

        /** A fresh young string with fake headers (call before the good arguments are read). */
        void refreshYoung(Heap heap) {
            youngString.set(fakeString(heap, 2 * FAKES.length + 1));
        }

        @Override
        public void close() {
            smallString.close();
            largeString.close();
            youngString.close();
        }
    }

    /** A string of {@code words} words with a fake header at every other word. */
    private static long fakeString(Heap heap, int words) {
        long s = heap.allocBytes(words * 8 - 1);
        for (int k = 0; k + 1 < words; k += 2) {
            heap.setRawField(s, k, FAKES[(k / 2) % FAKES.length]);
        }
        return s;
    }

    /** The outcome counts. */
    private final Map<String, Integer> outcomes = new LinkedHashMap<>();
    private final Map<Strategy, Integer> byStrategy = new LinkedHashMap<>();

    private void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    @Test
    void forgedPointersAreRefusedByEveryOperationAndNeverCorruptTheHeap() {
        List<String> problems = new ArrayList<>();
        List<Call> calls = Catalogue.all();
        int pointerParams = 0;
        for (Call call : calls) {
            for (Param p : call.params) {
                pointerParams += p.kind != null ? 1 : 0;
            }
        }
        int perParam = Math.max(1, (CASES * 11 / 10 + pointerParams - 1) / pointerParams); // some forgeries are block starts by chance
        SplittableRandom rnd = new SplittableRandom(SEED);
        int cases = 0;
        long start = System.nanoTime();
        for (Call call : calls) {
            for (int i = 0; i < call.params.length; i++) {
                Param p = call.params[i];
                if (p.kind == null) {
                    continue;
                }
                Class<? extends Throwable> staleExpectation = call.expectations(i).get(Bad.STALE_FREED);
                Fixture fx = new Fixture();
                Material material = new Material(fx.heap);
                for (int n = 0; n < perParam; n++) {
                    String what = call.op + " " + Arrays.toString(call.params) + ", parameter " + i;
                    try {
                        material.refreshYoung(fx.heap);
                        Object[] args = BadInputTest.arguments(fx, call, -1, null, null);
                        Strategy strategy = Strategy.values()[rnd.nextInt(Strategy.values().length)];
                        long forged = forge(fx.heap, material, fx, strategy, rnd);
                        if (TestAccess.isBlockStart(fx.heap, forged)) {
                            count("a block start by chance (not a forged pointer; skipped)");
                            continue;
                        }
                        cases++;
                        byStrategy.merge(strategy, 1, Integer::sum);
                        args[i] = forged;
                        what += ", " + strategy + " " + Value.describe(forged);
                        String problem = runCase(fx, material, call, args, staleExpectation);
                        if (problem != null) {
                            problems.add(what + ": " + problem);
                        }
                    } catch (Throwable broken) {
                        // the heap broke outside the case itself (a corruption found later): count it, start afresh
                        count("silent corruption");
                        problems.add(what + ": the heap broke after an earlier case: " + broken);
                        fx = new Fixture();
                        material = new Material(fx.heap);
                    }
                }
                fx.close();
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("forged pointers: " + cases + " cases in " + ms + " ms (seed " + SEED + "), "
                + problems.size() + " problems; by strategy " + byStrategy + "; outcomes " + outcomes);
        problems.stream().limit(40).forEach(p -> System.out.println("  " + p));
        assertThat(problems).isEmpty();
        assertThat(cases).isGreaterThanOrEqualTo(Math.min(CASES, 10_000));
    }

    /** Runs one case; null if the heap did what it must. */
    private String runCase(Fixture fx, Material material, Call call, Object[] args,
                           Class<? extends Throwable> staleExpectation) {
        List<Long> before = digest(fx, material);
        Throwable thrown;
        try {
            call.invoker.call(fx.heap, args);
            thrown = null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            thrown = e.getCause();
        } catch (Throwable t) {
            thrown = t;
        }
        String problem = null;
        if (thrown == null) {
            if (staleExpectation != null) {
                count("silently accepted");
                problem = "returned normally: a forged pointer was accepted";
            } else {
                count("returned normally (the pointer is only compared)");
            }
        } else if (thrown instanceof StalePointerException) {
            String m = String.valueOf(thrown.getMessage());
            count(thrown.getClass().getSimpleName());
            if (!m.startsWith(call.op + ":")) {
                problem = "the message does not start with the operation's name: " + m;
            }
        } else if (!thrown.getClass().getName().startsWith("dev.ephemera.")) {
            count("raw JDK exception");
            problem = "raw JDK exception " + thrown;
        } else {
            count("other exception");
            problem = "expected StalePointerException, threw " + thrown;
        }
        if (thrown != null && !digest(fx, material).equals(before)) {
            count("silent corruption");
            problem = (problem == null ? "" : problem + "; ") + "refused, but the fixture's objects changed";
        }
        try {
            fx.checkConsistentAndUsable();
        } catch (Throwable t) {
            count("silent corruption");
            return (problem == null ? "" : problem + "; ") + "the heap is not consistent and usable afterwards: " + t;
        }
        return problem;
    }

    /** Every word of every object of the fixture and of the material, read through the API. */
    private static List<Long> digest(Fixture fx, Material material) {
        Heap heap = fx.heap;
        List<Long> words = new ArrayList<>();
        for (Kind k : Kind.values()) {
            contents(heap, fx.get(k), words);
        }
        contents(heap, material.smallString.get(), words);
        contents(heap, material.largeString.get(), words);
        return words;
    }

    private static void contents(Heap heap, long v, List<Long> out) {
        int tag = heap.tag(v);
        int size = heap.size(v);
        out.add((long) tag);
        out.add((long) size);
        for (int i = 0; i < size; i++) {
            if (tag == Tag.EPHEMERON) {
                int keys = heap.ephemerons().length(v);
                for (int k = 0; k < keys; k++) {
                    out.add(heap.ephemerons().getKey(v, k));
                }
                out.add(heap.ephemerons().getData(v));
                return;
            } else if (tag < Tag.NO_SCAN) {
                out.add(heap.field(v, i));
            } else {
                out.add(heap.rawField(v, i));
            }
        }
    }

    /** A pointer made by {@code strategy}; it may, rarely, be a block start by chance. */
    private static long forge(Heap heap, Material material, Fixture fx, Strategy strategy, SplittableRandom rnd) {
        Arena arena = TestAccess.arena(heap);
        switch (strategy) {
            case RANDOM_LONG:
                return nonNone(rnd.nextLong() & ~1L);
            case RANDOM_CHUNK_OFFSET: {
                int index = rnd.nextInt(0, 400);
                int offset = rnd.nextInt(-4, 70_000);
                return nonNone(Value.ofAddress(Arena.address(index, offset)));
            }
            case INTERIOR: {
                Kind k = Kind.values()[rnd.nextInt(Kind.values().length)];
                long v = fx.get(k);
                int size = heap.size(v);
                int i;
                do {
                    i = rnd.nextInt(-3, size + 3);
                } while (i == 0);
                return Value.ofAddress(Value.addressOf(v) + i);
            }
            case FAKE_HEADER: {
                GlobalRoot[] strings = {material.smallString, material.largeString, material.youngString};
                long s = strings[rnd.nextInt(strings.length)].get();
                int fakes = (heap.size(s) - 1) / 2;
                int k = 2 * rnd.nextInt(fakes);
                return Value.ofAddress(Value.addressOf(s) + k + 1); // its "field 0" follows the fake header
            }
            case CHUNK_END: {
                List<Integer> mapped = new ArrayList<>();
                for (int index = 1; index < 4096; index++) {
                    if (arena.chunk(index) != null) {
                        mapped.add(index);
                    }
                }
                int index = mapped.get(rnd.nextInt(mapped.size()));
                int length = arena.chunk(index).length;
                int[] offsets = {0, 1, 2, length - 2, length - 1, length, length + 1, Integer.MAX_VALUE, -1, -2};
                return Value.ofAddress(Arena.address(index, offsets[rnd.nextInt(offsets.length)]));
            }
            default: { // beyond the nursery's allocation pointer
                return Value.ofAddress(TestAccess.nurseryTop(heap) + rnd.nextInt(1, 64));
            }
        }
    }

    private static long nonNone(long v) {
        return v == Value.NONE ? 2L : v;
    }
}
