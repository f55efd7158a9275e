package dev.ephemera;

import dev.ephemera.gc.Collector;
import dev.ephemera.object.layout.Header;

/**
 * Identity hashes: a number in [1, 2<sup>22</sup>) per block, drawn from a xorshift generator
 * the first time it is asked for and kept in the block's header ({@link Header#hash}), so it
 * survives the block moving and no table keyed by identity needs rehashing after a collection.
 * The header is read and written through the collector, which knows where a waited header
 * keeps the hash while an ephemeron waits for the block.
 */
final class IdentityHashes {
    private static final int HASH_VALUES = 1 << Header.HASH_BITS;

    private final Collector collector;
    private final EntryChecks checks;
    /** The xorshift32 state: never 0. */
    private int state;

    IdentityHashes(Collector collector, EntryChecks checks, int seed) {
        this.collector = collector;
        this.checks = checks;
        this.state = seed == 0 ? 0x2545F491 : seed;
    }

    /** {@link Heap#identityHash}. */
    int of(long v) {
        long header = Header.addressOf(checks.block("Heap.identityHash", v));
        int hash = collector.storedHash(header);
        if (hash == 0) {
            hash = next();
            collector.storeHash(header, hash);
        }
        return hash;
    }

    /** The next non-zero hash: xorshift32 (Marsaglia's 13, 17, 5), cut to the header's bits. */
    private int next() {
        int hash;
        do {
            int x = state;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            state = x;
            hash = x & (HASH_VALUES - 1);
        } while (hash == 0);
        return hash;
    }
}
