package dev.ephemera.scheme.object;

/**
 * The entry {@code guard} pushes on the handler stack ({@link SchemeTag#GUARD_HANDLER}). The
 * handler stack is a list in the handlers register whose elements are procedures (installed by
 * {@code with-exception-handler}) or these entries; {@code raise} reaching one unwinds to its
 * frame in one step, because continuation frames are heap blocks.
 *
 * <pre>
 *   header(tag 15, size 1) | the guard's continuation frame
 *   field:                    0
 * </pre>
 */
public final class HandlerLayout {
    public static final int FRAME_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private HandlerLayout() {}
}
