package dev.ephemera.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without checked mode a made-up pointer is not detected in general — it reads whatever block
 * its address names — but one that lies outside every chunk, or in a chunk no longer mapped,
 * must still be refused with the API's exception naming the accessor, never escape as the
 * JVM's {@code ArrayIndexOutOfBoundsException} or {@code NullPointerException} (the hot
 * accessors' range tests replace the JVM's bounds checks). Unchecked mode is read once per JVM,
 * so the cases run in a child JVM.
 */
class UncheckedPointersTest {
    @Test
    void pointersOutsideEveryChunkAreRefusedByTheApiNotTheJvm() {
        ChildJvm.Result r = ChildJvm.run(UncheckedPointers.class, List.of("-Dephemera.checked=false"), 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> lines = r.output().lines().filter(l -> !l.startsWith("heap usable")).toList();
        assertThat(lines).hasSize(6 * 10);
        for (String line : lines) {
            String[] w = line.split(" ");
            String expected = w[0].equals("stale-young") ? "StalePointerException" : "ForgedPointerException";
            assertThat(w[2]).as(line).isEqualTo(expected);
        }
        assertThat(r.output()).contains("heap usable: 0");
    }

    /**
     * Stored as a value, such a pointer is not looked at outside checked mode; the collection
     * that traces it must report the heap corrupt ({@code HeapCorruptionError}), never let the
     * JVM's exception out, and refuse every collection after it; closing the heap still works.
     */
    @Test
    void aPointerOutsideEveryChunkStoredAsAValueMakesTheNextCollectionReportTheHeapCorrupt() {
        ChildJvm.Result r = ChildJvm.run(StoredUncheckedPointers.class, List.of("-Dephemera.checked=false"), 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().lines().toList()).as(r.output()).containsExactly(
                "setField store=returned fullMajor=HeapCorruptionError minor=HeapCorruptionError close=returned",
                "Weak.set store=returned fullMajor=HeapCorruptionError minor=HeapCorruptionError close=returned",
                "K1.setData store=returned fullMajor=HeapCorruptionError minor=HeapCorruptionError close=returned",
                "alloc store=returned fullMajor=HeapCorruptionError minor=HeapCorruptionError close=returned",
                "Handle.set store=returned fullMajor=HeapCorruptionError minor=HeapCorruptionError close=returned",
                "marking stores=HeapCorruptionError",
                "cleaning read=HeapCorruptionError");
    }
}
