/**
 * The engines behind the public table modules of {@code dev.ephemera.tables}:
 * {@link dev.ephemera.tables.engine.ChainedTable} (OCaml's {@code GenHashTable}: every
 * ephemeron hash table kind and the weakness modes; the design essay is there) with its parts —
 * {@code Insertion}, {@code BucketSearch}, {@code Iteration}, {@code Purge}, {@code Growth},
 * {@code FreeList}, {@code TableCreation} — and the {@link dev.ephemera.tables.engine.Containers}
 * of each kind; {@link dev.ephemera.tables.engine.WeakSetEngine} (OCaml's {@code Weak.Make});
 * what both share: the {@link dev.ephemera.tables.engine.ModificationGuard},
 * {@link dev.ephemera.tables.engine.Op} names and
 * {@link dev.ephemera.tables.engine.Failures}; and the
 * {@link dev.ephemera.tables.engine.TableValidator}, which checks the invariants the engines keep.
 * Operations keep the raw values they hold across allocations and calls out in the heap's one
 * rooting mechanism, a {@link dev.ephemera.RootStack}: one per engine, one per cursor.
 *
 * <p>Layer: tables (memory ← object ← gc ← api ← <b>tables</b> ← scheme ← cli), internal; not
 * exported, so its classes are public only for the modules of {@code dev.ephemera.tables}. Uses
 * the API ({@code dev.ephemera}), {@code dev.ephemera.object}, {@code dev.ephemera.tables.layout}
 * and {@code dev.ephemera.tables.hash}, and from {@code dev.ephemera.tables} only the vocabulary
 * a client implements or receives — {@code HashedType}, {@code SeededHashedType},
 * {@code GenHashedType}, {@code GenHashTable.Equal}, {@code Weakness} — never a module.
 */
package dev.ephemera.tables.engine;
