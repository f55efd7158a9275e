/**
 * The {@code ephemera} command (picocli): {@code demo}, the guided tour; {@code repl} and
 * {@code run}, the Scheme's front ends; {@code bench}, the benchmark suite and its charts.
 *
 * <p><b>Layer</b>: cli, the top. It uses core and the Scheme only through the packages their
 * modules export (checked by its {@code LayerTest}), and the benchmark suite whole. Nothing
 * uses it. Its jar names the module {@code dev.ephemera.cli} (Automatic-Module-Name); it runs
 * as a shaded jar on the class path.
 */
package dev.ephemera.cli;
