package dev.ephemera.property;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Rank;
import dev.ephemera.RootArea;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Random object graphs built and mutated through the public API, on a heap with a tiny nursery
 * and a small major heap (so both collections run constantly), checked against a plain Java
 * model of the same graph: after every collection the verifier passes (the heap runs it after
 * every collection in tests), and the graph reachable from the roots equals the model's — same
 * shape, same contents, same sharing.
 *
 * <p>Each heap node is a block whose field 0 is its model id (an immediate); the other fields
 * are immediates or pointers. Roots are the slots of a {@link RootArea}.
 */
class GraphModelPropertyTest {

    /** A model node: an id and fields holding either a Long (immediate) or another node. */
    static final class Node {
        final long id;
        final Object[] fields;

        Node(long id, int size) {
            this.id = id;
            this.fields = new Object[size];
        }
    }

    /** One operation; the ints are reduced modulo the current sizes, so any list is a valid program. */
    record Op(int kind, int a, int b, int c, int d) {
        @Override
        public String toString() {
            String[] names = {"alloc", "link", "setInt", "dropRoot", "rootField", "garbage", "minor", "major", "fullMajor", "bigAlloc"};
            return names[kind] + "(" + a + "," + b + "," + c + "," + d + ")";
        }
    }

    @Provide
    Arbitrary<List<Op>> programs() {
        Arbitrary<Integer> kind = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(30, 0), net.jqwik.api.Tuple.of(25, 1), net.jqwik.api.Tuple.of(8, 2),
                net.jqwik.api.Tuple.of(8, 3), net.jqwik.api.Tuple.of(8, 4), net.jqwik.api.Tuple.of(10, 5),
                net.jqwik.api.Tuple.of(5, 6), net.jqwik.api.Tuple.of(3, 7), net.jqwik.api.Tuple.of(1, 8),
                net.jqwik.api.Tuple.of(2, 9));
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 1000);
        Arbitrary<Op> op = Combinators.combine(kind, n, n, n, n).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 2000, shrinking = ShrinkingMode.FULL)
    void reachableGraphMatchesTheModelAfterEveryCollection(@ForAll("programs") List<Op> program) {
        new Run(Heap.create(HeapConfig.defaults().minorHeapWords(256).initialHeapWords(4096)
                .maxHeapWords(1 << 22).verifyEveryCollection(true))).execute(program);
    }

    @Property(tries = 300)
    void sameWithDefaultSizes(@ForAll("programs") List<Op> program) {
        new Run(Heap.create(HeapConfig.defaults().verifyEveryCollection(true))).execute(program);
    }

    /** Runs one program on the heap and on the model side by side. */
    static final class Run {
        private final Heap heap;
        private final RootArea roots;
        private final List<Node> modelRoots = new ArrayList<>();
        private long nextId = 1;
        private long collectionsSeen;

        Run(Heap heap) {
            this.heap = heap;
            this.roots = heap.newRootArea(16, Rank.STRONG);
        }

        void execute(List<Op> program) {
            try (heap) {
                heap.gc().addListener(e -> collectionsSeen++);
                for (Op op : program) {
                    long before = collectionsSeen;
                    apply(op);
                    if (collectionsSeen != before) {
                        compare();
                    }
                }
                heap.gc().major();
                compare();
            }
        }

        private void apply(Op op) {
            switch (op.kind()) {
                case 0 -> alloc(1 + op.a() % 4, op.b(), op.c(), false);
                case 9 -> alloc(257 + op.a() % 300, op.b(), op.c(), true);
                case 1 -> link(op);
                case 2 -> setInt(op);
                case 3 -> {
                    if (!modelRoots.isEmpty()) {
                        int r = op.a() % modelRoots.size();
                        removeRoot(r);
                    }
                }
                case 4 -> rootField(op);
                case 5 -> {
                    for (int i = 0; i < 1 + op.a() % 200; i++) {
                        heap.alloc(0, Value.ofInt(i), Value.NONE);
                    }
                    if (op.b() % 4 == 0) {
                        heap.allocArray(300 + op.c(), Value.ofInt(7)); // large garbage
                    }
                }
                case 6 -> heap.gc().minor();
                case 7 -> heap.gc().major();
                case 8 -> heap.gc().fullMajor();
                default -> throw new IllegalStateException();
            }
        }

        /** A node with {@code size} extra fields, rooted; some fields point to reachable nodes. */
        private void alloc(int size, int seed, int seed2, boolean large) {
            Node m = new Node(nextId++, size);
            java.util.Arrays.fill(m.fields, 0L);
            long v = heap.allocArray(size + 1, Value.ofInt(0));
            heap.setField(v, 0, Value.ofInt(m.id));
            roots.push(v);
            modelRoots.add(m);
            cache = null;
            int slot = modelRoots.size() - 1;
            List<Node> reachable = reachableModel();
            for (int i = 0; i < size; i++) {
                int choice = (seed + i * 7919 + seed2) % 5;
                if (choice < 2 || reachable.isEmpty()) {
                    m.fields[i] = (long) (seed * 31 + i);
                    heap.setField(roots.get(slot), i + 1, Value.ofInt(seed * 31L + i));
                } else {
                    Node target = reachable.get((seed2 + i) % reachable.size());
                    long tv = heapOf(target);
                    heap.setField(roots.get(slot), i + 1, tv);
                    m.fields[i] = target;
                }
            }
        }

        private void link(Op op) {
            List<Node> reachable = reachableModel();
            if (reachable.isEmpty()) {
                return;
            }
            Node from = reachable.get(op.a() % reachable.size());
            Node to = reachable.get(op.b() % reachable.size());
            int field = op.c() % from.fields.length;
            long fromV = heapOf(from);
            long toV = heapOf(to);
            heap.setField(fromV, field + 1, toV);
            from.fields[field] = to;
        }

        private void setInt(Op op) {
            List<Node> reachable = reachableModel();
            if (reachable.isEmpty()) {
                return;
            }
            Node from = reachable.get(op.a() % reachable.size());
            int field = op.c() % from.fields.length;
            heap.setField(heapOf(from), field + 1, Value.ofInt(op.d()));
            from.fields[field] = (long) op.d();
        }

        /** Adds a root to a node reachable through a field of an existing root. */
        private void rootField(Op op) {
            List<Node> reachable = reachableModel();
            if (reachable.isEmpty()) {
                return;
            }
            Node n = reachable.get(op.a() % reachable.size());
            roots.push(heapOf(n));
            modelRoots.add(n);
            cache = null;
        }

        private void removeRoot(int r) {
            int last = modelRoots.size() - 1;
            roots.set(r, roots.get(last));
            roots.pop();
            modelRoots.set(r, modelRoots.get(last));
            modelRoots.remove(last);
            cache = null;
        }

        /** The heap block for a model node, found by walking from the roots (raw, valid until next allocation). */
        private long heapOf(Node target) {
            if (cache == null || cacheEpoch != heap.gc().minorWords() + collectionsSeen) {
                cache = correspondence();
                cacheEpoch = heap.gc().minorWords() + collectionsSeen;
            }
            Long v = cache.get(target);
            if (v == null) {
                throw new AssertionError("model node " + target.id + " is not reachable on the heap");
            }
            return v;
        }

        /** The last correspondence, valid while nothing was allocated (no pointer moved). */
        private Map<Node, Long> cache;
        private long cacheEpoch;

        private List<Node> reachableModel() {
            List<Node> out = new ArrayList<>();
            IdentityHashMap<Node, Boolean> seen = new IdentityHashMap<>();
            ArrayDeque<Node> todo = new ArrayDeque<>(modelRoots);
            while (!todo.isEmpty()) {
                Node n = todo.pop();
                if (seen.put(n, true) != null) {
                    continue;
                }
                out.add(n);
                for (Object f : n.fields) {
                    if (f instanceof Node) {
                        todo.push((Node) f);
                    }
                }
            }
            out.sort((x, y) -> Long.compare(x.id, y.id));
            return out;
        }

        /**
         * Walks the heap and the model from corresponding roots in parallel and checks they are
         * the same graph: same ids, same immediates, same sharing. Returns the node→block map.
         */
        private Map<Node, Long> correspondence() {
            IdentityHashMap<Node, Long> toHeap = new IdentityHashMap<>();
            Map<Long, Node> toModel = new HashMap<>();
            ArrayDeque<Node> todoModel = new ArrayDeque<>();
            ArrayDeque<Long> todoHeap = new ArrayDeque<>();
            if (!(roots.used() == modelRoots.size())) {
                fail("root count");
            }
            for (int i = 0; i < modelRoots.size(); i++) {
                todoModel.push(modelRoots.get(i));
                todoHeap.push(roots.get(i));
            }
            while (!todoModel.isEmpty()) {
                Node m = todoModel.pop();
                long v = todoHeap.pop();
                Long known = toHeap.get(m);
                Node knownModel = toModel.get(v);
                if (known != null || knownModel != null) {
                    if (!(known != null && known == v && knownModel == m)) {
                        fail("sharing of node " + m.id);
                    }
                    continue;
                }
                toHeap.put(m, v);
                toModel.put(v, m);
                if (!(heap.size(v) == m.fields.length + 1)) {
                    fail("size of node " + m.id);
                }
                if (!(Value.intOf(heap.field(v, 0)) == m.id)) {
                    fail("id of node " + m.id);
                }
                for (int i = 0; i < m.fields.length; i++) {
                    Object f = m.fields[i];
                    long hv = heap.field(v, i + 1);
                    if (f instanceof Long) {
                        if (!(Value.isInt(hv) && Value.intOf(hv) == (Long) f)) {
                            fail("field " + i + " of node " + m.id + " holds " + f + " but the heap has " + Value.describe(hv));
                        }
                    } else {
                        if (!(Value.isBlock(hv))) {
                            fail("field " + i + " of node " + m.id + " should be a pointer: " + Value.describe(hv));
                        }
                        todoModel.push((Node) f);
                        todoHeap.push(hv);
                    }
                }
            }
            return toHeap;
        }

        private static void fail(String what) {
            throw new AssertionError("heap and model differ: " + what);
        }

        private void compare() {
            correspondence();
        }
    }
}
