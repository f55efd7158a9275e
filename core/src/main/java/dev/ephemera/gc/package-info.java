/**
 * The collector: a generational plan ({@link dev.ephemera.gc.Collector}) of a copying
 * {@linkplain dev.ephemera.gc.Nursery nursery} and an incremental mark-sweep
 * {@linkplain dev.ephemera.gc.MajorHeap major heap} (a size-class space with its lazy page
 * sweeper, and a large-object space) with a compactor, OCaml 4.14's model; weak processing in
 * both (the ephemeron fixpoint, weak slots, the
 * {@linkplain dev.ephemera.gc.WeakClient weak-client contract} that finaliser tables, guardians
 * and foreign boxes implement); the write barrier, the roots, the policy that paces the major
 * cycle, and the heap verifier.
 *
 * <p>{@code Collector} wires the parts and is the API's entry to them. Allocation is
 * {@link dev.ephemera.gc.BlockAllocator}'s (the nursery fast paths the API calls directly, and
 * the paths that collect and retry); running collections — when, in what order, counted and
 * reported — is {@code CollectionDriver}'s; the sweep of the small-block space is
 * {@code PageSweeper}'s.
 *
 * <p><b>Layer</b>: gc, above {@code object} and below the API; internal (not exported by the
 * module). It may use {@code memory}, {@code object} and its layouts, and the event types it
 * reports with; nothing of the API or the tables. It never calls client code: finalisers are
 * only queued here, and the API runs them at safe points.
 */
package dev.ephemera.gc;
