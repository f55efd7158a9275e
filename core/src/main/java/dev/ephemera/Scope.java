package dev.ephemera;

/**
 * A scope of handles (V8's HandleScope, OCaml's {@code CAMLparam}/{@code CAMLlocal}): handles
 * made in it are roots until it is closed. Scopes nest and must be closed innermost first; use
 * try-with-resources:
 *
 * <pre>{@code
 * try (Scope s = heap.openScope()) {
 *     Handle list = s.handle(Value.ofInt(0));
 *     for (int i = 0; i < n; i++) {
 *         list.set(heap.alloc(0, Value.ofInt(i), list.get()));   // safe: alloc roots its arguments
 *     }
 *     return heap.field(list.get(), 0);                            // raw result, valid until next allocation
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    final Heap heap;
    private final int depth;
    private final int mark;
    private boolean closed;

    Scope(Heap heap, int depth) {
        this.heap = heap;
        this.depth = depth;
        this.mark = heap.roots.handleTop();
    }

    /**
     * {@return a new handle holding {@code v}, rooted until this scope closes} Only the innermost
     * open scope can make handles.
     *
     * @param v the value to hold: an immediate, {@code NONE} or a pointer to a live block
     */
    public Handle handle(long v) {
        if (closed || depth != heap.scopeDepth || CheckedMode.ON || !heap.usableFast()) {
            return handleSlow(v);
        }
        return new Handle(this, heap.roots.pushHandle(v));
    }

    private Handle handleSlow(long v) {
        checkOpen("Scope.handle");
        heap.enter("Scope.handle");
        if (depth != heap.scopeDepth) {
            throw new ScopeClosedException("Scope.handle: only the innermost open scope can make handles"
                    + " (this scope is at depth " + depth + ", the innermost at " + heap.scopeDepth + ")");
        }
        heap.checkValue("Scope.handle", v);
        return new Handle(this, heap.roots.pushHandle(v));
    }

    /** Releases every handle made in this scope. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        heap.enter("Scope.close");
        if (depth != heap.scopeDepth) {
            closeOutOfOrder();
        }
        heap.roots.popHandlesTo(mark);
        heap.scopeDepth--;
        closed = true;
    }

    private void closeOutOfOrder() {
        if (depth != heap.scopeDepth) {
            throw new ScopeClosedException("Scope.close: scope at depth " + depth
                    + " closed while an inner scope (depth " + heap.scopeDepth + ") is still open");
        }
    }

    /** {@return whether this scope has been closed (its handles no longer root anything)} */
    public boolean isClosed() {
        return closed;
    }

    void checkOpen(String op) {
        if (closed) {
            throw new ScopeClosedException(op + ": the handle's scope is closed");
        }
    }
}
