package dev.ephemera.scheme.machine;

/**
 * A node that reads or writes a local variable. Whether the variable lives in a
 * {@linkplain dev.ephemera.scheme.object.BoxLayout box} is known only once the compiler has seen
 * every use of it (it must be both captured by a closure and assigned), which is after the use
 * was compiled; the compiler then calls {@link #useBox()}, before the node first runs.
 */
public interface Boxable {
    /** From now on the variable's slot (or free-variable field) holds a box around its value. */
    void useBox();
}
