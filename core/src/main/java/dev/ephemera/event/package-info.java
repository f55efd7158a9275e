/**
 * What the collector reports: {@link dev.ephemera.event.GcEvent}, one per collection (a minor
 * collection, a slice or the whole of a major cycle, a compaction), with its pause, sizes and
 * the time of each {@link dev.ephemera.event.Phase}; and
 * {@link dev.ephemera.event.HeapCorruptionError}, the heap verifier's verdict on a broken
 * invariant. Listeners ({@code GcListener}), the GC log, JMX and the Flight Recorder events are
 * all fed from the one stream of events.
 *
 * <p><b>Layer</b>: the bottom of the API, exported by the module. It uses nothing of ephemera,
 * so that {@code gc}, which makes the events, and the API and {@code tables}, which pass them
 * on, can all use it without an upward dependency.
 */
package dev.ephemera.event;
