/**
 * ephemera's heap: a garbage-collected object heap for the JVM with the exact semantics of
 * OCaml's and MPS's ephemerons, weak pointers, weak hash tables and finalisation.
 *
 * <p>The module exports the API and nothing under it:
 * <ul>
 *   <li>{@code dev.ephemera}: the heap and its façades ({@code Heap}, {@code Gc},
 *       {@code Ephemerons}, {@code Weak}, {@code Finalisation}, {@code Guardians},
 *       {@code Messages}), handles, roots and scopes, and the exceptions the API throws;</li>
 *   <li>{@code dev.ephemera.event}: what a collection reports ({@code GcEvent}, {@code Phase})
 *       and the verifier's {@code HeapCorruptionError};</li>
 *   <li>{@code dev.ephemera.object}: the value encoding ({@code Value}) and the block tags
 *       ({@code Tag});</li>
 *   <li>{@code dev.ephemera.tables}: the weak hash tables (OCaml's {@code Hashtbl},
 *       {@code Ephemeron} and {@code Weak} modules, SRFI 126).</li>
 * </ul>
 * The layers below the API stay inside: {@code dev.ephemera.memory} (the word arena),
 * {@code dev.ephemera.object.layout} (header and in-heap formats) and {@code dev.ephemera.gc}
 * (the collector). The module boundary is what keeps a client from reaching past the API into
 * the collector; inside it, the layer rule (memory, object, gc, API, tables, each using only
 * those before it) is checked by the architecture test.
 *
 * <p>{@code jdk.jfr} carries the heap's Flight Recorder events and {@code java.management} its
 * {@code HeapMXBean}.
 */
module dev.ephemera.core {
    requires java.management;
    requires jdk.jfr;

    exports dev.ephemera;
    exports dev.ephemera.event;
    exports dev.ephemera.object;
    exports dev.ephemera.tables;
}
