package dev.ephemera.scheme;

import dev.ephemera.HeapConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every Scheme test file (src/test/resources/scheme/*.scm) under JUnit: once on a heap with
 * the default nursery, and — for the files that do not build huge structures — once on a
 * 512-word nursery, where a collection happens every few allocations and the verifier runs
 * after each one (tests run in checked mode), so any value the interpreter failed to root
 * shows up as a stale pointer. (512, not the minimum 256: the core allocates blocks of up to
 * 256 fields in the nursery, and a 256-field block — a hashtable's bucket array — needs 257 words.)
 */
class SchemeFilesTest {
    /** Files too large for the tiny-nursery run (each collection verifies the whole heap). */
    private static final java.util.Set<String> HEAVY = java.util.Set.of("tail-and-deep.scm", "lists.scm");

    /**
     * The default nursery. The deep-recursion file builds a million frames; verifying that heap
     * after each of its collections would take minutes, so it runs with a larger nursery and
     * without the per-collection verifier (stale-pointer checks stay on).
     */
    @TestFactory
    Stream<DynamicTest> defaultNursery() throws IOException {
        return SchemeTestFiles.files().stream().map(file -> DynamicTest.dynamicTest(name(file),
                () -> SchemeTestFiles.run(file, name(file).equals("tail-and-deep.scm")
                        ? HeapConfig.defaults().minorHeapWords(1 << 21).verifyEveryCollection(false)
                        : HeapConfig.defaults())));
    }

    @TestFactory
    Stream<DynamicTest> tinyNursery() throws IOException {
        return SchemeTestFiles.files().stream()
                .filter(file -> !HEAVY.contains(name(file)))
                .map(file -> DynamicTest.dynamicTest(name(file), () -> SchemeTestFiles.run(file,
                        HeapConfig.defaults().minorHeapWords(512).initialHeapWords(1 << 16))));
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }
}
