package io.kizuna.analytics;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many customers fall in each RFM segment.
 *
 * @param customersBySegment every one of the 11 segments, in declaration order, with its count (0 when empty)
 */
public record RfmSegmentCounts(Map<RfmSegment, Integer> customersBySegment) {
    public RfmSegmentCounts {
        EnumMap<RfmSegment, Integer> complete = new EnumMap<>(RfmSegment.class);
        for (RfmSegment segment : RfmSegment.values()) {
            int count = customersBySegment.getOrDefault(segment, 0);
            if (count < 0) {
                throw new IllegalArgumentException("negative count for " + segment + ": " + count);
            }
            complete.put(segment, count);
        }
        customersBySegment = Collections.unmodifiableMap(complete);
    }

    /** Counts each customer once, in the segment of their scores. */
    public static RfmSegmentCounts of(Collection<Rfm> customers) {
        Map<RfmSegment, Integer> counts = new EnumMap<>(RfmSegment.class);
        for (Rfm customer : customers) {
            counts.merge(customer.segment(), 1, Integer::sum);
        }
        return new RfmSegmentCounts(counts);
    }

    /** The number of customers in this segment. */
    public int count(RfmSegment segment) {
        return customersBySegment.get(segment);
    }

    /** The number of customers in all segments. */
    public int total() {
        return customersBySegment.values().stream().mapToInt(Integer::intValue).sum();
    }
}
