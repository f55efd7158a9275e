/**
 * The reader: R7RS external syntax (minus rationals and complex numbers) turned into
 * {@linkplain dev.ephemera.scheme.read.Datum data} that are plain Java values, so that the
 * compiler never holds a raw heap pointer; with the source position of every datum, and a
 * {@link dev.ephemera.scheme.read.ReadError} that tells an unfinished datum from a wrong one
 * (what a REPL needs to keep a line open).
 *
 * <p><b>Layer</b>: the bottom of the Scheme; exported by the module (cli's REPL reads with it).
 * It uses nothing of the heap nor of the rest of the Scheme.
 */
package dev.ephemera.scheme.read;
