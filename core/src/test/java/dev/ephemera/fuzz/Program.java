package dev.ephemera.fuzz;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The language of fuzzed programs: a program is a list of {@link Act}s. Operands name objects by
 * the id their allocating act gave them (not by position), so deleting acts while shrinking
 * leaves the rest meaning the same thing; an act whose target object does not exist (never
 * allocated, or already freed) does nothing, and an operand naming a missing object reads as
 * empty. Any list of acts is therefore a valid program.
 */
final class Program {
    private Program() {}

    /** The operations; see {@link StepExecutor} for what each does on the heap and on the model. */
    enum Op {
        /** Allocate a block (field 0 holds its id), by one of the seven allocation paths. */
        ALLOC,
        /** Allocate a leaf: a custom block or a foreign box. */
        LEAF,
        /** Allocate an ephemeron with 0..3 keys: create, typed create, or make. */
        EPHE,
        /** Allocate a weak array of 1..5 slots. */
        WEAK_ARRAY,
        /** Allocate a guardian. */
        GUARDIAN,
        SET_FIELD, SET_KEY, SET_DATA, BLIT_KEY, BLIT_DATA, FILL,
        /** Read a key, the data or a weak root (optionally a shallow copy) into a strong root. */
        GET,
        /** K1/K2/Kn.query into a strong root. */
        QUERY,
        /** A strong root := a value (dropping what it held). */
        STORE,
        /** A weak root := a value. */
        SET_WEAK,
        /** Register a finaliser (OCaml, Core, or heap-function kinds). */
        FINALISE,
        GUARD, GUARD_POLL, MPS_FINALIZE, MPS_DEFINALIZE, MSG_TAKE,
        MINOR, MAJOR, FULL_MAJOR, POLL,
        /** {@code Gc.majorSlice(0)}: a minor collection and a slice of the major cycle. */
        SLICE,
        /** {@code Gc.compact()}. */
        COMPACT,
        /** Allocate garbage (to provoke collections at allocation). */
        JUNK,
        /** Open a scope, hold a value in a handle while allocating garbage, copy it to a root, close the scope. */
        SCOPED,
        /** Resize the nursery (a minor collection that is not a safe point). */
        RESIZE,
        /** {@code Gc.finalise_release}. */
        RELEASE,
        /** Throw from a finaliser body. */
        THROW
    }

    /** An operand: empty, an immediate, the object with an id, or the finalised value (in a finaliser body). */
    record Val(char kind, long n) {
        static final Val NONE = new Val('-', 0);
        static final Val SELF = new Val('s', 0);

        static Val imm(long n) {
            return new Val('i', n);
        }

        static Val ref(int id) {
            return new Val('#', id);
        }

        @Override
        public String toString() {
            switch (kind) {
                case '-': return "none";
                case 's': return "self";
                case 'i': return Long.toString(n);
                default: return "#" + n;
            }
        }
    }

    /**
     * One act. {@code id} names the object or registration it creates; {@code a..d} are small
     * selectors (reduced modulo what they select from); {@code vals} are operands;
     * {@code body} is what a finaliser registered by this act does when it runs.
     */
    record Act(Op op, int id, int a, int b, int c, int d, List<Val> vals, List<Act> body) {
        Act withBody(List<Act> newBody) {
            return new Act(op, id, a, b, c, d, vals, newBody);
        }

        Act withVals(List<Val> newVals) {
            return new Act(op, id, a, b, c, d, newVals, body);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(op.name().toLowerCase());
            if (id != 0) {
                sb.append(" id=").append(id);
            }
            sb.append(" [").append(a).append(',').append(b).append(',').append(c).append(',').append(d).append(']');
            if (!vals.isEmpty()) {
                sb.append(' ').append(vals);
            }
            if (!body.isEmpty()) {
                sb.append(" body{").append(body.stream().map(Act::toString).collect(Collectors.joining("; "))).append('}');
            }
            return sb.toString();
        }
    }

    static String show(List<Act> program) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < program.size(); i++) {
            sb.append(String.format("  %3d  %s%n", i, program.get(i)));
        }
        return sb.toString();
    }
}
