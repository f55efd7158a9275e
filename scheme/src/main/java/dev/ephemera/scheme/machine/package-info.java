/**
 * The evaluator: {@link dev.ephemera.scheme.machine.Machine}, a register machine whose
 * continuation is a chain of heap-allocated frames, so that Scheme calls never use the Java
 * stack; the compiled {@linkplain dev.ephemera.scheme.machine.Node nodes} it drives; the global
 * environment and the constants of compiled code, each in a registered root area; the
 * {@link dev.ephemera.scheme.machine.Primitive} interface of procedures written in Java; the
 * printer and backtraces.
 *
 * <p><b>Layer</b>: above the runtime, below the compiler and the primitives; internal to the
 * module. It uses core's API, the runtime, the object layouts, the reader's source positions,
 * and throws the exceptions of {@code dev.ephemera.scheme}.
 */
package dev.ephemera.scheme.machine;
