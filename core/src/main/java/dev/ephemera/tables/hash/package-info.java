/**
 * The hashing primitives of the tables layer: OCaml's mixing functions
 * ({@link dev.ephemera.tables.hash.HashMix}, from {@code runtime/hash.c}) and structural equality
 * ({@link dev.ephemera.tables.hash.StructuralEquality}, OCaml's {@code compare a b = 0}). The
 * public hash functions built on them — {@code OcamlHash} and the hashed types of
 * {@code HashedTypes} — are in {@code dev.ephemera.tables}.
 *
 * <p>Layer: tables (memory ← object ← gc ← api ← <b>tables</b> ← scheme ← cli), internal; not
 * exported. Uses the API ({@code Heap}, to read values), {@code dev.ephemera.object} and
 * {@code dev.ephemera.tables.layout}; nothing here allocates or calls client code.
 */
package dev.ephemera.tables.hash;
