package dev.ephemera;

/**
 * A finalisation function that receives its value (OCaml's {@code 'a -> unit} for
 * {@code Gc.finalise}). The value arrives in a handle, valid for the duration of the call: the
 * function may allocate, collect, store the value somewhere reachable (resurrecting it), or
 * register more finalisers, on it too.
 */
@FunctionalInterface
public interface Finaliser {
    void finalise(Handle value);
}
