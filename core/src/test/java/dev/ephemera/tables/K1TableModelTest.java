package dev.ephemera.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.GcStat;
import dev.ephemera.GlobalRoot;
import dev.ephemera.Heap;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random programs against a reference model: a K1 table keyed by {@code {id}} blocks (equal by
 * id) receives random adds, replaces, removes and lookups while keys are dropped and the heap
 * collects (a small nursery: every few operations). The model is a list of bindings, most
 * recent first, each with its key block's fate: rooted, dropped (dies at the next collection
 * that can see it: any collection if it was young, a major one if old), or dead. After every
 * operation the table must answer as the model does, live counts must be exact, and no dead
 * binding may be seen.
 */
@ExtendWith(TableValidation.class)
class K1TableModelTest {
    private enum Fate { ROOTED, DROPPED_YOUNG, DROPPED_OLD, DEAD }

    private static final class KeyBlock {
        final int id;
        GlobalRoot root;
        Fate fate = Fate.ROOTED;

        KeyBlock(int id, GlobalRoot root) {
            this.id = id;
            this.root = root;
        }

        boolean alive() {
            return fate != Fate.DEAD;
        }
    }

    private static final class Binding {
        KeyBlock key;
        long data;

        Binding(KeyBlock key, long data) {
            this.key = key;
            this.data = data;
        }
    }

    @Test
    void randomProgramsAgreeWithTheModel() {
        for (long seed = 1; seed <= 6; seed++) {
            run(seed, 1500);
        }
    }

    private void run(long seed, int steps) {
        Random rnd = new Random(seed);
        Heap heap = TableHeaps.small();
        K1Table k1 = K1Table.make(heap, K1TableTest.BY_ID);
        List<Binding> model = new ArrayList<>(); // most recent first
        List<KeyBlock> rooted = new ArrayList<>();
        List<KeyBlock> dropped = new ArrayList<>();
        try (GlobalRoot table = heap.newGlobalRoot(k1.create(rnd.nextInt(40)))) {
            GcStat before = heap.gc().stat();
            for (int step = 0; step < steps; step++) {
                String what = "seed " + seed + " step " + step;
                int id = rnd.nextInt(30);
                int op = rnd.nextInt(100);
                long data = Value.ofInt(step);
                if (op < 25) { // replace with a fresh key block of this id
                    KeyBlock kb = freshKey(heap, id, rooted);
                    k1.replace(table.get(), kb.root.get(), data);
                    Binding b = firstLive(model, id);
                    if (b != null) {
                        b.key = kb; // set_key_data: the binding now holds the new key block
                        b.data = data;
                    } else {
                        model.add(0, new Binding(kb, data));
                    }
                } else if (op < 40) { // add
                    KeyBlock kb = freshKey(heap, id, rooted);
                    k1.add(table.get(), kb.root.get(), data);
                    model.add(0, new Binding(kb, data));
                } else if (op < 50) { // remove (probe with a fresh block: equality is by id)
                    long probe = heap.alloc(0, Value.ofInt(id));
                    k1.remove(table.get(), probe);
                    Binding b = firstLive(model, id);
                    if (b != null) {
                        model.remove(b);
                    }
                } else if (op < 70) { // lookups
                    long probe = heap.alloc(0, Value.ofInt(id));
                    Binding b = firstLive(model, id);
                    assertThat(k1.findOpt(table.get(), probe)).as(what).isEqualTo(b == null ? Value.NONE : b.data);
                    assertThat(k1.mem(table.get(), probe)).as(what).isEqualTo(b != null);
                    List<Long> all = new ArrayList<>();
                    for (Binding x : model) {
                        if (x.key.id == id && x.key.alive()) {
                            all.add(x.data);
                        }
                    }
                    assertThat(toList(k1.findAll(table.get(), probe))).as(what).isEqualTo(all);
                } else if (op < 80 && !rooted.isEmpty()) { // drop a key block
                    KeyBlock kb = rooted.remove(rnd.nextInt(rooted.size()));
                    kb.fate = heap.isYoung(kb.root.get()) ? Fate.DROPPED_YOUNG : Fate.DROPPED_OLD;
                    kb.root.close();
                    kb.root = null;
                    dropped.add(kb);
                } else if (op < 84) {
                    heap.gc().minor();
                } else if (op < 86) {
                    heap.gc().major();
                } else if (op < 90) { // whole-table observations
                    long live = model.stream().filter(b -> b.key.alive()).count();
                    assertThat(k1.length(table.get())).as(what).isGreaterThanOrEqualTo(live);
                    assertThat(k1.statsAlive(table.get()).numBindings()).as(what).isEqualTo(live);
                    assertThat(k1.liveLength(table.get())).as(what).isEqualTo(live);
                    assertThat(k1.length(table.get())).as(what + ": purged").isEqualTo(live);
                    List<Long> seen = new ArrayList<>();
                    k1.iter(table.get(), (k, d) -> seen.add(d));
                    List<Long> expected = new ArrayList<>();
                    model.stream().filter(b -> b.key.alive()).forEach(b -> expected.add(b.data));
                    Collections.sort(seen);
                    Collections.sort(expected);
                    assertThat(seen).as(what).isEqualTo(expected);
                } else if (op < 92) {
                    k1.clean(table.get());
                    assertThat(k1.length(table.get())).as(what).isEqualTo(model.stream().filter(b -> b.key.alive()).count());
                } else if (op < 93) {
                    k1.clear(table.get());
                    model.clear();
                } else { // filter_map_inplace: drop odd data, double the rest
                    k1.filterMapInplace(table.get(), (k, d) -> Value.intOf(d) % 2 != 0 ? Value.NONE
                            : Value.ofInt(2 * Value.intOf(d)));
                    model.removeIf(b -> b.key.alive() && Value.intOf(b.data) % 2 != 0);
                    for (Binding b : model) {
                        if (b.key.alive()) {
                            b.data = Value.ofInt(2 * Value.intOf(b.data));
                        }
                    }
                }
                // whatever collections ran during this step killed the dropped keys they could see
                GcStat after = heap.gc().stat();
                if (after.majorCollections != before.majorCollections) {
                    kill(dropped, Fate.DROPPED_OLD);
                }
                if (after.minorCollections != before.minorCollections || after.majorCollections != before.majorCollections) {
                    kill(dropped, Fate.DROPPED_YOUNG);
                }
                before = after;
            }
            assertThat(heap.gc().stat().minorCollections).as("the nursery must be small enough to collect often")
                    .isGreaterThan(steps / 100);
            heap.verify();
        } finally {
            for (KeyBlock kb : rooted) {
                kb.root.close();
            }
        }
    }

    private static KeyBlock freshKey(Heap heap, int id, List<KeyBlock> rooted) {
        KeyBlock kb = new KeyBlock(id, heap.newGlobalRoot(heap.alloc(0, Value.ofInt(id))));
        rooted.add(kb);
        return kb;
    }

    private static Binding firstLive(List<Binding> model, int id) {
        for (Binding b : model) {
            if (b.key.id == id && b.key.alive()) {
                return b;
            }
        }
        return null;
    }

    private static void kill(List<KeyBlock> dropped, Fate fate) {
        for (KeyBlock kb : dropped) {
            if (kb.fate == fate) {
                kb.fate = Fate.DEAD;
            }
        }
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long x : a) {
            l.add(x);
        }
        return l;
    }
}
