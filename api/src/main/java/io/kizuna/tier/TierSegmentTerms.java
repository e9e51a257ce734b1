package io.kizuna.tier;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kizuna.segment.SqlCondition;
import io.kizuna.segment.TierTerms;

/**
 * The tier groups of {@link TierStanding} as SQL over member_tier and tier_qualification_month, so that a segment
 * counts them in one query: at risk is holding a tier above the lowest and being marked below its threshold, or
 * keeping less than the threshold in the window of the next review; close to upgrade is a qualification within the
 * configured share of the next tier's threshold.
 */
final class TierSegmentTerms implements TierTerms {
    private final TierLadder ladder;
    private final TierConfig config;
    private final TierCalendar calendar;
    private final Instant now;

    TierSegmentTerms(TierLadder ladder, TierConfig config, TierCalendar calendar, Instant now) {
        this.ladder = ladder;
        this.config = config;
        this.calendar = calendar;
        this.now = now;
    }

    @Override
    public String lowestTierCode() {
        return ladder.lowest().code();
    }

    @Override
    public SqlCondition atRiskMemberIds() {
        List<TierDefinition> above = ladder.tiers().stream().filter(tier -> !tier.equals(ladder.lowest())).toList();
        if (above.isEmpty()) {
            return SqlCondition.of("SELECT member_id FROM member_tier WHERE 1 = 0");
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(calendar.windowStart(calendar.nextReview(now)).atDay(1));
        StringBuilder held = new StringBuilder();
        StringBuilder threshold = new StringBuilder("CASE mt.tier_code");
        for (TierDefinition tier : above) {
            held.append(held.isEmpty() ? "?" : ", ?");
            threshold.append(" WHEN ? THEN ?");
        }
        above.forEach(tier -> parameters.add(tier.code()));
        for (TierDefinition tier : above) {
            parameters.add(tier.code());
            parameters.add(tier.threshold());
        }
        return new SqlCondition("SELECT mt.member_id FROM member_tier mt LEFT JOIN tier_qualification_month q"
                + " ON q.member_id = mt.member_id AND q.month >= ? WHERE mt.tier_code IN (" + held + ")"
                + " GROUP BY mt.member_id, mt.tier_code, mt.below_since HAVING mt.below_since IS NOT NULL"
                + " OR COALESCE(SUM(q." + column() + "), 0) < " + threshold + " END", parameters);
    }

    @Override
    public SqlCondition closeToUpgradeMemberIds() {
        List<Object> parameters = new ArrayList<>();
        parameters.add(calendar.windowStart(now).atDay(1));
        parameters.add(ladder.lowest().code());
        StringBuilder enough = new StringBuilder("CASE COALESCE(mt.tier_code, ?)");
        for (TierDefinition tier : ladder.tiers()) {
            ladder.above(tier).ifPresent(next -> {
                enough.append(" WHEN ? THEN ?");
                parameters.add(tier.code());
                parameters.add(closeFrom(next));
            });
        }
        return new SqlCondition("SELECT q.member_id FROM tier_qualification_month q LEFT JOIN member_tier mt"
                + " ON mt.member_id = q.member_id WHERE q.month >= ? GROUP BY q.member_id, mt.tier_code"
                + " HAVING SUM(q." + column() + ") >= " + enough + " END", parameters);
    }

    /** The least qualification that is close to {@code next}: its threshold less the share, rounded in favour. */
    private long closeFrom(TierDefinition next) {
        BigDecimal allowance = config.closeToUpgrade().multiply(BigDecimal.valueOf(next.threshold()));
        return next.threshold() - allowance.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private String column() {
        return switch (config.metric()) {
            case SPEND -> "eligible_spend";
            case POINTS -> "points";
            case VISITS -> "visits";
        };
    }
}
