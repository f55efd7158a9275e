package dev.ephemera;

/**
 * A root slot in a {@link Scope}: the value it holds stays alive, and is updated when its block
 * moves, until the scope closes. Reading a handle gives a raw pointer, valid until the next
 * allocation; read the handle again after allocating.
 */
public final class Handle {
    private final Scope scope;
    private final int slot;

    Handle(Scope scope, int slot) {
        this.scope = scope;
        this.slot = slot;
    }

    /** {@return the current value} */
    public long get() {
        scope.checkOpen("Handle.get");
        scope.checks.enterFast("Handle.get");
        return scope.stack.getUnchecked(slot);
    }

    /**
     * Replaces the value.
     *
     * @param v the new value: an immediate, {@code Value.NONE} or a pointer to a live block
     */
    public void set(long v) {
        scope.checkOpen("Handle.set");
        scope.checks.checkValue("Handle.set", v);
        scope.stack.setUnchecked(slot, v);
    }
}
