/**
 * The object model's vocabulary, and the two types of it that are API: {@link
 * dev.ephemera.object.Value}, what a 64-bit word means to the heap, and {@link
 * dev.ephemera.object.Tag}, the kinds of block.
 *
 * <p><b>Layer</b>: object, above {@code memory} and below {@code gc}; exported by the module.
 * It uses nothing of ephemera (it may use {@code memory}). The in-heap formats built on this
 * vocabulary — the header word and one layout class per kind of block — are in the internal
 * package {@code dev.ephemera.object.layout}, which uses this one, never the reverse.
 *
 * <h2>Glossary</h2>
 * The words OCaml's {@code mlvalues.h} defines, with ephemera's meaning.
 * <dl>
 * <dt>word</dt>
 * <dd>A {@code long}, 64 bits: the unit of every size in the heap ({@code sizeWords}). Memory is
 *     an arena of {@code long[]} chunks, and a <em>word address</em> is
 *     {@code chunkIndex << 32 | offset}.</dd>
 * <dt>value</dt>
 * <dd>A word that is either an immediate or a pointer; everything a client holds, stores in a
 *     field or passes to the API is a value ({@link dev.ephemera.object.Value}).</dd>
 * <dt>immediate</dt>
 * <dd>A value with low bit 1: a 63-bit signed integer {@code n} stored as {@code (n << 1) | 1}.
 *     Booleans, {@code ()} and other constants are immediates. The collector never follows
 *     one.</dd>
 * <dt>pointer</dt>
 * <dd>A value with low bit 0: the word address of field 0 of a block, shifted left once. The
 *     pointer 0, {@link dev.ephemera.object.Value#NONE}, points nowhere: an empty slot, a
 *     cleared weak reference. A <em>raw</em> pointer (a {@code long} held in a Java local) is
 *     valid only until the next allocation or collection, which may move or free its block;
 *     values that must survive one are kept in roots (handles, global roots, root areas).</dd>
 * <dt>block</dt>
 * <dd>A header followed by {@code sizeWords} fields, allocated in the heap; a pointer designates
 *     it by its field 0, and its header is the word before.</dd>
 * <dt>field</dt>
 * <dd>Word {@code i} of a block, at word address {@code addressOf(v) + i}, counting from 0.
 *     Whether it holds a value or raw data depends on the block's tag.</dd>
 * <dt>header</dt>
 * <dd>The word before field 0, owned by the heap: the block's size in words (its fields, the
 *     header not counted: OCaml's {@code wosize}; 31 bits), its identity hash (22 bits), the
 *     waited bit, its colour (2 bits) and its tag (8 bits), from high bits to low. Clients never
 *     see it; they ask the heap for a block's size and tag.</dd>
 * <dt>tag</dt>
 * <dd>The header's low 8 bits, OCaml's numbering ({@link dev.ephemera.object.Tag}). Below
 *     {@link dev.ephemera.object.Tag#NO_SCAN} the fields are values, which the collector traces;
 *     at or above it they are raw words (strings, doubles, custom blocks) or, for
 *     {@link dev.ephemera.object.Tag#EPHEMERON}, slots that only weak processing looks at.</dd>
 * <dt>identity hash</dt>
 * <dd>A number in [1, 2<sup>22</sup>) stored in the header the first time a client asks for it
 *     (0 until then), and copied when the block moves, so it never depends on an address.</dd>
 * <dt>young, old</dt>
 * <dd>A young block is in the nursery (the minor heap), where blocks of up to 256 fields are
 *     bump-allocated; being young is a test of the pointer's chunk index. A block becomes old
 *     when the first minor collection it survives copies it into the major heap
 *     (<em>promotion</em>); larger blocks and ephemerons are allocated old. Old blocks are
 *     collected by the incremental mark-sweep major cycle, and move only when a compaction
 *     moves them.</dd>
 * <dt>colour</dt>
 * <dd>Two header bits, for the major cycle's tri-colour marking. <em>White</em>: not (yet)
 *     marked in this cycle; every young block is white. <em>Black</em>: marked by the major
 *     marker, or allocated old while a major cycle marks or cleans (alive in this cycle by
 *     construction). <em>Grey</em> is unused: the marker blackens a block when it pushes it on
 *     its mark stack. <em>Blue</em>: a free cell of the major heap, linked in its size class's
 *     free list, not a block. The sweep frees white blocks and whitens black ones. A black
 *     header in the nursery, or in a cell a compaction moved, is a forwarded header.</dd>
 * <dt>forwarded header</dt>
 * <dd>What a block leaves behind when the collector moves it: its header turned black, and the
 *     pointer to the copy in its field 0. A minor collection forwards each young block it
 *     promotes; a compaction forwards each cell it moves (a "forwarding stub"). Only the
 *     collection doing the moving reads forwarded headers; by its end every reference is
 *     updated, and the old place is unmapped (the nursery's chunk index, a remapped chunk) so
 *     that a stale raw pointer to it fails in checked mode instead of reading the stub.</dd>
 * <dt>waited header</dt>
 * <dd>During weak processing, the header of a key some ephemeron waits for (a block not yet
 *     reached in this collection): the collector saves the original header in its waiter table
 *     and writes a copy with the waited bit set and, in place of the identity hash, the index of
 *     the saved header. Size, colour and tag stay valid, so the mutator running between the
 *     slices of an incremental cycle reads a waited header like any other; the identity hash it
 *     reads through the collector. When the key is reached, the original header is written
 *     back; a key never reached is dead, and keeps the bit until its memory is reclaimed (the
 *     nursery emptied, or its cell swept).</dd>
 * </dl>
 */
package dev.ephemera.object;
