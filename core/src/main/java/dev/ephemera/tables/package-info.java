/**
 * Weak hash tables in the heap: OCaml's {@code Ephemeron.K1}/{@code K2}/{@code Kn} tables and
 * {@code GenHashTable}, {@code Weak.Make} hash sets, and the SRFI 126 tables of
 * {@link dev.ephemera.tables.Hashtables}, strong, weak or ephemeral in keys and values
 * ({@link dev.ephemera.tables.Weakness}); with OCaml's structural hash and the hashed types
 * they are built with. A table is itself a heap value, so it lives and dies like any other.
 *
 * <p><b>Layer</b>: tables, above the API and the top of core; exported by the module. Tables
 * are a client of the heap: they use the API, {@code object} and its layouts, and the event
 * types, never the collector or the arena. Nothing in core uses them.
 */
package dev.ephemera.tables;
