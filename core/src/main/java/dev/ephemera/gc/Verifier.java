package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.EphemeronLayout;
import dev.ephemera.object.ForeignLayout;
import dev.ephemera.object.Header;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.HashSet;
import java.util.Set;

/**
 * The heap verifier: walks the whole heap and every root and checks the collector's
 * invariants. Run after every collection in checked mode (and in every test).
 *
 * <ol>
 * <li>Every block is well formed: a known colour (white outside a collection; blue only for
 *     free cells), a size that fits its cell, no {@code WAITED} bit, an empty ephemeron link.</li>
 * <li>Every pointer held by a block, a root, a finaliser row, a queued finaliser or a foreign
 *     slot points to the start of an allocated block: a nursery block below the allocation
 *     pointer, an allocated mark-sweep cell, or a large block. Never into a free cell, never
 *     into a retired nursery epoch.</li>
 * <li>The generational invariant: a field of an old block that points into the nursery is in
 *     the remembered set (ephemeron slots in the ephemeron remembered set).</li>
 * <li>The space's accounting: free cells counted by walking equal the cells on the free lists,
 *     and the allocated words equal the sum over allocated cells.</li>
 * </ol>
 */
final class Verifier {
    private final Arena arena;
    private final Nursery nursery;
    private final MajorHeap major;
    private final RememberedSet remembered;
    private final RootSet roots;
    private final FinaliserTable[] finalisers;
    private final FinalisationQueue[] queues;
    private final ForeignTable foreign;

    private String when;
    private Set<Long> youngStarts;
    private Set<Long> rememberedSlots;
    private Set<Long> rememberedEphemeronSlots;

    Verifier(Arena arena, Nursery nursery, MajorHeap major, RememberedSet remembered, RootSet roots,
             FinaliserTable[] finalisers, FinalisationQueue[] queues, ForeignTable foreign) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.remembered = remembered;
        this.roots = roots;
        this.finalisers = finalisers;
        this.queues = queues;
        this.foreign = foreign;
    }

    void verify(String when) {
        this.when = when;
        youngStarts = new HashSet<>();
        rememberedSlots = new HashSet<>();
        rememberedEphemeronSlots = new HashSet<>();
        for (int i = 0; i < remembered.slots.size(); i++) {
            rememberedSlots.add(remembered.slots.get(i));
        }
        for (int i = 0; i < remembered.ephemeronSlots.size(); i += 2) {
            rememberedEphemeronSlots.add(Value.addressOf(remembered.ephemeronSlots.get(i))
                    + remembered.ephemeronSlots.get(i + 1));
        }
        for (long a = nursery.base; a < nursery.top; ) {
            long h = arena.read(a);
            youngStarts.add(a);
            int size = Header.sizeWords(h);
            a += 1 + Math.max(size, 1);
            if (a > nursery.top) {
                fail("nursery block at " + a + " overruns the allocation pointer");
            }
        }
        for (long a = nursery.base; a < nursery.top; ) {
            long h = arena.read(a);
            checkBlock(a, h, true);
            a += 1 + Math.max(Header.sizeWords(h), 1);
        }
        long[] freeCells = {0};
        long[] allocatedWords = {0};
        major.small().forEachCell((headerAddress, cellWords) -> {
            long h = arena.read(headerAddress);
            if (Header.isBlue(h)) {
                freeCells[0]++;
                return;
            }
            if (Header.sizeWords(h) + 1 > cellWords) {
                fail("block at " + describe(headerAddress) + " of " + Header.sizeWords(h)
                        + " words overflows its " + cellWords + "-word cell");
            }
            allocatedWords[0] += Header.sizeWords(h) + 1;
            checkBlock(headerAddress, h, false);
        });
        long listed = major.small().countFreeListCells();
        if (listed != freeCells[0]) {
            fail(freeCells[0] + " free cells in pages but " + listed + " on the free lists");
        }
        if (allocatedWords[0] != major.small().allocatedWords()) {
            fail("allocated words recorded " + major.small().allocatedWords() + " but "
                    + allocatedWords[0] + " found");
        }
        LargeObjectSpace large = major.large();
        for (int i = 0; i < large.count(); i++) {
            long a = large.block(i);
            checkBlock(a, arena.read(a), false);
        }
        roots.forEachStrong(v -> checkRoot(v, "strong root"));
        roots.forEachWeak(v -> checkRoot(v, "weak root"));
        for (FinaliserTable t : finalisers) {
            t.forEachValue(v -> checkRoot(v, "finaliser table"));
        }
        for (FinalisationQueue q : queues) {
            q.forEachRoot(v -> checkRoot(v, "finalisation queue"));
        }
        foreign.forEachBox(v -> {
            checkRoot(v, "foreign table");
            if (Header.tag(arena.read(Value.addressOf(v) - 1)) != Tag.CUSTOM
                    || arena.read(Value.addressOf(v) + ForeignLayout.KIND_FIELD) != ForeignLayout.FOREIGN_KIND) {
                fail("foreign table points to " + Value.describe(v) + ", which is not a foreign box");
            }
            return v;
        });
        youngStarts = null;
        rememberedSlots = null;
        rememberedEphemeronSlots = null;
    }

    private long checkRoot(long v, String what) {
        checkPointer(v, what);
        return v;
    }

    private void checkBlock(long headerAddress, long h, boolean young) {
        long colour = Header.colour(h);
        if (colour != Header.WHITE) {
            fail("block at " + describe(headerAddress) + " has colour " + (colour >>> Header.COLOUR_SHIFT)
                    + " outside a collection");
        }
        if (Header.isWaited(h)) {
            fail("block at " + describe(headerAddress) + " still has its WAITED bit");
        }
        int tag = Header.tag(h);
        int size = Header.sizeWords(h);
        long fields = headerAddress + 1;
        if (tag == Tag.EPHEMERON) {
            if (young) {
                fail("ephemeron at " + describe(headerAddress) + " is in the nursery");
            }
            if (size < EphemeronLayout.ADDITIONAL_WORDS) {
                fail("ephemeron at " + describe(headerAddress) + " has only " + size + " words");
            }
            if (arena.read(fields + EphemeronLayout.LINK_FIELD) != Value.NONE) {
                fail("ephemeron at " + describe(headerAddress) + " has a non-empty link outside a collection");
            }
            for (int i = EphemeronLayout.DATA_FIELD; i < size; i++) {
                long v = arena.read(fields + i);
                checkField(v, "ephemeron", i, headerAddress);
                if (nursery.isYoung(v) && !rememberedEphemeronSlots.contains(fields + i)) {
                    fail("young value in field " + i + " of ephemeron at " + describe(headerAddress)
                            + " is not in the ephemeron remembered set");
                }
            }
            return;
        }
        if (!Tag.isScanned(tag)) {
            return;
        }
        for (int i = 0; i < size; i++) {
            long v = arena.read(fields + i);
            checkField(v, "block", i, headerAddress);
            if (!young && nursery.isYoung(v) && !rememberedSlots.contains(fields + i)) {
                fail("field " + i + " of old block at " + describe(headerAddress)
                        + " points into the nursery but is not in the remembered set");
            }
        }
    }

    /** {@link #checkPointer} for a field, building the description only if the check fails. */
    private void checkField(long v, String kind, int i, long headerAddress) {
        if (Value.isBlock(v) && !isValidPointer(v)) {
            checkPointer(v, "field " + i + " of " + kind + " at " + describe(headerAddress));
        }
    }

    /** The quiet form of {@link #checkPointer}: true if {@code v} passes every check. */
    private boolean isValidPointer(long v) {
        long headerAddress = Value.addressOf(v) - 1;
        if (Value.chunkIndexOf(v) == nursery.chunkIndex) {
            return youngStarts.contains(headerAddress);
        }
        return arena.isMapped(headerAddress)
                && (major.small().isCellStart(headerAddress) || major.large().isBlockStart(headerAddress))
                && !Header.isBlue(arena.read(headerAddress));
    }

    private void checkPointer(long v, String where) {
        if (!Value.isBlock(v)) {
            return;
        }
        long headerAddress = Value.addressOf(v) - 1;
        if (Value.chunkIndexOf(v) == nursery.chunkIndex) {
            if (!youngStarts.contains(headerAddress)) {
                fail(where + " holds " + Value.describe(v) + ", which is not a nursery block");
            }
            return;
        }
        if (!arena.isMapped(headerAddress)) {
            fail(where + " holds " + Value.describe(v) + ", which points into unmapped memory");
        }
        boolean start = major.small().isCellStart(headerAddress) || major.large().isBlockStart(headerAddress);
        if (!start) {
            fail(where + " holds " + Value.describe(v) + ", which is not the start of a block");
        }
        if (Header.isBlue(arena.read(headerAddress))) {
            fail(where + " holds " + Value.describe(v) + ", which points to a free cell");
        }
    }

    private static String describe(long headerAddress) {
        return Value.describe(Value.ofAddress(headerAddress + 1));
    }

    private void fail(String message) {
        throw new HeapCorruptionError("heap verifier (" + when + "): " + message);
    }
}
