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
    private final Roots roots;
    /** The heap's root stack, which holds the handles, and the entry checks: read by every handle's get and set. */
    final RootStack stack;
    final EntryChecks checks;
    private final int depth;
    private final int mark;
    private boolean closed;

    Scope(Roots roots, int depth) {
        this.roots = roots;
        this.stack = roots.stack();
        this.checks = roots.checks();
        this.depth = depth;
        this.mark = stack.top;
    }

    /**
     * {@return a new handle holding {@code v}, rooted until this scope closes} Only the innermost
     * open scope can make handles.
     *
     * @param v the value to hold: an immediate, {@code Value.NONE} or a pointer to a live block
     */
    public Handle handle(long v) {
        if (closed || depth != roots.scopeDepth() || CheckedMode.ON || !checks.usableFast()) {
            return handleSlow(v);
        }
        return new Handle(this, stack.pushUnchecked(v));
    }

    private Handle handleSlow(long v) {
        checkOpen("Scope.handle");
        checks.enter("Scope.handle");
        if (depth != roots.scopeDepth()) {
            throw new ScopeClosedException("Scope.handle: only the innermost open scope can make handles"
                    + " (this scope is at depth " + depth + ", the innermost at " + roots.scopeDepth() + ")");
        }
        checks.checkValue("Scope.handle", v);
        return new Handle(this, stack.pushUnchecked(v));
    }

    /** Releases every handle made in this scope. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checks.enter("Scope.close");
        if (depth != roots.scopeDepth()) {
            throw new ScopeClosedException("Scope.close: scope at depth " + depth
                    + " closed while an inner scope (depth " + roots.scopeDepth() + ") is still open");
        }
        stack.popToUnchecked(mark);
        roots.scopeClosed();
        closed = true;
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
