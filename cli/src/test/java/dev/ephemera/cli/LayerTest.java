package dev.ephemera.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ephemera.Heap;
import dev.ephemera.scheme.Scheme;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The top of the layer rule (core &lt;- scheme &lt;- cli): the command line uses core and the
 * Scheme only through the packages their modules export. cli itself runs from the class path
 * (a shaded jar), where no module boundary holds, so this test reads the two module
 * descriptors and checks cli's compiled classes against them (ArchUnit). The benchmark suite
 * ({@code dev.ephemera.bench}), which has no module, is cli's to use whole.
 */
class LayerTest {
    /** The packages the module {@code name}, compiled where {@code member} was loaded from, exports. */
    private static Set<String> exportsOf(String name, Class<?> member) {
        Path location;
        try {
            location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
        ModuleDescriptor descriptor = ModuleFinder.of(location).find(name)
                .orElseThrow(() -> new AssertionError("no module " + name + " at " + location)).descriptor();
        Set<String> packages = new TreeSet<>();
        descriptor.exports().forEach(e -> packages.add(e.source()));
        return packages;
    }

    @Test
    void cliUsesCoreAndSchemeOnlyThroughTheirExportedPackages() {
        Set<String> exported = new TreeSet<>(exportsOf("dev.ephemera.core", Heap.class));
        exported.addAll(exportsOf("dev.ephemera.scheme", Scheme.class));
        DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
                "are outside ephemera, in cli or the benchmark suite, or in a package exported by " + exported,
                c -> !c.getPackageName().startsWith("dev.ephemera")
                        || c.getPackageName().startsWith("dev.ephemera.cli")
                        || c.getPackageName().startsWith("dev.ephemera.bench")
                        || exported.contains(c.getPackageName()));
        classes().should().onlyDependOnClassesThat(allowed)
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.ephemera.cli"));
    }
}
