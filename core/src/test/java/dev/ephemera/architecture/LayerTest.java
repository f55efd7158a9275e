package dev.ephemera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.ephemera.Heap;
import org.junit.jupiter.api.Test;

/**
 * The layer rule of core, checked on the compiled classes (ArchUnit): dependencies point down
 * only.
 *
 * <pre>
 *   tables              dev.ephemera.tables..   the weak hash tables, built on the API
 *   API                 dev.ephemera            the heap and its façades
 *   gc                  dev.ephemera.gc         the collector
 *   object layouts      dev.ephemera.object.layout
 *   object              dev.ephemera.object     Value, Tag
 *   memory              dev.ephemera.memory     the word arena
 *   event               dev.ephemera.event      what collections report; uses no other package
 * </pre>
 *
 * Each layer may use the layers below it, except that tables reach the heap through the API,
 * never the collector or the arena; the event types, which every layer from gc up reports with,
 * use nothing of ephemera. The module descriptor (see {@link ModuleTest}) keeps clients to the
 * API; this test keeps the layers inside it in order. A constant ({@code static final}
 * primitive or string) is copied into the class that reads it, so a use of a constant alone
 * leaves no dependency to check.
 */
class LayerTest {
    /** Where core's own classes are: the other modules on the test class path (test-support) are not core. */
    private static final String CORE_LOCATION =
            Heap.class.getProtectionDomain().getCodeSource().getLocation().toString();
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> location.asURI().toString().startsWith(CORE_LOCATION))
            .importPackages("dev.ephemera");

    @Test
    void everyLayerUsesOnlyTheLayersBelowIt() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("event").definedBy("dev.ephemera.event..")
                .layer("memory").definedBy("dev.ephemera.memory..")
                .layer("object").definedBy("dev.ephemera.object")
                .layer("object layouts").definedBy("dev.ephemera.object.layout..")
                .layer("gc").definedBy("dev.ephemera.gc..")
                .layer("API").definedBy("dev.ephemera")
                .layer("tables").definedBy("dev.ephemera.tables..")
                .whereLayer("event").mayNotAccessAnyLayer()
                .whereLayer("memory").mayNotAccessAnyLayer()
                .whereLayer("object").mayOnlyAccessLayers("memory")
                .whereLayer("object layouts").mayOnlyAccessLayers("memory", "object")
                .whereLayer("gc").mayOnlyAccessLayers("event", "memory", "object", "object layouts")
                .whereLayer("API").mayOnlyAccessLayers("event", "memory", "object", "object layouts", "gc")
                .whereLayer("tables").mayOnlyAccessLayers("event", "object", "object layouts", "API");
        rule.check(CORE);
    }

    /** A package outside the layers would escape the rule above: every package is in one. */
    @Test
    void everyPackageBelongsToALayer() {
        classes().should().resideInAnyPackage("dev.ephemera", "dev.ephemera.event..", "dev.ephemera.memory..",
                        "dev.ephemera.object", "dev.ephemera.object.layout..", "dev.ephemera.gc..",
                        "dev.ephemera.tables..")
                .check(CORE);
    }
}
