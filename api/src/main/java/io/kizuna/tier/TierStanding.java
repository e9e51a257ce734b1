package io.kizuna.tier;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Where a member stands: the tier, the qualification over the window, how much more reaches the next tier, and
 * how much is needed by the next review to keep the current one. "At risk of downgrade" and "close to upgrade"
 * are the segments campaigns will target.
 *
 * @param neededToKeep        what the member must add before {@code keepBy} for the window at that review to reach
 *                            their tier's threshold (0: safe at the next review)
 * @param downgradeNotBefore  the first review that could move the member down, if nothing changes (null: none)
 * @param closeToUpgrade      the missing qualification is at most the configured share of the next threshold
 */
public record TierStanding(UUID memberId, String metric, long qualification, TierDefinition tier, Instant since,
                           Instant belowSince, TierDefinition next, long neededForNext, long neededToKeep,
                           Instant keepBy, Instant downgradeNotBefore, boolean atRisk, boolean closeToUpgrade) {

    /** The facts a standing is worked out from. */
    record Facts(UUID memberId, String heldCode, Instant since, Instant belowSince, long qualification,
                 long keptAtNextReview) {
    }

    static TierStanding of(Facts facts, TierLadder ladder, TierConfig config, TierCalendar calendar, Instant now) {
        TierDefinition tier = facts.heldCode() == null ? ladder.lowest() : ladder.held(facts.heldCode());
        TierDefinition next = ladder.above(tier).orElse(null);
        long neededForNext = next == null ? 0 : Math.max(0, next.threshold() - facts.qualification());
        boolean lowest = tier.equals(ladder.lowest());
        long neededToKeep = lowest ? 0 : Math.max(0, tier.threshold() - facts.keptAtNextReview());
        Instant keepBy = lowest ? null : calendar.nextReview(now);
        Instant downgrade = null;
        if (!lowest && (facts.belowSince() != null || neededToKeep > 0)) {
            Instant marked = facts.belowSince() != null ? facts.belowSince() : keepBy;
            Instant graceOver = calendar.graceOver(marked, config.gracePeriod());
            Instant review = calendar.latestReview(graceOver).equals(graceOver) ? graceOver
                    : calendar.nextReview(graceOver);
            downgrade = review.isBefore(keepBy) ? keepBy : review;
        }
        boolean close = next != null && BigDecimal.valueOf(neededForNext)
                .compareTo(config.closeToUpgrade().multiply(BigDecimal.valueOf(next.threshold()))) <= 0;
        return new TierStanding(facts.memberId(), config.metric().name(), facts.qualification(), tier, facts.since(),
                facts.belowSince(), next, neededForNext, neededToKeep, keepBy, downgrade, downgrade != null, close);
    }
}
