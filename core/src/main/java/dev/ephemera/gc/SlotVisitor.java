package dev.ephemera.gc;

/**
 * Visits one slot: given its current content, returns what the slot must hold afterwards (the
 * same value, the new address of a moved block, or {@code NONE} for a splatted weak slot).
 */
@FunctionalInterface
interface SlotVisitor {
    long visit(long value);
}
