package dev.ephemera.scheme.object;

/**
 * A local environment frame ({@link SchemeTag#ENVIRONMENT}): the variables of one activation of
 * a procedure body, or of a block ({@code let}, a {@code guard} body or handler) inside one,
 * addressed lexically (links out, slot) by the compiler. Global variables live in the
 * interpreter's global root area.
 *
 * <pre>
 *   header(tag 6, size 1+n) | link | slot 0 | ... | slot n-1
 *   field:                     0      1             n
 * </pre>
 * The link of a procedure's frame is the closure being applied — where its free variables
 * are; the link of a block's frame is the frame it appears in; at top level it is NONE. So a
 * chain of links stays inside one procedure activation and ends at its closure: frames are
 * reachable only while that activation is (from the registers and the continuation), never
 * from a closure made inside it.
 *
 * <p>A slot of a {@code letrec}/internal definition holds the "unassigned" constant until its
 * definition has run. A slot of a variable that is both captured and assigned holds a
 * {@link BoxLayout box}, made when the frame is.
 */
public final class EnvironmentLayout {
    public static final int LINK_FIELD = 0;
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
