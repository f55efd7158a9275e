package dev.ephemera.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.HeapConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds and runs the Scheme test files in {@code src/test/resources/scheme}. */
final class SchemeTestFiles {
    private SchemeTestFiles() {}

    static Path directory() {
        try {
            return Path.of(SchemeTestFiles.class.getResource("/scheme/_harness.scm").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test files: every {@code .scm} file whose name does not start with {@code _}. */
    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(directory())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".scm"))
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Runs {@code file} with the harness on a heap configured by {@code config}; fails on any failed assertion. */
    static void run(Path file, HeapConfig config) {
        try (Scheme scheme = Scheme.create(config)) {
            scheme.load(directory().resolve("_harness.scm"));
            scheme.load(file);
            String failures = scheme.evalToString("(test-failures)");
            int passes = Integer.parseInt(scheme.evalToString("(test-passes)"));
            assertThat(failures).as("failed assertions in " + file.getFileName()).isEqualTo("()");
            assertThat(passes).as("assertions run in " + file.getFileName()).isPositive();
        }
    }
}
