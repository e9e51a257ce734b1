package io.kizuna.tier;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.KizunaException;
import jakarta.persistence.EntityManager;

/** The tier tables, in the caller's transaction. Every read of a member's rows locks them: decisions follow. */
final class TierRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    TierRows(ObjectMapper json) {
        this.json = json;
    }

    /** A member's stored tier row; {@code stored} false: no row yet (the lowest tier). */
    record Held(String tierCode, Instant since, Instant belowSince, Instant reviewedAt, boolean stored) {
    }

    List<TierDefinition> definitions(EntityManager em) {
        List<TierDefinition> tiers = new ArrayList<>();
        for (Object[] row : rows(em, "SELECT code, name, tier_rank, threshold, multiplier, benefits"
                + " FROM tier_definition ORDER BY tier_rank")) {
            tiers.add(new TierDefinition((String) row[0], (String) row[1], ((Number) row[2]).intValue(),
                    ((Number) row[3]).longValue(), ((BigDecimal) row[4]).stripTrailingZeros(), benefits(row[5])));
        }
        return tiers;
    }

    void replaceDefinitions(EntityManager em, TierLadder ladder, Instant now) {
        em.createNativeQuery("DELETE FROM tier_definition").executeUpdate();
        for (TierDefinition tier : ladder.tiers()) {
            em.createNativeQuery("INSERT INTO tier_definition (code, name, tier_rank, threshold, multiplier,"
                            + " benefits, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                    .setParameter(1, tier.code())
                    .setParameter(2, tier.name())
                    .setParameter(3, tier.rank())
                    .setParameter(4, tier.threshold())
                    .setParameter(5, tier.multiplier())
                    .setParameter(6, write(tier.benefits()))
                    .setParameter(7, utc(now))
                    .executeUpdate();
        }
    }

    /** Tier codes that members hold and that {@code ladder} does not have. */
    List<String> heldCodesMissingFrom(EntityManager em, TierLadder ladder) {
        return rows(em, "SELECT DISTINCT tier_code FROM member_tier").stream()
                .map(row -> (String) row[0])
                .filter(code -> ladder.byCode(code).isEmpty())
                .toList();
    }

    /**
     * Takes the member's wallet lock (the row every change of the member's points locks too), so that sales,
     * returns and reviews of one member decide one after another, then reads the member's tier row.
     */
    Held lock(EntityManager em, UUID memberId) {
        em.createNativeQuery("SELECT id FROM account WHERE member_id = ?1 FOR UPDATE")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .getResultList();
        List<Object[]> found = rows(em, "SELECT tier_code, since, below_since, reviewed_at FROM member_tier"
                + " WHERE member_id = ?1 FOR UPDATE", UuidConverter.toBytes(memberId));
        if (found.isEmpty()) {
            return new Held(null, null, null, null, false);
        }
        Object[] row = found.getFirst();
        return new Held((String) row[0], instant(row[1]), instant(row[2]), instant(row[3]), true);
    }

    Optional<String> heldCode(EntityManager em, UUID memberId) {
        return rows(em, "SELECT tier_code FROM member_tier WHERE member_id = ?1", UuidConverter.toBytes(memberId))
                .stream().map(row -> (String) row[0]).findFirst();
    }

    void save(EntityManager em, UUID memberId, Held held) {
        em.createNativeQuery("INSERT INTO member_tier (member_id, tier_code, since, below_since, reviewed_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5) ON DUPLICATE KEY UPDATE tier_code = VALUES(tier_code),"
                        + " since = VALUES(since), below_since = VALUES(below_since), reviewed_at = VALUES(reviewed_at)")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .setParameter(2, held.tierCode())
                .setParameter(3, utc(held.since()))
                .setParameter(4, utc(held.belowSince()))
                .setParameter(5, utc(held.reviewedAt()))
                .executeUpdate();
    }

    void addToMonth(EntityManager em, UUID memberId, YearMonth month, Qualification change) {
        em.createNativeQuery("INSERT INTO tier_qualification_month (member_id, month, eligible_spend, points,"
                        + " tier_points, visits) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON DUPLICATE KEY UPDATE"
                        + " eligible_spend = eligible_spend + VALUES(eligible_spend), points = points + VALUES(points),"
                        + " tier_points = tier_points + VALUES(tier_points), visits = visits + VALUES(visits)")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .setParameter(2, month.atDay(1))
                .setParameter(3, change.eligibleSpend())
                .setParameter(4, change.points())
                .setParameter(5, change.tierPoints())
                .setParameter(6, change.visits())
                .executeUpdate();
    }

    /** The member's sums over the months from {@code first} on (locked: the member's decision follows). */
    Qualification since(EntityManager em, UUID memberId, YearMonth first) {
        Object[] row = rows(em, "SELECT COALESCE(SUM(eligible_spend), 0), COALESCE(SUM(points), 0),"
                + " COALESCE(SUM(tier_points), 0), COALESCE(SUM(visits), 0) FROM tier_qualification_month"
                + " WHERE member_id = ?1 AND month >= ?2 FOR UPDATE", UuidConverter.toBytes(memberId),
                first.atDay(1)).getFirst();
        return new Qualification(number(row[0]), number(row[1]), number(row[2]), number(row[3]));
    }

    /**
     * Standing facts of the members with a tier row, in member id order after {@code after} (null: from the
     * start), or of one member when {@code only} is set: the window's sum and the part of it still inside the
     * window at the next review.
     */
    List<TierStanding.Facts> facts(EntityManager em, QualificationMetric metric, YearMonth windowStart,
                                   YearMonth keepStart, UUID only, UUID after, int limit) {
        String column = switch (metric) {
            case SPEND -> "eligible_spend";
            case POINTS -> "points";
            case VISITS -> "visits";
        };
        String which = only != null ? "mt.member_id = ?3" : after != null ? "mt.member_id > ?3" : "?3 IS NULL";
        byte[] member = only != null ? UuidConverter.toBytes(only) : after != null ? UuidConverter.toBytes(after)
                : null;
        return rows(em, "SELECT mt.member_id, mt.tier_code, mt.since, mt.below_since,"
                + " COALESCE(SUM(CASE WHEN m.month >= ?1 THEN m." + column + " END), 0),"
                + " COALESCE(SUM(CASE WHEN m.month >= ?2 THEN m." + column + " END), 0)"
                + " FROM member_tier mt LEFT JOIN tier_qualification_month m ON m.member_id = mt.member_id"
                + " AND m.month >= ?1 WHERE " + which
                + " GROUP BY mt.member_id, mt.tier_code, mt.since, mt.below_since ORDER BY mt.member_id LIMIT ?4",
                windowStart.atDay(1), keepStart.atDay(1), member, limit).stream()
                .map(row -> new TierStanding.Facts(UuidConverter.fromBytes((byte[]) row[0]), (String) row[1],
                        instant(row[2]), instant(row[3]), number(row[4]), number(row[5])))
                .toList();
    }

    /** A tier change: its history row. */
    void history(EntityManager em, UUID id, UUID memberId, TierChange change) {
        em.createNativeQuery("INSERT INTO tier_history (id, member_id, from_tier, to_tier, direction, reason,"
                        + " qualification, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, UuidConverter.toBytes(id))
                .setParameter(2, UuidConverter.toBytes(memberId))
                .setParameter(3, change.from())
                .setParameter(4, change.to())
                .setParameter(5, change.direction().name())
                .setParameter(6, change.reason())
                .setParameter(7, change.qualification())
                .setParameter(8, utc(change.changedAt()))
                .executeUpdate();
    }

    List<TierChange> historyOf(EntityManager em, UUID memberId) {
        return rows(em, "SELECT from_tier, to_tier, direction, reason, qualification, changed_at FROM tier_history"
                + " WHERE member_id = ?1 ORDER BY changed_at, id", UuidConverter.toBytes(memberId)).stream()
                .map(row -> new TierChange((String) row[0], (String) row[1], TierChange.Direction.valueOf(
                        (String) row[2]), (String) row[3], number(row[4]), instant(row[5])))
                .toList();
    }

    static List<Object[]> rows(EntityManager em, String sql, Object... parameters) {
        var query = em.createNativeQuery(sql);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> row instanceof Object[] array ? array : new Object[] {row}).toList();
    }

    static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Timestamp timestamp -> timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case LocalDateTime local -> local.toInstant(ZoneOffset.UTC);
            default -> throw new IllegalStateException("Not a database time: " + value.getClass());
        };
    }

    static LocalDate date(Object value) {
        return value instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) value;
    }

    private List<String> benefits(Object text) {
        try {
            return json.readValue((String) text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tier's stored benefits are not a JSON list", e);
        }
    }

    private String write(List<String> benefits) {
        try {
            return json.writeValueAsString(benefits);
        } catch (JsonProcessingException e) {
            throw KizunaException.invalid("A tier's benefits could not be written.");
        }
    }
}
