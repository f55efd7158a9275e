/**
 * The compiler: source data to the machine's nodes. The
 * {@linkplain dev.ephemera.scheme.compile.Expander expander} rewrites the derived forms into
 * core forms, datum to datum; the {@linkplain dev.ephemera.scheme.compile.Compiler compiler}
 * resolves every variable — a global, a slot of a frame, a free variable of a flat closure, or
 * a box when it is both captured and assigned — and builds the nodes.
 *
 * <p><b>Layer</b>: above the machine; internal to the module. It uses the reader's data, the
 * machine's nodes, the runtime and the object layouts, and reports syntax errors as
 * {@code SchemeError}s.
 */
package dev.ephemera.scheme.compile;
