package dev.ephemera.tables;

import java.util.Arrays;

/**
 * Statistics of a hash table: OCaml's {@code Hashtbl.statistics}, as returned by
 * {@code stats} and {@code stats_alive}.
 *
 * @param numBindings number of bindings ({@code num_bindings})
 * @param numBuckets number of buckets ({@code num_buckets})
 * @param maxBucketLength the length of the longest bucket ({@code max_bucket_length})
 * @param bucketHistogram element {@code l} is the number of buckets of length {@code l}
 *     ({@code bucket_histogram}); its length is {@code maxBucketLength + 1}
 */
public record Statistics(long numBindings, int numBuckets, int maxBucketLength, int[] bucketHistogram) {
    /** The statistics of buckets of the given lengths. */
    static Statistics of(long bindings, int[] bucketLengths) {
        int max = 0;
        for (int l : bucketLengths) {
            max = Math.max(max, l);
        }
        int[] histogram = new int[max + 1];
        for (int l : bucketLengths) {
            histogram[l]++;
        }
        return new Statistics(bindings, bucketLengths.length, max, histogram);
    }

    /** {@return a copy of the histogram} */
    @Override
    public int[] bucketHistogram() {
        return bucketHistogram.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statistics s && s.numBindings == numBindings && s.numBuckets == numBuckets
                && s.maxBucketLength == maxBucketLength && Arrays.equals(s.bucketHistogram, bucketHistogram);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(numBindings) * 31 + numBuckets * 7 + Arrays.hashCode(bucketHistogram);
    }

    @Override
    public String toString() {
        return "{num_bindings = " + numBindings + "; num_buckets = " + numBuckets + "; max_bucket_length = "
                + maxBucketLength + "; bucket_histogram = " + Arrays.toString(bucketHistogram) + "}";
    }
}
