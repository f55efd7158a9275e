/**
 * The in-heap formats: the {@link dev.ephemera.object.layout.Header} word before every block,
 * and one {@code final} descriptor class per kind of block the heap itself makes — ephemerons
 * and weak arrays ({@link dev.ephemera.object.layout.EphemeronLayout}), strings
 * ({@link dev.ephemera.object.layout.StringLayout}), doubles
 * ({@link dev.ephemera.object.layout.DoubleLayout}), foreign boxes
 * ({@link dev.ephemera.object.layout.ForeignLayout}) and guardians
 * ({@link dev.ephemera.object.layout.GuardianLayout}), the marks that tell the blocks of the
 * library's own structures, the tables' included
 * ({@link dev.ephemera.object.layout.StructureMarks}) — and the collector's own formats: the
 * forwarding stub a moved block leaves ({@link dev.ephemera.object.layout.ForwardingLayout})
 * and the free cell of the small-block space ({@link dev.ephemera.object.layout.FreeCellLayout}). Each gives the format's field offsets
 * (static constants) and offset functions, and draws the format in its Javadoc (Agrona's
 * descriptor classes). The words they use are defined in the glossary of
 * {@link dev.ephemera.object}.
 *
 * <p><b>Layer</b>: object, beside {@code dev.ephemera.object}; internal (not exported by the
 * module): the collector, the API's implementation and the tables read these formats, clients
 * never do. It uses {@code Value} and {@code Tag} (and may use {@code memory}); nothing above.
 */
package dev.ephemera.object.layout;
