package io.kizuna.segment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the segment API answers. Membership answers carry no personal data: ids and program facts only. */
public final class SegmentViews {
    private SegmentViews() {
    }

    public record Segment(UUID id, String name, String description, SegmentDefinition definition, Instant createdAt,
                          Instant updatedAt) {
    }

    /**
     * How current the projections were when the answer was computed: the feed position they have applied and the
     * time of that event ({@code at} is absent before the first event).
     */
    public record AsOf(long position, Instant at) {
    }

    public record Count(long count, AsOf asOf) {
    }

    /**
     * A member of a segment: the member id and non-personal program facts (purchase figures are all-time, from
     * member_stats, absent for members who never bought).
     */
    public record Member(UUID memberId, String status, Instant enrolledAt, boolean marketingConsent,
                         Instant lastPurchaseAt, Integer purchaseDays, Long spend) {
    }

    /** One page in member id order; {@code next} is the cursor for the following page, absent on the last. */
    public record MemberPage(List<Member> members, UUID next, AsOf asOf) {
    }
}
