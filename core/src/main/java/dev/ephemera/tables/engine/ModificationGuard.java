package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
import dev.ephemera.RootStack;
import dev.ephemera.object.Value;
import dev.ephemera.tables.layout.GuardLayout;
import dev.ephemera.tables.layout.TableLayout;
import dev.ephemera.tables.layout.WeakSetLayout;
import java.util.ConcurrentModificationException;

/**
 * Keeps a table or a weak set from being modified under a walk: the one modification guard of
 * both engines, over the STATE and STAMP immediates of their blocks ({@link GuardLayout}).
 *
 * <ul>
 * <li><b>Iterations.</b> A callback iteration ({@code iter}, {@code fold},
 *     {@code filter_map_inplace}) counts itself in STATE while it runs; every modification checks
 *     STATE first ({@link #beginModify}) and raises {@link ConcurrentModificationException}, naming
 *     the outermost iteration, before changing anything.</li>
 * <li><b>Calls out.</b> Every modification bumps STAMP and records its op ({@link #touch}). An
 *     operation that calls client code (a hashed type, a container, a visitor) reads STAMP before
 *     and compares after ({@link #checkUnchanged}): a call out that modified the block it was
 *     called for raises instead of letting the operation go on over a changed chain.</li>
 * </ul>
 * Purging dead cells is not a modification: it only unlinks cells whose {@code next} pointers
 * stay valid, so a walk in progress (a suspended cursor) stays correct.
 *
 * <p>Tables have two flags in STATE ({@link TableLayout#IMMUTABLE}, {@link TableLayout#SHARED});
 * a weak set has none. The guard's methods are small, to be inlined on the hot paths, and the two
 * guards are constants ({@link #TABLES}, {@link #WEAK_SETS}) of a record, whose fields the JIT
 * trusts: the field numbers fold into the accesses.
 *
 * @param stateField the block's STATE field
 * @param stampField the block's STAMP field
 * @param noun "table" or "set", for messages
 */
public record ModificationGuard(int stateField, int stampField, String noun) {
    /** The guard of the tables ({@link TableLayout}). */
    public static final ModificationGuard TABLES =
            new ModificationGuard(TableLayout.STATE_FIELD, TableLayout.STAMP_FIELD, "table");

    /** The guard of the weak sets ({@link WeakSetLayout}). */
    public static final ModificationGuard WEAK_SETS =
            new ModificationGuard(WeakSetLayout.STATE_FIELD, WeakSetLayout.STAMP_FIELD, "set");

    /** The STATE word of {@code block}: flags and running iterations. */
    public long state(Heap heap, long block) {
        return Value.intOf(heap.field(block, stateField));
    }

    /** The STAMP word of {@code block}. */
    public long stamp(Heap heap, long block) {
        return Value.intOf(heap.field(block, stampField));
    }

    /** True if a callback iteration runs on the block whose STATE is {@code state}. */
    public static boolean isIterating(long state) {
        return (state & GuardLayout.ITERATION_MASK) != 0;
    }

    /**
     * Entry check of every modification: the block is mutable and not being iterated. Returns the
     * stamp, to compare after calls out.
     */
    public long beginModify(Heap heap, Op op, long block) {
        checkModifiable(heap, op, state(heap, block));
        return stamp(heap, block);
    }

    /** {@link #beginModify}'s check, on a STATE word the caller read. */
    public void checkModifiable(Heap heap, Op op, long state) {
        if ((state & (TableLayout.IMMUTABLE | GuardLayout.ITERATION_MASK)) != 0) {
            throw refused(op, state);
        }
    }

    /** Why {@code op} may not modify a block whose STATE is {@code state} (off the hot path). */
    private RuntimeException refused(Op op, long state) {
        if ((state & TableLayout.IMMUTABLE) != 0) {
            return new UnsupportedOperationException(op + ": the " + noun + " is immutable");
        }
        return new ConcurrentModificationException(op + ": the " + noun + " is being iterated (by "
                + Op.nameOf((int) ((state >>> GuardLayout.ITERATION_OP_SHIFT) & GuardLayout.OP_MASK))
                + "); it cannot be modified during the iteration");
    }

    /** Records a modification by {@code op}. */
    public void touch(Heap heap, Op op, long block) {
        touchAfter(heap, op, block, stamp(heap, block));
    }

    /** Records a modification by {@code op} of a block whose stamp was {@code stamp} (read on entry). */
    public void touchAfter(Heap heap, Op op, long block, long stamp) {
        long modifications = (stamp & ~GuardLayout.OP_MASK) + GuardLayout.MODIFICATION;
        heap.setField(block, stampField, Value.ofInt(modifications | op.code));
    }

    /** After a call out: {@code block} must not have been modified since its stamp was {@code expected}. */
    public void checkUnchanged(Heap heap, Op op, long block, long expected, String during) {
        if (stamp(heap, block) != expected) {
            throw modified(heap, op, block, during);
        }
    }

    /**
     * After a call out: the block again from root slot {@code slot} of {@code roots}, checked
     * unmodified since its stamp was {@code expected} (the walks of the engines re-read their
     * table this way after every call to client code).
     */
    public long reloadUnchanged(Heap heap, RootStack roots, Op op, int slot, long expected, String during) {
        long block = roots.get(slot);
        checkUnchanged(heap, op, block, expected, during);
        return block;
    }

    /** The error of a call out during which {@code op}'s block was modified (off the hot path). */
    private ConcurrentModificationException modified(Heap heap, Op op, long block, String during) {
        return new ConcurrentModificationException(op + ": the " + noun + " was modified (by "
                + lastModifier(stamp(heap, block)) + ") while " + during + " ran");
    }

    /** The name of the operation that made the modification recorded in {@code stamp}. */
    public static String lastModifier(long stamp) {
        return Op.nameOf((int) (stamp & GuardLayout.OP_MASK));
    }

    /** A callback iteration by {@code op} starts on {@code block}; the outermost one is named in STATE. */
    public void enterIteration(Heap heap, Op op, long block) {
        long state = state(heap, block);
        if (!isIterating(state)) {
            state = (state & GuardLayout.FLAG_MASK) | ((long) op.code << GuardLayout.ITERATION_OP_SHIFT);
        }
        heap.setField(block, stateField, Value.ofInt(state + GuardLayout.ITERATION));
    }

    /** A callback iteration on {@code block} ends; after the outermost, no op is named. */
    public void exitIteration(Heap heap, long block) {
        long state = state(heap, block) - GuardLayout.ITERATION;
        heap.setField(block, stateField, Value.ofInt(isIterating(state) ? state : state & GuardLayout.FLAG_MASK));
    }
}
