package io.kizuna.segment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The SQL shapes that several criteria share, each over an indexed projection column. */
final class Conditions {
    private Conditions() {
    }

    /**
     * An instant column whose day (in the program's zone) lies {@code minDays} to {@code maxDays} days before today,
     * compared as UTC bounds so that the column's index serves the range.
     */
    static SqlCondition daysAgo(String column, Integer minDays, Integer maxDays, Evaluation at) {
        List<String> sql = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (minDays != null) {
            // At least minDays ago: before the start of the day after (today - minDays).
            sql.add(column + " < ?");
            parameters.add(at.startOfDay(at.today().minusDays(minDays - 1L)));
        }
        if (maxDays != null) {
            sql.add(column + " >= ?");
            parameters.add(at.startOfDay(at.today().minusDays(maxDays)));
        }
        return new SqlCondition("(" + String.join(" AND ", sql) + ")", parameters);
    }

    /**
     * A member_day total ({@code purchases} or {@code spend}) over the last {@code days} days between {@code min}
     * and {@code max}. A member with no day in the window has a total of 0: when 0 is in range the condition is
     * "not among those whose total is out of range", so members who bought nothing match without being listed.
     */
    static SqlCondition windowTotal(String column, int days, Long min, Long max, Evaluation at) {
        LocalDate from = at.windowStart(days);
        long low = min == null ? 0 : min;
        long high = max == null ? Long.MAX_VALUE : max;
        String total = "SUM(d." + column + ")";
        String window = "SELECT d.member_id FROM member_day d WHERE d.day >= ? GROUP BY d.member_id HAVING ";
        if (low == 0) {
            return SqlCondition.of("m.id NOT IN (" + window + total + " < ? OR " + total + " > ?)", from, low, high);
        }
        return SqlCondition.of("m.id IN (" + window + total + " BETWEEN ? AND ?)", from, low, high);
    }

    /** Among ({@code in}) or not among the member ids that {@code memberIds} selects. */
    static SqlCondition memberIn(SqlCondition memberIds, boolean in) {
        return new SqlCondition("m.id " + (in ? "IN" : "NOT IN") + " (" + memberIds.sql() + ")",
                memberIds.parameters());
    }

    /** A member_score column between {@code min} and {@code max} (either may be open). */
    static SqlCondition scoreBetween(String column, Double min, Double max) {
        return SqlCondition.of("m.id IN (SELECT sc.member_id FROM member_score sc WHERE sc." + column + " >= ?"
                + " AND sc." + column + " <= ?)", min == null ? 0.0 : min, max == null ? Double.MAX_VALUE : max);
    }

    /** Bought ({@code IN}) or never bought ({@code NOT IN}) any of the categories. */
    static SqlCondition categories(String operator, List<String> categories) {
        return new SqlCondition("m.id " + operator + " (SELECT c.member_id FROM member_category c WHERE c.category"
                + " IN (" + SqlCondition.marks(categories.size()) + "))", List.copyOf(categories));
    }

    /**
     * Bought ({@code EXISTS}) or never bought ({@code NOT EXISTS}) any of the SKUs, optionally within the last
     * {@code days} days: the member's own sales in purchase_fact (read through its member index), whose basket
     * lists distinct SKUs separated by single spaces.
     */
    static SqlCondition skus(String operator, List<String> skus, Integer days, Evaluation at) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder(operator + " (SELECT 1 FROM purchase_fact f WHERE f.member_id = m.id");
        if (days != null) {
            sql.append(" AND f.local_day >= ?");
            parameters.add(at.windowStart(days));
        }
        List<String> any = new ArrayList<>();
        for (String sku : skus) {
            any.add("CONCAT(' ', f.skus, ' ') LIKE ? ESCAPE '!'");
            parameters.add("% " + sku.replace("!", "!!").replace("%", "!%").replace("_", "!_") + " %");
        }
        sql.append(" AND (").append(String.join(" OR ", any)).append("))");
        return new SqlCondition(sql.toString(), parameters);
    }
}
