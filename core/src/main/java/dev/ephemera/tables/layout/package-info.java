/**
 * The in-heap formats of the tables layer: one final class per format, each with its field
 * offsets, its encodings and an ASCII diagram — {@link dev.ephemera.tables.layout.TableLayout}
 * (ephemeron hash tables and their cells), {@link dev.ephemera.tables.layout.WeakSetLayout}
 * (weak hash sets), {@link dev.ephemera.tables.layout.GuardLayout} (the modification guard's two
 * words, shared by both), {@link dev.ephemera.tables.layout.BucketLayout} (ephemeron buckets),
 * {@link dev.ephemera.tables.layout.EntriesLayout} (a snapshot's entries) and
 * {@link dev.ephemera.tables.layout.OcamlFormats} (the fields of OCaml's own blocks that hashing
 * reads). No other class of the layer names a field by its number.
 *
 * <p>Layer: tables (memory ← object ← gc ← api ← <b>tables</b> ← scheme ← cli), internal; not
 * exported. Uses only {@code dev.ephemera.object} ({@code Value}); used by the rest of the
 * tables layer. Holds no code but encodings: constants and pure functions of words.
 */
package dev.ephemera.tables.layout;
