package dev.ephemera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.ChildJvm;
import dev.ephemera.Heap;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled module descriptor of core: it exports the API and nothing under it. The tests
 * themselves run on the class path (where the descriptor is ignored), so this test reads the
 * descriptor from the compiled classes, and runs a client against the module in a JVM of its
 * own.
 */
class ModuleTest {
    /** The packages a client may use; everything else in the module is sealed. */
    static final Set<String> EXPORTED = Set.of("dev.ephemera", "dev.ephemera.event", "dev.ephemera.object",
            "dev.ephemera.tables");

    /** Where the module's classes were compiled to (target/classes under Maven). */
    static Path moduleLocation() {
        try {
            return Path.of(Heap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static ModuleDescriptor descriptor() {
        return ModuleFinder.of(moduleLocation()).find("dev.ephemera.core")
                .orElseThrow(() -> new AssertionError("no module dev.ephemera.core at " + moduleLocation()))
                .descriptor();
    }

    @Test
    void exportsExactlyTheApiPackages() {
        ModuleDescriptor core = descriptor();
        assertThat(core.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.toString()).isFalse());
        assertThat(core.exports().stream().map(Exports::source).collect(Collectors.toSet())).isEqualTo(EXPORTED);
        assertThat(core.opens()).isEmpty();
        assertThat(core.packages()).contains("dev.ephemera.gc", "dev.ephemera.memory", "dev.ephemera.object.layout");
    }

    @Test
    void requiresOnlyThePlatformModulesItUses() {
        assertThat(descriptor().requires().stream().map(Requires::name).collect(Collectors.toSet()))
                .isEqualTo(Set.of("java.base", "java.management", "jdk.jfr"));
    }

    @Test
    void aClientOnTheModulePathSeesTheApiItsFlightRecorderEventsAndItsMBean() {
        ChildJvm.Result r = ChildJvm.runOnModulePath(ModuleClient.class, moduleLocation(), List.of(), 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("module=dev.ephemera.core", "gc-exported=false");
        assertThat(r.output()).containsPattern("jmx-collections=[1-9]");
        assertThat(r.output()).containsPattern("jfr-collections=[1-9]");
    }
}
