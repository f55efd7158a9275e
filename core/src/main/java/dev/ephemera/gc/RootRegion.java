package dev.ephemera.gc;

/**
 * A region of root slots that the client owns and the collector scans and updates in place: an
 * interpreter's stack or registers. Only {@code slots()[0 .. used())} is scanned; every slot in
 * that range must hold a valid value (an immediate, {@code NONE} or a live pointer) whenever a
 * collection can happen. Implemented by the API's {@code RootStack} and {@code RootArea}.
 */
public interface RootRegion {
    /** The slot array; may be replaced between collections (when the client grows it). */
    long[] slots();

    /** How many leading slots are in use. */
    int used();
}
