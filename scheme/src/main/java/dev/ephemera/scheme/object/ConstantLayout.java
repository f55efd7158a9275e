package dev.ephemera.scheme.object;

/**
 * A unique constant ({@link SchemeTag#CONSTANT}): the empty list, {@code #t}, {@code #f}, the
 * eof object, the unspecified value, the "unassigned" marker of letrec variables and the
 * "default" marker of omitted optional arguments. Each exists once per interpreter, held by its
 * constant root area, so they are compared by identity.
 *
 * <pre>
 *   header(tag 11, size 1) | code (immediate, see {@code Constants})
 *   field:                    0
 * </pre>
 */
public final class ConstantLayout {
    public static final int CODE_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private ConstantLayout() {}
}
