package dev.ephemera.tables;

/**
 * Statistics of a weak hash set: the six numbers of OCaml's {@code Weak.S.stats}.
 *
 * @param tableLength the number of buckets
 * @param count the number of elements ({@code count})
 * @param totalBucketLength the sum of the bucket capacities
 * @param smallestBucket the smallest bucket capacity
 * @param medianBucket the median bucket capacity ({@code lens.(len/2)} of the sorted capacities)
 * @param biggestBucket the biggest bucket capacity
 */
public record WeakSetStatistics(int tableLength, long count, long totalBucketLength, int smallestBucket,
                                int medianBucket, int biggestBucket) {
    @Override
    public String toString() {
        return tableLength + " " + count + " " + totalBucketLength + " " + smallestBucket + " " + medianBucket + " "
                + biggestBucket;
    }
}
