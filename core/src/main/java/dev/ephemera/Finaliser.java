package dev.ephemera;

/**
 * A finalisation function that receives its value (OCaml's {@code 'a -> unit} for
 * {@code Gc.finalise}). The value arrives in a handle, valid for the duration of the call: the
 * function may allocate, collect, store the value somewhere reachable (resurrecting it), or
 * register more finalisers, on it too.
 */
@FunctionalInterface
public interface Finaliser {
    /**
     * Runs the finaliser (OCaml's {@code Gc.finalise f v} calls {@code f v}).
     *
     * @param value the finalised value, rooted for the duration of the call
     */
    void finalise(Handle value);
}
