/**
 * The procedures written in Java, one class per area: lists and equivalence, numbers, strings,
 * characters and symbols, vectors, records, output, control (exceptions, {@code apply}), the
 * weak features (SRFI 124 ephemerons, weak boxes, guardians) straight onto the heap's own, and
 * the SRFI 126 hashtables over core's tables. Their argument checks ({@code Args}) raise
 * errors that name the procedure and the offending value.
 *
 * <p><b>Layer</b>: above the machine, beside the compiler; internal to the module. It uses
 * core's API, {@code Value}/{@code Tag} and tables, the machine (its stack and the
 * {@code Primitive} interface), the runtime, the object layouts and the reader.
 */
package dev.ephemera.scheme.primitives;
