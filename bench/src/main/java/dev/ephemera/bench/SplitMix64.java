package dev.ephemera.bench;

/**
 * splitmix64 with the peers' conventions (bench/peers/README.md, "Shared PRNG"), so Java and
 * OCaml draw the same permutations bit for bit.
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher-Yates on [0, n): for i = n-1 down to 1, j = next() unsigned-mod (i+1). */
    public static int[] permutation(int n, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) Long.remainderUnsigned(r.next(), i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
