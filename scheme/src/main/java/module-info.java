/**
 * A small R7RS-flavoured Scheme whose every object lives in an ephemera heap, with SRFI 124
 * ephemerons, guardians and SRFI 126 weak hash tables on the heap's own.
 *
 * <p>It exports the interpreter ({@code dev.ephemera.scheme}: {@code Scheme} and the errors
 * its evaluation throws) and the reader ({@code dev.ephemera.scheme.read}, which a REPL uses
 * to tell a complete datum from an unfinished one). The compiler, the machine, the object
 * layouts, the primitives and the runtime are its own. It uses the core module through what
 * that exports and nothing else — the module system checks it — and {@code requires
 * transitive} it, since {@code Scheme.heap()} hands out the {@code Heap}.
 */
module dev.ephemera.scheme {
    requires transitive dev.ephemera.core;

    exports dev.ephemera.scheme;
    exports dev.ephemera.scheme.read;
}
