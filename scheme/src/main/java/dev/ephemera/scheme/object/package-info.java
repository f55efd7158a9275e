/**
 * The Scheme's in-heap formats: {@link dev.ephemera.scheme.object.SchemeTag}, the block tag of
 * each kind of Scheme object, and one {@code final} layout class per kind — pairs, vectors,
 * symbols, characters, closures, environment and continuation frames, records, error objects
 * and the rest — with its field offsets and its diagram (core's layout classes, for the
 * Scheme's own objects). Exact integers are the heap's immediates; everything else is a block.
 *
 * <p><b>Layer</b>: the bottom of the Scheme, beside the reader; internal to the module. Its
 * classes hold constants and offset functions only, and use nothing above them.
 */
package dev.ephemera.scheme.object;
