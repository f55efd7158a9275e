package dev.ephemera;

/**
 * Checked mode: a pointer that is not the start of any block of this heap — one into the middle
 * of a block, at a header-looking word written inside a block, outside every block, or a random
 * number that happens to be even. Raw pointers must come from the heap, unaltered; this one was
 * made up (or, rarely, is so old that its memory was reused). A kind of
 * {@link StalePointerException}, so code that handles bad pointers handles both; the heap is left
 * untouched.
 */
public class ForgedPointerException extends StalePointerException {
    private static final long serialVersionUID = 1L;

    /**
     * A forged pointer reported under {@code message}, which names the operation and the value.
     *
     * @param message the message
     */
    public ForgedPointerException(String message) {
        super(message);
    }
}
