package dev.ephemera.scheme.object;

/**
 * A variable cell ({@link SchemeTag#BOX}): the home of a local variable that a closure captures
 * and that is also assigned ({@code set!}, or an internal definition run after the capture).
 * Closures copy the values of their free variables; a variable that can change after the copy
 * is shared through one of these instead, so every closure and the defining frame see the same
 * value. Boxes are not Scheme values: no program can get hold of one.
 *
 * <pre>
 *   header(tag 17, size 1) | value
 *   field:                    0
 * </pre>
 */
public final class BoxLayout {
    public static final int VALUE_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private BoxLayout() {}
}
