package dev.ephemera.scheme.primitives;

import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.runtime.Equality;

/** SRFI 126 hashtables (to come). */
public final class HashtablePrimitives {
    private HashtablePrimitives() {}

    public static void install(Machine m, Equality eq) {
    }
}
