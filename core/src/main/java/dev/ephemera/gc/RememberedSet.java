package dev.ephemera.gc;

/**
 * The old-to-young remembered sets filled by the {@linkplain WriteBarrier write barrier} and
 * consumed by the minor collection.
 *
 * <ul>
 * <li>{@link #slots}: word addresses of fields of old ordinary blocks that were given a young
 *     pointer (OCaml's {@code ref_table}).</li>
 * <li>{@link #ephemeronSlots}: pairs (ephemeron, field index) of ephemeron slots that were given
 *     a young value (OCaml's {@code ephe_ref_table}); the minor collection applies the ephemeron
 *     rule to them instead of treating them as roots.</li>
 * </ul>
 * An entry is added only when the old content of the slot was not young, so each slot appears
 * at most once per minor cycle unless it was overwritten with an old value in between (a
 * harmless duplicate).
 */
final class RememberedSet {
    final LongStack slots = new LongStack(1024);
    /** Even entries are ephemeron pointers, odd entries the field index. */
    final LongStack ephemeronSlots = new LongStack(256);

    void clear() {
        slots.clear();
        ephemeronSlots.clear();
    }

    boolean isEmpty() {
        return slots.isEmpty() && ephemeronSlots.isEmpty();
    }
}
