package org.sovereign.packs.embedding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups texts of similar token length into batches so little padding is computed: indices are sorted by length
 * and cut into runs of at most {@code maxBatchSize}.
 */
final class LengthBatches {

    private LengthBatches() {
    }

    /** Batches of indices into {@code lengths}; every index appears exactly once. */
    static List<int[]> plan(int[] lengths, int maxBatchSize) {
        int[] order = IntStream.range(0, lengths.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> lengths[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += maxBatchSize) {
            int end = Math.min(order.length, start + maxBatchSize);
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}
