package dev.ephemera.gc;

/** The named phases of a collection, for logging and timing (MMTk style). */
public enum Phase {
    /** Minor collection: copy young survivors, apply the ephemeron rule to young data. */
    MINOR,
    /** Major: mark the roots. */
    ROOTS,
    /** Major: the closure with the ephemeron fixpoint. */
    MARK,
    /** Major: select and resurrect unreachable finalise-first values. */
    FINALISE_FIRST,
    /** Major: select finalise-last values that are dead for good. */
    FINALISE_LAST,
    /** Major: empty dead keys and their data, splat weak roots, release foreign slots. */
    CLEAR,
    /** Major: free unmarked blocks. */
    SWEEP
}
