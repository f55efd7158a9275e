package dev.ephemera.event;

/**
 * The named phases of the collections (MMTk style): the collector runs each collection as a
 * schedule of them, one loop that times them, and reports the time of each in
 * {@link GcEvent#phaseNanos}. A major cycle's phases follow OCaml 4.14's: mark (roots, main,
 * final) → clean → sweep. {@code Gc.majorPhase()} tells which one an incremental cycle is in.
 */
public enum Phase {
    /**
     * Minor: the strong roots, the remembered slots and the young finaliser rows are copied — a
     * remembered slot's block with the chain of blocks it leads to through each one's last
     * young field (a list's tail), so a young list stored in an old block is promoted here.
     */
    MINOR_ROOTS,
    /** Minor: copied blocks are scanned, and the chains they lead to copied, until no young pointer is left. */
    MINOR_CLOSURE,
    /** Minor: the ephemeron rule among young values. */
    MINOR_EPHEMERONS,
    /** Minor: guardians keep young registered objects; young finalise-last values that died are selected. */
    MINOR_FINALISE,
    /** Minor: young weak references to dead values are cleared, the rest updated; the nursery is emptied. */
    MINOR_CLEAR,
    /** Major: a cycle starts; the roots are marked (the snapshot) — the collector-owned ones, queued finalisers and finaliser functions, in budgeted steps. */
    ROOTS,
    /** Major: the closure with the ephemeron fixpoint (OCaml's main mark subphase). */
    MARK,
    /** Major: unreachable finalise-first values are selected and resurrected; marking resumes (OCaml's final mark subphase). */
    FINALISE_FIRST,
    /** Major: marking ends; finalise-last values that are dead for good are selected; weak roots are splatted. */
    FINALISE_LAST,
    /** Major: dead ephemeron keys and their data are emptied (OCaml's clean phase). */
    CLEAN,
    /** Major: unmarked blocks are freed, marked ones whitened. */
    SWEEP
}
