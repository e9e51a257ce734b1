package io.kizuna.tier;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kizuna.db.UuidConverter;

/**
 * "With these tiers, who would be where?" From the members' monthly rows only (never the receipts): each member's
 * window under the proposed thresholds against the tier they hold now, and what the proposed multipliers would
 * have given over the last 12 months had every member held their simulated tier all along. Changes nothing.
 */
public final class TierSimulation {
    private static final int COST_MONTHS = 12;

    private final Tiers tiers;

    public TierSimulation(Tiers tiers) {
        this.tiers = tiers;
    }

    /** One proposed tier: how many members would be in it, how many of them come from a lower or higher tier. */
    public record TierOutcome(String code, String name, int rank, long threshold, java.math.BigDecimal multiplier,
                              long members, long movingUp, long movingDown, long extraPoints) {
    }

    /**
     * The whole answer. {@code extraPoints} multiplies each member's 12-month base points at once, so it can be a
     * point per receipt above what per-receipt rounding gives; {@code currentExtraPoints} is what the tiers in
     * force actually gave over the same months.
     */
    public record Outcome(String metric, int windowMonths, YearMonth from, YearMonth to, long members,
                          long movingUp, long movingDown, long extraPoints, long currentExtraPoints,
                          List<TierOutcome> tiers) {
    }

    private static final class Tally {
        long members;
        long up;
        long down;
        long extra;
    }

    public Outcome simulate(List<TierDefinition> proposedList) {
        TierLadder proposed = TierLadder.of(proposedList);
        return tiers.transactions().inTransaction(em -> {
            TierLadder current = tiers.ladder(em);
            Instant now = tiers.clock().instant();
            YearMonth month = tiers.calendar().monthOf(now);
            YearMonth windowStart = tiers.calendar().windowStart(now);
            YearMonth costStart = month.minusMonths(COST_MONTHS - 1L);
            YearMonth first = windowStart.isBefore(costStart) ? windowStart : costStart;
            String column = switch (tiers.config().metric()) {
                case SPEND -> "eligible_spend";
                case POINTS -> "points";
                case VISITS -> "visits";
            };
            Map<String, Tally> tallies = new LinkedHashMap<>();
            proposed.tiers().forEach(tier -> tallies.put(tier.code(), new Tally()));
            long[] totals = new long[2];
            java.util.Set<String> seen = new java.util.HashSet<>();
            // Every member with activity in the months looked at, or holding a tier above the lowest.
            List<Object[]> rows = TierRows.rows(em, "SELECT q.member_id, mt.tier_code, q.window_sum, q.base, q.tier"
                    + " FROM (SELECT member_id, SUM(CASE WHEN month >= ?1 THEN " + column + " ELSE 0 END) window_sum,"
                    + " SUM(CASE WHEN month >= ?2 THEN points - tier_points ELSE 0 END) base,"
                    + " SUM(CASE WHEN month >= ?2 THEN tier_points ELSE 0 END) tier"
                    + " FROM tier_qualification_month WHERE month >= ?3 GROUP BY member_id) q"
                    + " LEFT JOIN member_tier mt ON mt.member_id = q.member_id"
                    + " UNION ALL SELECT mt.member_id, mt.tier_code, 0, 0, 0 FROM member_tier mt WHERE NOT EXISTS"
                    + " (SELECT 1 FROM tier_qualification_month m WHERE m.member_id = mt.member_id"
                    + " AND m.month >= ?3)",
                    windowStart.atDay(1), costStart.atDay(1), first.atDay(1));
            for (Object[] row : rows) {
                seen.add(UuidConverter.fromBytes((byte[]) row[0]).toString());
                TierDefinition held = row[1] == null ? current.lowest() : current.held((String) row[1]);
                TierDefinition simulated = proposed.qualifiedFor(TierRows.number(row[2]));
                Tally tally = tallies.get(simulated.code());
                tally.members++;
                tally.up += simulated.rank() > held.rank() ? 1 : 0;
                tally.down += simulated.rank() < held.rank() ? 1 : 0;
                tally.extra += simulated.extraPoints(TierRows.number(row[3]));
                totals[0] += TierRows.number(row[4]);
            }
            long allMembers = TierRows.number(TierRows.rows(em,
                    "SELECT COUNT(*) FROM member WHERE merged_into IS NULL").getFirst()[0]);
            long inactive = Math.max(0, allMembers - seen.size());
            tallies.get(proposed.lowest().code()).members += inactive;
            List<TierOutcome> outcomes = new ArrayList<>();
            long up = 0;
            long down = 0;
            long extra = 0;
            for (TierDefinition tier : proposed.tiers()) {
                Tally tally = tallies.get(tier.code());
                outcomes.add(new TierOutcome(tier.code(), tier.name(), tier.rank(), tier.threshold(),
                        tier.multiplier(), tally.members, tally.up, tally.down, tally.extra));
                up += tally.up;
                down += tally.down;
                extra += tally.extra;
            }
            return new Outcome(tiers.config().metric().name(), tiers.config().windowMonths(), costStart, month,
                    Math.max(allMembers, seen.size()), up, down, extra, totals[0], outcomes);
        });
    }
}
