/**
 * The Scheme's entry point: {@link dev.ephemera.scheme.Scheme}, an interpreter whose every
 * object lives in an ephemera heap (create one, evaluate text, load files, interrupt it), and
 * the three ways an evaluation ends early — {@link dev.ephemera.scheme.SchemeError} (an
 * uncaught raise, a runtime, syntax or read error), {@link dev.ephemera.scheme.SchemeExit}
 * ({@code (exit)}) and {@link dev.ephemera.scheme.SchemeInterrupt}.
 *
 * <p><b>Layer</b>: scheme, above core's tables and below cli; exported by the module
 * {@code dev.ephemera.scheme}. It assembles the Scheme's own packages (reader, compiler,
 * machine, primitives, runtime), and uses core only through what the core module exports. The
 * three exceptions here are thrown from the packages below it.
 */
package dev.ephemera.scheme;
