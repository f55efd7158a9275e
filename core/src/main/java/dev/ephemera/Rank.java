package dev.ephemera;

/**
 * The rank of a root (MPS's {@code mps_rank_exact} and {@code mps_rank_weak}).
 */
public enum Rank {
    /** The root keeps its referent alive and is updated when the referent moves. */
    STRONG,
    /**
     * The root does not keep its referent alive: when the referent dies, the root is set to
     * {@link dev.ephemera.object.Value#NONE} ("splatted"); while it lives, the root follows it.
     * Weak roots are splatted after finalise-first values are resurrected, so a weak root to a
     * value awaiting its finaliser still refers to it.
     */
    WEAK
}
