package dev.ephemera.scheme.object;

/**
 * A local environment frame ({@link SchemeTag#ENVIRONMENT}), made when a procedure is entered:
 * its parameters, its rest list and its internal definitions, addressed lexically
 * (depth, index) by the compiler. Global variables live in the interpreter's global root area.
 *
 * <pre>
 *   header(tag 6, size 1+n) | parent environment (or NONE) | slot 0 | ... | slot n-1
 *   field:                     0                              1             n
 * </pre>
 * A slot of a {@code letrec}/internal definition holds the "unassigned" constant until its
 * definition has run.
 */
public final class EnvironmentLayout {
    public static final int PARENT_FIELD = 0;
    public static final int FIRST_SLOT_FIELD = 1;

    private EnvironmentLayout() {}

    /** Block size for {@code slots} variables. */
    public static int sizeWords(int slots) {
        return FIRST_SLOT_FIELD + slots;
    }

    /** Field index of variable {@code i}. */
    public static int slotField(int i) {
        return FIRST_SLOT_FIELD + i;
    }
}
