package dev.ephemera.gc;

import dev.ephemera.event.HeapCorruptionError;
import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.ForeignLayout;
import dev.ephemera.object.layout.Header;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The heap verifier: walks the whole heap and every root and checks the collector's
 * invariants. Run after every minor collection and every slice of a major cycle in checked mode
 * (and in every test), so it checks the heap the mutator is about to see.
 *
 * <ol>
 * <li><b>Shape.</b> Every block is well formed: a colour its place allows (white when no cycle
 *     runs; white or black while one marks or cleans; white in swept pages, either in pages the
 *     sweep has not reached; blue only for free cells), a size that fits its cell, a waited
 *     header only on a white block while a cycle runs, an ephemeron link half in use only by
 *     the cycle.</li>
 * <li><b>Pointers.</b> Every pointer held by a live block, a root, a finaliser row, a queued
 *     finaliser or a foreign slot points to the start of an allocated block: a nursery block
 *     below the allocation pointer, an allocated mark-sweep cell, or a large block.</li>
 * <li><b>Generational.</b> A field of an old block that points into the nursery is in the
 *     remembered set (ephemeron slots in the ephemeron remembered set).</li>
 * <li><b>Marking</b> (while a cycle marks): the tricolour invariant the snapshot keeps — a white
 *     old block that a root, a black block or a young block points to is reachable from the
 *     grey set (blocks marked but not yet scanned) through white blocks. A black ephemeron not
 *     waiting for a check does not hold white data unless that data is so reachable.</li>
 * <li><b>After marking</b> (cleaning and sweeping): nothing live points to a dead block — a
 *     white block while cleaning, a white block in a page not yet swept — and an ephemeron
 *     whose full keys are all alive has its data alive (the fixpoint was reached).</li>
 * <li><b>Accounting.</b> Free cells counted by walking swept pages equal the cells on the free
 *     lists, and the allocated words equal the sum over allocated cells.</li>
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
    private final MajorCycle cycle;
    private final Marker marker;
    private final EphemeronFixpoint ephemerons;

    private String when;
    private MajorCycle.State state;
    private Set<Long> youngStarts;
    private Set<Long> rememberedSlots;
    private Set<Long> rememberedEphemeronSlots;
    /** Header addresses of blocks in pages not yet swept (while sweeping). */
    private Set<Long> unswept;
    /** While marking: header addresses of white blocks reachable from the grey set through white blocks. */
    private Set<Long> protectedWhite;
    /** While marking: ephemerons queued or waiting (their data is handled by the fixpoint). */
    private Set<Long> pendingEphemerons;

    Verifier(Arena arena, Nursery nursery, MajorHeap major, RememberedSet remembered, RootSet roots,
             FinaliserTable[] finalisers, FinalisationQueue[] queues, ForeignTable foreign,
             MajorCycle cycle, Marker marker, EphemeronFixpoint ephemerons) {
        this.arena = arena;
        this.nursery = nursery;
        this.major = major;
        this.remembered = remembered;
        this.roots = roots;
        this.finalisers = finalisers;
        this.queues = queues;
        this.foreign = foreign;
        this.cycle = cycle;
        this.marker = marker;
        this.ephemerons = ephemerons;
    }

    void verify(String when) {
        this.when = when;
        this.state = cycle.state();
        youngStarts = new HashSet<>();
        rememberedSlots = new HashSet<>();
        rememberedEphemeronSlots = new HashSet<>();
        unswept = new HashSet<>();
        try {
            collectRemembered();
            walkNursery();
            if (state == MajorCycle.State.SWEEP) {
                major.small().forEachCell((headerAddress, cellWords, swept) -> {
                    if (!swept) {
                        unswept.add(headerAddress);
                    }
                });
                major.large().forEachBlock((headerAddress, swept) -> {
                    if (!swept) {
                        unswept.add(headerAddress);
                    }
                });
            }
            if (state == MajorCycle.State.MARK) {
                computeProtected();
            }
            for (long a = nursery.base; a < nursery.top; ) {
                long h = arena.read(a);
                checkBlock(a, h, true);
                a += 1 + Math.max(Header.sizeWords(h), 1);
            }
            checkMajorHeap();
            roots.forEachStrong(v -> checkRoot(v, "strong root", true));
            roots.forEachWeak(v -> checkRoot(v, "weak root", state != MajorCycle.State.MARK));
            for (FinaliserTable t : finalisers) {
                t.forEachValue(v -> checkRoot(v, "finaliser table", false));
                t.forEachRootFunction(v -> checkRoot(v, "finalisation function", true));
            }
            for (FinalisationQueue q : queues) {
                q.forEachRoot(v -> checkRoot(v, "finalisation queue", true));
            }
            foreign.forEachBox(v -> {
                checkRoot(v, "foreign table", false);
                if (Header.tag(arena.read(Header.addressOf(Value.addressOf(v)))) != Tag.CUSTOM
                        || arena.read(Value.addressOf(v) + ForeignLayout.KIND_FIELD) != ForeignLayout.FOREIGN_KIND) {
                    fail("foreign table points to " + Value.describe(v) + ", which is not a foreign box");
                }
                return v;
            });
        } finally {
            youngStarts = null;
            rememberedSlots = null;
            rememberedEphemeronSlots = null;
            unswept = null;
            protectedWhite = null;
            pendingEphemerons = null;
        }
    }

    private void collectRemembered() {
        for (int i = 0; i < remembered.slots.size(); i++) {
            rememberedSlots.add(remembered.slots.get(i));
        }
        for (int i = 0; i < remembered.ephemeronSlots.size(); i += 2) {
            rememberedEphemeronSlots.add(Value.addressOf(remembered.ephemeronSlots.get(i))
                    + remembered.ephemeronSlots.get(i + 1));
        }
    }

    private void walkNursery() {
        for (long a = nursery.base; a < nursery.top; ) {
            long h = arena.read(a);
            youngStarts.add(a);
            a += 1 + Math.max(Header.sizeWords(h), 1);
            if (a > nursery.top) {
                fail("nursery block at " + a + " overruns the allocation pointer");
            }
        }
    }

    private void checkMajorHeap() {
        long[] freeCells = {0};
        long[] allocatedWords = {0};
        major.small().forEachCell((headerAddress, cellWords, swept) -> {
            long h = arena.read(headerAddress);
            if (Header.isBlue(h)) {
                if (swept) {
                    freeCells[0]++;
                }
                return;
            }
            if (Header.blockWords(Header.sizeWords(h)) > cellWords) {
                fail("block at " + describe(headerAddress) + " of " + Header.sizeWords(h)
                        + " words overflows its " + cellWords + "-word cell");
            }
            allocatedWords[0] += Header.blockWords(Header.sizeWords(h));
            checkBlock(headerAddress, h, false);
        });
        long listed = major.small().countFreeListCells();
        if (listed != freeCells[0]) {
            fail(freeCells[0] + " free cells in swept pages but " + listed + " on the free lists");
        }
        if (allocatedWords[0] != major.small().allocatedWords()) {
            fail("allocated words recorded " + major.small().allocatedWords() + " but "
                    + allocatedWords[0] + " found");
        }
        major.large().forEachBlock((headerAddress, swept) -> checkBlock(headerAddress, arena.read(headerAddress), false));
    }

    /** True if the old block whose header is at {@code headerAddress}, with header {@code h}, is dead (cycle's view). */
    private boolean isDead(long headerAddress, long h) {
        if (!Header.isWhite(h)) {
            return false;
        }
        switch (state) {
            case CLEAN:
                return true;
            case SWEEP:
                return unswept.contains(headerAddress);
            default:
                return false;
        }
    }

    private void checkBlock(long headerAddress, long h, boolean young) {
        long colour = Header.colour(h);
        if (young) {
            if (colour != Header.WHITE) {
                fail("young block at " + describe(headerAddress) + " has colour " + colourName(colour));
            }
        } else if (colour == Header.BLACK) {
            boolean allowed = state == MajorCycle.State.MARK || state == MajorCycle.State.CLEAN
                    || (state == MajorCycle.State.SWEEP && unswept.contains(headerAddress));
            if (!allowed) {
                fail("block at " + describe(headerAddress) + " has colour black "
                        + (state == MajorCycle.State.SWEEP ? "in a page already swept" : "while no cycle marks"));
            }
        } else if (colour != Header.WHITE) {
            fail("block at " + describe(headerAddress) + " has colour " + colourName(colour));
        }
        boolean dead = !young && isDead(headerAddress, h);
        if (Header.isWaited(h)) {
            boolean allowed = !young && Header.isWhite(h) && (state == MajorCycle.State.MARK || dead);
            if (!allowed) {
                fail("block at " + describe(headerAddress) + " still has its WAITED bit");
            }
        }
        if (dead) {
            return; // a dead block's fields may point to blocks already freed
        }
        int tag = Header.tag(h);
        int size = Header.sizeWords(h);
        long fields = Header.fieldsAddressOf(headerAddress);
        if (tag == Tag.EPHEMERON) {
            checkEphemeron(headerAddress, h, young, size, fields);
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
            checkStrongEdge(v, headerAddress, h, young, "field " + i + " of block at " + describe(headerAddress));
        }
    }

    private void checkEphemeron(long headerAddress, long h, boolean young, int size, long fields) {
        if (young) {
            fail("ephemeron at " + describe(headerAddress) + " is in the nursery");
        }
        if (size < EphemeronLayout.ADDITIONAL_WORDS) {
            fail("ephemeron at " + describe(headerAddress) + " has only " + size + " words");
        }
        long link = arena.read(fields + EphemeronLayout.LINK_FIELD);
        if (EphemeronLayout.minorLink(link) != 0
                || (EphemeronLayout.majorLink(link) != 0 && state != MajorCycle.State.MARK
                    && state != MajorCycle.State.CLEAN)) {
            fail("ephemeron at " + describe(headerAddress) + " has a link in use outside a collection ("
                    + Long.toHexString(link) + ")");
        }
        for (int i = EphemeronLayout.DATA_FIELD; i < size; i++) {
            long v = arena.read(fields + i);
            checkField(v, "ephemeron", i, headerAddress);
            if (nursery.isYoung(v) && !rememberedEphemeronSlots.contains(fields + i)) {
                fail("young value in field " + i + " of ephemeron at " + describe(headerAddress)
                        + " is not in the ephemeron remembered set");
            }
        }
        long data = arena.read(fields + EphemeronLayout.DATA_FIELD);
        if (!isOldWhite(data)) {
            return;
        }
        if (state == MajorCycle.State.MARK && Header.isBlack(h)
                && !pendingEphemerons.contains(headerAddress) && !isProtected(data)) {
            fail("black ephemeron at " + describe(headerAddress) + ", not waiting for a check, holds white data "
                    + Value.describe(data) + " that nothing grey reaches");
        }
        if (state == MajorCycle.State.CLEAN || state == MajorCycle.State.SWEEP) {
            boolean keysAlive = true;
            for (int i = EphemeronLayout.FIRST_KEY_FIELD; i < size; i++) {
                long k = arena.read(fields + i);
                if (Value.isBlock(k) && isDeadPointer(k)) {
                    keysAlive = false;
                }
            }
            if (keysAlive && isDeadPointer(data)) {
                fail("ephemeron at " + describe(headerAddress) + " has all its keys alive but dead data "
                        + Value.describe(data) + " (the fixpoint missed it)");
            }
        }
    }

    /** Checks a strong edge from a live block (or a root, with {@code fromHeader} 0) to {@code v}. */
    private void checkStrongEdge(long v, long fromHeaderAddress, long fromHeader, boolean fromYoung, String where) {
        if (!isOldWhite(v)) {
            return;
        }
        switch (state) {
            case MARK:
                boolean fromGreyOrWhite = !fromYoung && fromHeaderAddress != 0 && Header.isWhite(fromHeader);
                if (!fromGreyOrWhite && !isProtected(v)) {
                    fail(where + " points to white block " + Value.describe(v)
                            + ", which nothing grey reaches: the snapshot lost it");
                }
                break;
            case CLEAN:
            case SWEEP:
                if (isDeadPointer(v)) {
                    fail(where + " points to dead block " + Value.describe(v)
                            + " (unmarked in the cycle that is ending)");
                }
                break;
            default:
                break;
        }
    }

    /** True if {@code v} points to an old block whose header is white. */
    private boolean isOldWhite(long v) {
        return Value.isBlock(v) && !nursery.isYoung(v) && isValidPointer(v)
                && Header.isWhite(arena.read(Header.addressOf(Value.addressOf(v))));
    }

    private boolean isDeadPointer(long v) {
        long ha = Header.addressOf(Value.addressOf(v));
        return !nursery.isYoung(v) && isValidPointer(v) && isDead(ha, arena.read(ha));
    }

    private boolean isProtected(long v) {
        return protectedWhite.contains(Header.addressOf(Value.addressOf(v)));
    }

    /**
     * While marking: the white blocks reachable from the grey set — blocks marked and not yet
     * scanned, the data of ephemerons retained and not yet traced — through white blocks.
     */
    private void computeProtected() {
        protectedWhite = new HashSet<>();
        pendingEphemerons = new HashSet<>();
        ArrayDeque<Long> work = new ArrayDeque<>();
        marker.forEachGrey(v -> {
            if (isOldWhite(v)) {
                work.add(v);
            } else if (Value.isBlock(v) && !nursery.isYoung(v)) {
                addFields(v, work);
            }
            return v;
        });
        // roots a client marks in steps and has not marked yet: grey slots
        SlotVisitor deferred = v -> {
            if (isOldWhite(v)) {
                work.add(v);
            }
            return v;
        };
        for (FinaliserTable t : finalisers) {
            t.forEachDeferredRoot(deferred);
        }
        for (FinalisationQueue q : queues) {
            q.forEachDeferredRoot(deferred);
        }
        ephemerons.forEachPending(e -> {
            pendingEphemerons.add(Header.addressOf(Value.addressOf(e)));
            return e;
        });
        while (!work.isEmpty()) {
            long v = work.poll();
            if (!protectedWhite.add(Header.addressOf(Value.addressOf(v)))) {
                continue;
            }
            addFields(v, work);
        }
    }

    private void addFields(long v, ArrayDeque<Long> work) {
        long a = Value.addressOf(v);
        long h = arena.read(Header.addressOf(a));
        if (!Tag.isScanned(Header.tag(h))) {
            return;
        }
        for (int i = 0, n = Header.sizeWords(h); i < n; i++) {
            long f = arena.read(a + i);
            if (isOldWhite(f) && !protectedWhite.contains(Header.addressOf(Value.addressOf(f)))) {
                work.add(f);
            }
        }
    }

    private long checkRoot(long v, String what, boolean strong) {
        checkPointer(v, what);
        if (strong) {
            checkStrongEdge(v, 0, 0, false, what);
        }
        return v;
    }

    /** {@link #checkPointer} for a field, building the description only if the check fails. */
    private void checkField(long v, String kind, int i, long headerAddress) {
        if (Value.isBlock(v) && !isValidPointer(v)) {
            checkPointer(v, "field " + i + " of " + kind + " at " + describe(headerAddress));
        }
    }

    /** The quiet form of {@link #checkPointer}: true if {@code v} passes every check. */
    private boolean isValidPointer(long v) {
        long headerAddress = Header.addressOf(Value.addressOf(v));
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
        long headerAddress = Header.addressOf(Value.addressOf(v));
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

    private static String colourName(long colour) {
        if (colour == Header.WHITE) {
            return "white";
        }
        if (colour == Header.BLACK) {
            return "black";
        }
        return colour == Header.GREY ? "grey" : "blue";
    }

    private static String describe(long headerAddress) {
        return Value.describe(Value.ofAddress(Header.fieldsAddressOf(headerAddress)));
    }

    private void fail(String message) {
        throw new HeapCorruptionError("heap verifier (" + when + "): " + message);
    }
}
