package dev.ephemera.gc;

import dev.ephemera.memory.Arena;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import dev.ephemera.object.layout.EphemeronLayout;
import dev.ephemera.object.layout.ForwardingLayout;
import dev.ephemera.object.layout.Header;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compaction of the mark-sweep space: after a major cycle, moves the live cells of sparse pages
 * into the free cells of dense ones, so that whole chunks empty and are given back to the JVM
 * (OCaml 5.2's compactor: evacuate the sparsest pages of each size class into the densest,
 * moving only what must move). Stop the world; large objects, a chunk each, never move.
 *
 * <h2>The plan</h2>
 * For each size class the live cells fit in {@code need = ceil(live / cellsPerPage)} pages.
 * Chunks are emptied lowest-live first, while the chunks left hold enough pages for every
 * class's need; in what is left, each class keeps its densest pages up to its need (taking free
 * pages if its dense ones were in emptied chunks) and evacuates the rest. Cells move within
 * their class, so sizes, accounting and the identity hash (in the header) move unchanged.
 * Emptied chunks go back to the JVM, except as many as the initial heap needs ({@link
 * MarkSweepSpace#floorWords}, OCaml's {@code h}, which is never given back): those stay, wholly
 * empty, so a large block at the maximum heap can still take their room.
 *
 * <h2>The moves, and what points to them</h2>
 * A moved cell's old header becomes a forwarding stub (black, the new pointer in field 0 — the
 * nursery's convention). Every chunk that lost a cell is either dropped, or kept and
 * <em>remapped</em> at a fresh arena index: its unmoved blocks get new addresses too, and its
 * old index is retired, never to be mapped again. So a raw pointer held across a compaction
 * into a chunk it touched points to unmapped memory and fails as stale in checked mode, the way
 * one held across a minor collection does — never a silent read of a moved block. (A pointer to
 * a block that died in the compaction's own cycle, in a chunk that kept its index, may name the
 * survivor moved into its cell: the limit of any pointer to a freed, reused cell.) Then one pass
 * rewrites every reference: the fields of every block left (ephemeron keys and data included),
 * the strong and weak roots, and every weak client's references ({@link
 * WeakClient#updateMoved}: finaliser tables, queued finalisers, foreign boxes). The nursery and
 * the remembered sets are empty (a compaction runs at the end of a cycle, after a minor
 * collection), and no ephemeron waits.
 *
 * <p>Cost: the moves, plus one pass over every live block — proportional to the heap, as in
 * OCaml, but run only on request or when free space passes {@code max_overhead}.
 */
final class Compactor {
    private final Arena arena;
    private final MarkSweepSpace space;
    private final LargeObjectSpace large;
    private final RootSet roots;
    private final List<WeakClient> clients;

    /** Per arena index: the chunk lost cells (true), so pointers into it need translating. */
    private boolean[] affected = new boolean[0];
    /** Per arena index of an affected chunk that is kept: its new index; 0 if dropped. */
    private int[] newIndexOf = new int[0];

    Compactor(Arena arena, MarkSweepSpace space, LargeObjectSpace large, RootSet roots, List<WeakClient> clients) {
        this.arena = arena;
        this.space = space;
        this.large = large;
        this.roots = roots;
        this.clients = List.copyOf(clients);
    }

    /** What a compaction did. */
    static final class Result {
        final long movedWords;
        final int releasedChunks;
        final int remappedChunks;

        Result(long movedWords, int releasedChunks, int remappedChunks) {
            this.movedWords = movedWords;
            this.releasedChunks = releasedChunks;
            this.remappedChunks = remappedChunks;
        }
    }

    Result compact() {
        space.seal();
        int pages = space.pageCount();
        int classes = SizeClasses.count();
        int[] live = new int[pages];
        long[] liveCells = new long[classes];
        int chunks = space.chunkCount();
        // Right after a sweep that ran with no allocation (Gc.compact, an automatic compaction
        // after a stop-the-world cycle) the sweep's counts are exact and a pass is saved.
        boolean countsExact = space.sweeper().liveCountsExact();
        long[] chunkLive = new long[chunks];
        int totalPages = 0;
        for (int ch = 0; ch < chunks; ch++) {
            int first = space.chunkFirstPage(ch);
            totalPages += space.chunkPageCount(ch);
            for (int p = first; p < first + space.chunkPageCount(ch); p++) {
                int cls = space.pageClass(p);
                if (cls < 0) {
                    continue;
                }
                int cw = SizeClasses.CELL_WORDS[cls];
                int n = countsExact ? space.sweeper().sweptLiveCells(p) : countLiveCells(p, cls);
                live[p] = n;
                liveCells[cls] += n;
                chunkLive[ch] += (long) n * cw;
            }
        }
        int needed = 0;
        int[] need = new int[classes];
        for (int cls = 0; cls < classes; cls++) {
            need[cls] = (int) ((liveCells[cls] + SizeClasses.CELLS_PER_PAGE[cls] - 1) / SizeClasses.CELLS_PER_PAGE[cls]);
            needed += need[cls];
        }

        // Which chunks to empty: the least live first, while the others can hold what is needed.
        boolean[] drop = new boolean[chunks];
        Integer[] order = new Integer[chunks];
        for (int ch = 0; ch < chunks; ch++) {
            order[ch] = ch;
        }
        Arrays.sort(order, (a, b) -> Long.compare(chunkLive[a], chunkLive[b]));
        int keptPages = totalPages;
        for (int k = 0; k < chunks - 1; k++) {
            int ch = order[k];
            if (keptPages - space.chunkPageCount(ch) >= needed) {
                drop[ch] = true;
                keptPages -= space.chunkPageCount(ch);
            }
        }

        // Per class: keep the densest pages in kept chunks up to its need; the rest evacuate.
        // A class whose pages were mostly in emptied chunks needs free pages of the kept ones
        // (not pages emptied by this compaction: their forwarding stubs are read until the end);
        // while there are too few, keep one more chunk, the most live of those to empty.
        List<List<Integer>> classPages;
        List<Integer> freeInKept = new ArrayList<>();
        while (true) {
            classPages = pagesByClass(classes, drop);
            freeInKept.clear();
            for (int ch = 0; ch < chunks; ch++) {
                int first = space.chunkFirstPage(ch);
                for (int p = first; p < first + space.chunkPageCount(ch); p++) {
                    if (!drop[ch] && space.isFreePage(p)) {
                        freeInKept.add(p);
                    }
                }
            }
            int deficit = 0;
            for (int cls = 0; cls < classes; cls++) {
                deficit += Math.max(0, need[cls] - classPages.get(cls).size());
            }
            if (deficit <= freeInKept.size()) {
                break;
            }
            int keep = -1;
            for (int k = chunks - 1; k >= 0 && keep < 0; k--) {
                if (drop[order[k]]) {
                    keep = order[k];
                }
            }
            if (keep < 0) {
                throw new IllegalStateException("Compactor: no plan fits although every chunk is kept");
            }
            drop[keep] = false;
        }
        // Which emptied chunks go back to the JVM: those above the initial heap (the space's
        // floor: OCaml never gives back its first chunk, which holds h). The others stay, empty
        // and at a fresh index, where a large block at the maximum can still take their room.
        boolean[] retire = new boolean[chunks];
        long keptWords = space.chunkWords();
        for (int ch = chunks - 1; ch >= 0; ch--) {
            long words = (long) space.chunkPageCount(ch) * SizeClasses.PAGE_WORDS;
            if (drop[ch] && keptWords - words >= space.floorWords()) {
                retire[ch] = true;
                keptWords -= words;
            }
        }
        boolean[] evacuate = new boolean[pages];
        for (int ch = 0; ch < chunks; ch++) {
            int first = space.chunkFirstPage(ch);
            for (int p = first; p < first + space.chunkPageCount(ch); p++) {
                if (drop[ch] && space.pageClass(p) >= 0) {
                    evacuate[p] = true;
                }
            }
        }
        int freeCursor = 0;
        for (int cls = 0; cls < classes; cls++) {
            List<Integer> ps = classPages.get(cls);
            ps.sort((a, b) -> Integer.compare(live[b], live[a]));
            for (int i = need[cls]; i < ps.size(); i++) {
                evacuate[ps.get(i)] = true;
            }
            for (int i = ps.size(); i < need[cls]; i++) {
                int p = freeInKept.get(freeCursor++);
                space.assignFreePage(p, cls);
                ps.add(p);
            }
        }

        // Which chunks move to a fresh index: the kept ones that lose a cell.
        int maxIndex = 0;
        for (int ch = 0; ch < chunks; ch++) {
            maxIndex = Math.max(maxIndex, space.chunkArenaIndex(ch));
        }
        affected = new boolean[maxIndex + 1];
        newIndexOf = new int[maxIndex + 1];
        int[] remapTo = new int[chunks];
        int remapped = 0;
        for (int ch = 0; ch < chunks; ch++) {
            int first = space.chunkFirstPage(ch);
            boolean loses = false;
            for (int p = first; p < first + space.chunkPageCount(ch) && !loses; p++) {
                loses = evacuate[p] && live[p] > 0;
            }
            if (drop[ch] || loses) {
                affected[space.chunkArenaIndex(ch)] = true;
            }
            if (!retire[ch] && loses) {
                remapTo[ch] = arena.reserveFreshIndex();
                newIndexOf[space.chunkArenaIndex(ch)] = remapTo[ch];
                remapped++;
            }
        }

        // Move: each live cell of an evacuated page into a free cell of a kept page of its class.
        int[] destPage = new int[classes];
        int[] destCell = new int[classes];
        long moved = 0;
        for (int p = 0; p < pages; p++) {
            if (!evacuate[p] || live[p] == 0) {
                continue;
            }
            int cls = space.pageClass(p);
            int cw = SizeClasses.CELL_WORDS[cls];
            List<Integer> dest = classPages.get(cls);
            long base = space.pageBase(p);
            long[] words = arena.storage(Arena.indexOf(base));
            int off = Arena.offsetOf(base);
            // live[p] cells to move: stop at the last one instead of reading the page's tail
            for (int i = 0, left = live[p]; left > 0 && i < SizeClasses.CELLS_PER_PAGE[cls]; i++, off += cw) {
                long h = words[off];
                if (Header.isBlue(h)) {
                    continue;
                }
                left--;
                long from = base + (long) i * cw;
                long to = nextFreeCell(dest, destPage, destCell, cls, evacuate);
                int size = Header.sizeWords(h);
                arena.copy(from, to, Header.WORDS + size);
                arena.write(from, Header.withColour(h, ForwardingLayout.COLOUR));
                arena.write(Header.fieldsAddressOf(from) + ForwardingLayout.NEW_COPY_FIELD,
                        Value.ofAddress(Header.fieldsAddressOf(finalAddress(to))));
                moved += Header.WORDS + size;
            }
        }

        // Every reference, once: blocks in kept pages, large blocks, roots, weak clients.
        for (int p = 0; p < pages; p++) {
            int cls = space.pageClass(p);
            if (cls < 0 || evacuate[p]) {
                continue;
            }
            int cw = SizeClasses.CELL_WORDS[cls];
            long base = space.pageBase(p);
            long[] words = arena.storage(Arena.indexOf(base));
            for (int i = 0, off = Arena.offsetOf(base); i < SizeClasses.CELLS_PER_PAGE[cls]; i++, off += cw) {
                long h = words[off];
                if (!Header.isBlue(h)) {
                    updateFields(words, off, h);
                }
            }
        }
        large.forEachBlock((headerAddress, swept) -> updateFields(arena.storage(Arena.indexOf(headerAddress)),
                Arena.offsetOf(headerAddress), arena.read(headerAddress)));
        SlotVisitor translate = this::translate;
        roots.forEachStrong(translate);
        roots.forEachWeak(translate);
        Tracer mover = new MovedTracer();
        for (WeakClient c : clients) {
            c.updateMoved(mover);
        }

        // Evacuated pages are free; emptied chunks go back to the JVM; touched ones move index.
        for (int p = 0; p < pages; p++) {
            if (evacuate[p]) {
                space.freePage(p);
            }
        }
        int released = 0;
        for (int ch = chunks - 1; ch >= 0; ch--) {
            if (retire[ch]) {
                space.retireChunk(ch);
                released++;
            }
        }
        for (int ch = 0; ch < space.chunkCount(); ch++) {
            int index = space.chunkArenaIndex(ch);
            if (index < newIndexOf.length && newIndexOf[index] != 0) {
                int to = newIndexOf[index];
                arena.map(to, arena.unmap(index), MarkSweepSpace.CHUNK_KIND);
                arena.retire(index);
                space.remapChunk(ch, to);
            }
        }
        space.relist();
        space.sweeper().forgetLiveCounts();
        affected = new boolean[0];
        newIndexOf = new int[0];
        return new Result(moved, released, remapped);
    }

    /** Live (non-blue) cells of in-use page {@code p} of class {@code cls}, counted. */
    private int countLiveCells(int p, int cls) {
        int cw = SizeClasses.CELL_WORDS[cls];
        long base = space.pageBase(p);
        long[] words = arena.storage(Arena.indexOf(base));
        int n = 0;
        for (int i = 0, off = Arena.offsetOf(base); i < SizeClasses.CELLS_PER_PAGE[cls]; i++, off += cw) {
            if (!Header.isBlue(words[off])) {
                n++;
            }
        }
        return n;
    }

    private List<List<Integer>> pagesByClass(int classes, boolean[] drop) {
        List<List<Integer>> byClass = new ArrayList<>(classes);
        for (int cls = 0; cls < classes; cls++) {
            byClass.add(new ArrayList<>());
        }
        for (int ch = 0; ch < space.chunkCount(); ch++) {
            if (drop[ch]) {
                continue;
            }
            int first = space.chunkFirstPage(ch);
            for (int p = first; p < first + space.chunkPageCount(ch); p++) {
                int cls = space.pageClass(p);
                if (cls >= 0) {
                    byClass.get(cls).add(p);
                }
            }
        }
        return byClass;
    }

    /** The next blue cell of the kept pages of class {@code cls}, in their order (densest first). */
    private long nextFreeCell(List<Integer> dest, int[] destPage, int[] destCell, int cls, boolean[] evacuate) {
        int cw = SizeClasses.CELL_WORDS[cls];
        while (true) {
            int p = dest.get(destPage[cls]);
            if (!evacuate[p]) {
                while (destCell[cls] < SizeClasses.CELLS_PER_PAGE[cls]) {
                    long c = space.pageBase(p) + (long) destCell[cls]++ * cw;
                    if (Header.isBlue(arena.read(c))) {
                        return c;
                    }
                }
            }
            destPage[cls]++;
            destCell[cls] = 0;
        }
    }

    /** The address {@code a} (in a kept page) will have once its chunk is remapped. */
    private long finalAddress(long a) {
        int index = Arena.indexOf(a);
        if (index < newIndexOf.length && newIndexOf[index] != 0) {
            return Arena.address(newIndexOf[index], Arena.offsetOf(a));
        }
        return a;
    }

    /** The value {@code v} must become: the moved block's new pointer, or its address after a remap. */
    private long translate(long v) {
        if ((v & 1L) != 0 || v == Value.NONE) {
            return v;
        }
        int index = Value.chunkIndexOf(v);
        if (index >= affected.length || !affected[index]) {
            return v;
        }
        long a = Value.addressOf(v);
        long h = arena.read(Header.addressOf(a));
        if (ForwardingLayout.isForwarded(h)) {
            return arena.read(a + ForwardingLayout.NEW_COPY_FIELD); // moved: the stub holds the new pointer
        }
        return Value.ofAddress(finalAddress(a));
    }

    /**
     * Translates the pointer fields of the block whose header is {@code words[headerOffset]}
     * (read from the chunk's array directly: this pass reads every live word of the heap).
     */
    private void updateFields(long[] words, int headerOffset, long h) {
        int tag = Header.tag(h);
        int size = Header.sizeWords(h);
        int fields = headerOffset + Header.WORDS;
        int from;
        if (tag == Tag.EPHEMERON) {
            from = EphemeronLayout.DATA_FIELD;
        } else if (Tag.isScanned(tag)) {
            from = 0;
        } else {
            return;
        }
        for (int i = fields + from, end = fields + size; i < end; i++) {
            long v = words[i];
            if ((v & 1L) == 0 && v != Value.NONE) {
                long t = translate(v);
                if (t != v) {
                    words[i] = t;
                }
            }
        }
    }

    /** The tracer weak clients see: everything is reached, and survives at its new address. */
    private final class MovedTracer extends Tracer {
        @Override
        public boolean isReached(long v) {
            return true;
        }

        @Override
        public long retain(long v) {
            return translate(v);
        }

        @Override
        public long survivor(long v) {
            return translate(v);
        }

        @Override
        public boolean isMinor() {
            return false;
        }

        @Override
        public void retainData(long ephemeron) {
            throw new IllegalStateException("Compactor: no ephemeron is processed while compacting");
        }

        @Override
        public void traceDataNow(long ephemeron) {
            throw new IllegalStateException("Compactor: no ephemeron is processed while compacting");
        }
    }
}
