/**
 * Memory as words: the {@link dev.ephemera.memory.Arena}, {@code long[]} chunks addressed by a
 * {@code long} word address ({@code chunkIndex << 32 | offset}), with unmapped chunk indices
 * that make a stale address fail loudly; and the {@link dev.ephemera.memory.ChunkSupply}, which
 * zeroes standard-size chunks ahead of need on a background thread.
 *
 * <p><b>Layer</b>: memory, the bottom; internal (not exported by the module). It knows nothing
 * of blocks, values or collection, and uses nothing of ephemera.
 */
package dev.ephemera.memory;
