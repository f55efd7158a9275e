package dev.ephemera.tables.engine;

import dev.ephemera.Heap;
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
 * a weak set has none. The guard's methods are small, to be inlined on the hot paths.
 */
public final class ModificationGuard {
    private final Heap heap;
    private final int stateField;
    private final int stampField;
    /** "table" or "set", for messages. */
    private final String noun;

    private ModificationGuard(Heap heap, int stateField, int stampField, String noun) {
        this.heap = heap;
        this.stateField = stateField;
        this.stampField = stampField;
        this.noun = noun;
    }

    /** The guard of the tables ({@link TableLayout}) of {@code heap}. */
    public static ModificationGuard forTables(Heap heap) {
        return new ModificationGuard(heap, TableLayout.STATE_FIELD, TableLayout.STAMP_FIELD, "table");
    }

    /** The guard of the weak sets ({@link WeakSetLayout}) of {@code heap}. */
    public static ModificationGuard forWeakSets(Heap heap) {
        return new ModificationGuard(heap, WeakSetLayout.STATE_FIELD, WeakSetLayout.STAMP_FIELD, "set");
    }

    /** The STATE word of {@code block}: flags and running iterations. */
    public long state(long block) {
        return Value.intOf(heap.field(block, stateField));
    }

    /** The STAMP word of {@code block}. */
    public long stamp(long block) {
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
    public long beginModify(Op op, long block) {
        checkModifiable(op, state(block));
        return stamp(block);
    }

    /** {@link #beginModify}'s check, on a STATE word the caller read. */
    public void checkModifiable(Op op, long state) {
        if ((state & TableLayout.IMMUTABLE) != 0) {
            throw new UnsupportedOperationException(op + ": the " + noun + " is immutable");
        }
        if (isIterating(state)) {
            throw new ConcurrentModificationException(op + ": the " + noun + " is being iterated (by "
                    + Op.nameOf((int) ((state >>> GuardLayout.ITERATION_OP_SHIFT) & GuardLayout.OP_MASK))
                    + "); it cannot be modified during the iteration");
        }
    }

    /** Records a modification by {@code op}. */
    public void touch(Op op, long block) {
        touchAfter(op, block, stamp(block));
    }

    /** Records a modification by {@code op} of a block whose stamp was {@code stamp} (read on entry). */
    public void touchAfter(Op op, long block, long stamp) {
        long modifications = (stamp & ~GuardLayout.OP_MASK) + GuardLayout.MODIFICATION;
        heap.setField(block, stampField, Value.ofInt(modifications | op.code));
    }

    /** After a call out: {@code block} must not have been modified since its stamp was {@code expected}. */
    public void checkUnchanged(Op op, long block, long expected, String during) {
        long now = stamp(block);
        if (now != expected) {
            throw new ConcurrentModificationException(op + ": the " + noun + " was modified (by "
                    + lastModifier(now) + ") while " + during + " ran");
        }
    }

    /** The name of the operation that made the modification recorded in {@code stamp}. */
    public static String lastModifier(long stamp) {
        return Op.nameOf((int) (stamp & GuardLayout.OP_MASK));
    }

    /** A callback iteration by {@code op} starts on {@code block}; the outermost one is named in STATE. */
    public void enterIteration(Op op, long block) {
        long state = state(block);
        if (!isIterating(state)) {
            state = (state & GuardLayout.FLAG_MASK) | ((long) op.code << GuardLayout.ITERATION_OP_SHIFT);
        }
        heap.setField(block, stateField, Value.ofInt(state + GuardLayout.ITERATION));
    }

    /** A callback iteration on {@code block} ends; after the outermost, no op is named. */
    public void exitIteration(long block) {
        long state = state(block) - GuardLayout.ITERATION;
        heap.setField(block, stateField, Value.ofInt(isIterating(state) ? state : state & GuardLayout.FLAG_MASK));
    }
}
