package dev.ephemera.object.layout;

import dev.ephemera.object.Tag;

/**
 * Layout of a foreign box: a {@link Tag#CUSTOM} block that stands for a Java object held
 * outside the heap (a callback, a hashed-type strategy, a port). The heap keeps a table of such
 * objects; the box holds the index of its entry, and the entry is released when the box dies.
 *
 * <pre>
 *   header | kind = FOREIGN_KIND | slot index      (raw words, not traced)
 * </pre>
 */
public final class ForeignLayout {
    /** Field 0 of every custom block names its kind; this is the kind of foreign boxes. */
    public static final int KIND_FIELD = 0;
    public static final long FOREIGN_KIND = 0x466F726569676EL; // "Foreign"
    public static final int SLOT_FIELD = 1;
    public static final int SIZE_WORDS = 2;

    private ForeignLayout() {}
}
