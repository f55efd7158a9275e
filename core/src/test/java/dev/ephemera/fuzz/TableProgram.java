package dev.ephemera.fuzz;

import dev.ephemera.fuzz.Program.Val;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Table programs: the acts {@link TableRun} runs, and their generator. As in {@link Program},
 * operands name objects by id, so any sub-list of a program is a program (an act on a missing
 * object does nothing).
 */
final class TableProgram {
    private TableProgram() {}

    enum Op {
        /** A block holding its id and one operand (a key's value can refer to its key). */
        OBJ,
        /** A table of one of the eleven kinds (K1, K2, Kn, weak set, each Hashtables weakness). */
        TABLE,
        /** add or replace (a set: add or merge; Hashtables: set). */
        PUT,
        REMOVE,
        /** find_opt and mem, compared with the model. */
        FIND,
        /** A root := an operand. */
        STORE,
        /** A block's field := an operand. */
        LINK,
        MINOR, MAJOR, FULL_MAJOR,
        /** Garbage, to provoke collections in the middle of what follows. */
        JUNK,
        /** Every table looked at, two full majors, and the heap must keep exactly what the model keeps. */
        CHECK_ALL
    }

    /** One act: {@code id} names what it creates; {@code a..c} are selectors; {@code vals} operands. */
    record Act(Op op, int id, int a, int b, int c, List<Val> vals) {
        Act withVals(List<Val> v) {
            return new Act(op, id, a, b, c, v);
        }

        @Override
        public String toString() {
            return op.name().toLowerCase() + (id != 0 ? " id=" + id : "") + " [" + a + "," + b + "," + c + "] " + vals;
        }
    }

    private static final Object[][] WEIGHTS = {
        {Op.OBJ, 18}, {Op.TABLE, 3}, {Op.PUT, 30}, {Op.REMOVE, 6}, {Op.FIND, 10}, {Op.STORE, 10},
        {Op.LINK, 6}, {Op.MINOR, 5}, {Op.MAJOR, 4}, {Op.FULL_MAJOR, 1}, {Op.JUNK, 5}, {Op.CHECK_ALL, 1},
    };

    /**
     * The generator: mostly acts on recent objects and tables.
     *
     * <p><b>Two pools of objects.</b> The heap unlinks a dead binding's cell lazily (when the
     * table is next looked at or its bucket walked), so what a dead binding held strongly — a
     * weak-key table's value, a weak-value table's key — outlives it by an unspecified time; the
     * model drops it at once. Whatever depends on the liveness of such an object — another table's
     * weak key, a weak set's element — would then differ for a reason the semantics leave open.
     * So objects are <em>weak-usable</em> or <em>strong-only</em> (the OBJ act's selector b says
     * which): only strong-only objects (and immediates) go where a dead binding may hold them
     * strongly, only weak-usable ones go in weak places, and a strong-only object's field holds
     * only strong-only objects. Tables are not operands. Then the model is exact except in which
     * objects are alive between a binding's death and the next look at its table, where the heap
     * may keep more (checked as "what the model keeps, the heap keeps"), and exact again after
     * every table is looked at ({@code CHECK_ALL}).
     */
    static final class Generator {
        private final Random rnd;
        private final List<Integer> weakUsable = new ArrayList<>();
        private final List<Integer> strongOnly = new ArrayList<>();
        private final List<Integer> tables = new ArrayList<>();
        private final java.util.Map<Integer, dev.ephemera.model.TableModel.TKind> kinds = new java.util.HashMap<>();
        private int nextId = 1;

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        /** The pool of the OBJ act with selector {@code b}. */
        static boolean isStrongOnly(int b) {
            return b % 3 == 0;
        }

        Act next() {
            if (tables.isEmpty()) {
                return table();
            }
            Op op = pick();
            int a = rnd.nextInt(1000);
            int b = rnd.nextInt(1000);
            int c = rnd.nextInt(1000);
            switch (op) {
                case OBJ -> {
                    int id = nextId++;
                    boolean strong = isStrongOnly(b);
                    Val field = rnd.nextInt(3) == 0 ? operand(strong ? Place.STRONG_ONLY : Place.ANY) : Val.NONE;
                    (strong ? strongOnly : weakUsable).add(id);
                    return new Act(op, id, a, b, c, List.of(field));
                }
                case TABLE -> {
                    return table();
                }
                case PUT, REMOVE, FIND -> {
                    Val t = some(tables);
                    dev.ephemera.model.TableModel.TKind kind = kinds.get((int) t.n());
                    List<Val> vals = new ArrayList<>();
                    vals.add(t);
                    for (int i = 0; i < 3; i++) {
                        vals.add(operand(keyPlace(kind)));
                    }
                    vals.add(operand(dataPlace(kind)));
                    return new Act(op, 0, a, b, c, vals);
                }
                case STORE -> {
                    Val v = rnd.nextInt(3) == 0 ? Val.NONE : rnd.nextInt(8) == 0 ? some(tables) : operand(Place.ANY);
                    return new Act(op, 0, a, b, c, List.of(v));
                }
                case LINK -> {
                    boolean strong = rnd.nextInt(3) == 0 && !strongOnly.isEmpty();
                    Val o = strong ? some(strongOnly) : some(weakUsable);
                    return new Act(op, 0, a, b, c, List.of(o, operand(strong ? Place.STRONG_ONLY : Place.ANY)));
                }
                default -> {
                    return new Act(op, 0, a, b, c, List.of());
                }
            }
        }

        /** Where an operand goes. */
        enum Place { WEAK, STRONG_ONLY, ANY }

        /** A key's place in a table of {@code kind}: a weak one, or one a dead binding holds strongly. */
        private static Place keyPlace(dev.ephemera.model.TableModel.TKind kind) {
            switch (kind) {
                case NONE: case EPHEMERAL_VALUE:
                    return Place.ANY;          // never dead / the ephemeron's data
                case WEAK_VALUE:
                    return Place.STRONG_ONLY;  // held strongly by a binding that dies with its value
                default:
                    return Place.WEAK;
            }
        }

        private static Place dataPlace(dev.ephemera.model.TableModel.TKind kind) {
            switch (kind) {
                case K1: case K2: case KN: case NONE: case EPHEMERAL_KEY:
                    return Place.ANY;          // an ephemeron's data, or never dead
                case WEAK_KEY:
                    return Place.STRONG_ONLY;
                default:
                    return Place.WEAK;
            }
        }

        private Act table() {
            int id = nextId++;
            tables.add(id);
            int a = rnd.nextInt(1000);
            kinds.put(id, dev.ephemera.model.TableModel.TKind.values()[a % dev.ephemera.model.TableModel.TKind.values().length]);
            return new Act(Op.TABLE, id, a, rnd.nextInt(1000), rnd.nextInt(1000), List.of());
        }

        /** An operand for {@code place}: a recent object of a pool allowed there mostly, an immediate sometimes. */
        private Val operand(Place place) {
            List<Integer> pool = place == Place.WEAK ? weakUsable : place == Place.STRONG_ONLY ? strongOnly
                    : rnd.nextInt(3) == 0 ? strongOnly : weakUsable;
            if (pool.isEmpty() || rnd.nextInt(6) == 0) {
                return Val.imm(rnd.nextInt(8));
            }
            return some(pool);
        }

        private Val some(List<Integer> ids) {
            if (ids.isEmpty()) {
                return Val.NONE;
            }
            int n = ids.size();
            int i = rnd.nextBoolean() ? n - 1 - rnd.nextInt(Math.min(n, 12)) : rnd.nextInt(n);
            return Val.ref(ids.get(i));
        }

        private Op pick() {
            int total = 0;
            for (Object[] w : WEIGHTS) {
                total += (Integer) w[1];
            }
            int r = rnd.nextInt(total);
            for (Object[] w : WEIGHTS) {
                r -= (Integer) w[1];
                if (r < 0) {
                    return (Op) w[0];
                }
            }
            throw new AssertionError();
        }
    }
}
