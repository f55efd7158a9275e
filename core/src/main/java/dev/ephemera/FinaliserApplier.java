package dev.ephemera;

/**
 * How the heap calls a finalisation function that is itself a heap value — a closure of the
 * language embedding the heap. Registered with {@link Gc#setFinaliserApplier}; used by
 * {@link Gc#finaliseWith} and {@link Gc#finaliseLastWith}.
 */
@FunctionalInterface
public interface FinaliserApplier {
    /**
     * Calls {@code function}; {@code value} is the finalised value for finalise-first
     * registrations, and null for finalise-last ones (which get no value).
     *
     * @param function the registered finalisation function, a heap value
     * @param value the finalised value, or null for a finalise-last registration
     */
    void apply(Handle function, Handle value);
}
