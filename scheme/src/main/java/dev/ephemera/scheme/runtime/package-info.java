/**
 * Scheme objects on the heap: {@link dev.ephemera.scheme.runtime.SchemeHeap} (the constants,
 * characters, pairs, strings, symbols and vectors, with their predicates and accessors), the
 * weak symbol table ({@link dev.ephemera.scheme.runtime.Symbols}), {@code eqv?} and
 * {@code equal?} ({@link dev.ephemera.scheme.runtime.Equality}) and the same equivalences as
 * core hashed types for the hashtables, and the interpreter's registers and scratch stack, one
 * registered root area ({@link dev.ephemera.scheme.runtime.Stack}).
 *
 * <p><b>Layer</b>: above the Scheme's object layouts, below the machine; internal to the
 * module. It uses core's API, {@code Value}/{@code Tag} and tables, and
 * {@code dev.ephemera.scheme.object}.
 */
package dev.ephemera.scheme.runtime;
