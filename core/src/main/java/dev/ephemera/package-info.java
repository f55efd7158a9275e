/**
 * The API: a garbage-collected heap of blocks with the exact semantics of OCaml's and MPS's
 * ephemerons, weak pointers and finalisation. {@link dev.ephemera.Heap} allocates and accesses
 * blocks; its façades give OCaml's and MPS's modules their own names — {@link dev.ephemera.Gc}
 * (collection control, statistics, {@code Gc.finalise}), {@link dev.ephemera.Ephemerons} and
 * {@link dev.ephemera.EphemeronK1}/{@code K2}/{@code Kn}, {@link dev.ephemera.Weak},
 * {@link dev.ephemera.Guardians}, {@link dev.ephemera.Messages}. Values are held across
 * allocations in roots: {@link dev.ephemera.Scope}/{@link dev.ephemera.Handle},
 * {@link dev.ephemera.GlobalRoot}, {@link dev.ephemera.RootStack}, {@link dev.ephemera.RootArea}.
 * A root stack is the one way the library's own code keeps values across allocation: the heap's
 * allocation functions and its scopes use the heap's own stack, the tables and the Scheme stacks
 * of their own. Every failure is an exception of this package naming the operation.
 *
 * <p><b>Layer</b>: API, above {@code gc} and below {@code tables}; exported by the module. It
 * may use the event types, {@code object} and its layouts, {@code gc} and {@code memory}; never
 * {@code tables}, which are built on it. It is the only layer that runs client code
 * (finalisers, listeners), and only at safe points: the collector below it only queues.
 *
 * <p>The API stays in the root package, beside the layers under it, because every user imports
 * it from here; the module descriptor, which exports none of {@code gc}, {@code memory} and
 * {@code object.layout}, is what keeps users to it.
 */
package dev.ephemera;
