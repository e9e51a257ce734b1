package io.kizuna.tier;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Ids;

/**
 * The periodic review: the only place a member moves down. The leased job ("tier-review") runs one when the
 * latest review date has passed since the last review; operators and tests can run one at once through the API.
 * Each member is reviewed in a short transaction of their own, under their wallet lock, so sales never wait long.
 * A member already reviewed at or after this review's start is skipped, so two overlapping runs never move anyone
 * down twice.
 */
public final class TierReview {
    private static final int PAGE = 500;

    private final Tiers tiers;

    public TierReview(Tiers tiers) {
        this.tiers = tiers;
    }

    /** What one review did; no personal data (it is logged). */
    public record Run(Instant startedAt, String trigger, int reviewed, int upgraded, int downgraded) {
    }

    /** The job's work: a review if one is due, else nothing. */
    public Object runIfDue() {
        Instant now = tiers.clock().instant();
        Instant due = tiers.calendar().latestReview(now);
        List<Object[]> last = tiers.transactions().inTransaction(em -> TierRows.rows(em,
                "SELECT MAX(started_at), COUNT(*) FROM tier_review"));
        Instant lastStart = TierRows.instant(last.getFirst()[0]);
        if (lastStart != null && !lastStart.isBefore(due)) {
            return "not due until " + tiers.calendar().nextReview(now);
        }
        return run("SCHEDULE");
    }

    /** Reviews every member who has a tier row now. */
    public Run run(String trigger) {
        Instant startedAt = tiers.clock().instant();
        int reviewed = 0;
        int upgraded = 0;
        int downgraded = 0;
        UUID after = null;
        while (true) {
            List<UUID> members = page(after);
            for (UUID member : members) {
                TierChange.Direction moved = review(member, startedAt);
                reviewed++;
                upgraded += moved == TierChange.Direction.UP ? 1 : 0;
                downgraded += moved == TierChange.Direction.DOWN ? 1 : 0;
            }
            if (members.size() < PAGE) {
                break;
            }
            after = members.getLast();
        }
        Run run = new Run(startedAt, trigger, reviewed, upgraded, downgraded);
        tiers.transactions().inTransaction(em -> em.createNativeQuery("INSERT INTO tier_review (id, started_at,"
                        + " trigger_kind, reviewed, upgraded, downgraded) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, UuidConverter.toBytes(Ids.next()))
                .setParameter(2, TierRows.utc(startedAt))
                .setParameter(3, trigger)
                .setParameter(4, run.reviewed())
                .setParameter(5, run.upgraded())
                .setParameter(6, run.downgraded())
                .executeUpdate());
        return run;
    }

    private TierChange.Direction review(UUID memberId, Instant startedAt) {
        return tiers.transactions().inTransaction(em -> {
            Tiers.Locked member = tiers.lock(em, memberId);
            if (member.held.reviewedAt() != null && !member.held.reviewedAt().isBefore(startedAt)) {
                return null;
            }
            return tiers.settle(em, member, startedAt, "review", true).moved();
        });
    }

    private List<UUID> page(UUID after) {
        return tiers.transactions().inTransaction(em -> TierRows.rows(em, "SELECT member_id FROM member_tier"
                        + " WHERE ?1 IS NULL OR member_id > ?1 ORDER BY member_id LIMIT ?2",
                after == null ? null : UuidConverter.toBytes(after), PAGE).stream()
                .map(row -> UuidConverter.fromBytes((byte[]) row[0]))
                .toList());
    }
}
