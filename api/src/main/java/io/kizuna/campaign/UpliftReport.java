package io.kizuna.campaign;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import io.kizuna.analytics.Report;
import io.kizuna.campaign.UpliftStatistics.Difference;
import io.kizuna.campaign.UpliftStatistics.Sample;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.Projections;
import io.kizuna.persistence.Jdbc;

/**
 * Did the campaign change what its treatment group did? Treatment against control over the campaign's window and a
 * follow-up period after it (and both together): the share of members who purchased, purchase days and net spend
 * per member, the points issued and their cost, and the incremental spend per point issued, each difference with
 * its 95% interval and p-value ({@link UpliftStatistics}) and the arms' sizes.
 *
 * <p>It reads the projections ({@code member_day}), never the receipts: one query per report sums each member's
 * days in the database and streams one row per member, so that a million members cost one pass and no memory per
 * member. Days are whole days of the program's zone: the window runs from the day of {@code startsAt} to the day of
 * {@code endsAt} (that day left out when {@code endsAt} is its midnight), the follow-up the given number of days
 * after it. A member counts in their arm from the later of the window's first day and the day they were assigned,
 * so that late qualifiers are not charged with days they could not have been influenced on (the same for both arms,
 * since the arm is a hash, so the comparison stays fair).
 */
public final class UpliftReport {
    static final List<String> COLUMNS = List.of("period", "firstDay", "lastDay", "metric", "treatmentMembers",
            "controlMembers", "treatmentTotal", "controlTotal", "treatment", "control", "difference", "lower95",
            "upper95", "pValue", "test", "degreesOfFreedom", "note");
    private static final String PROPORTIONS = "twoProportionZ";
    private static final String WELCH = "welchT";
    private static final String COUNTED = "counted, not estimated: the points the treatment group was awarded";

    private final DataSource dataSource;
    private final UpliftConfig config;
    private final ZoneId zone;
    private final Clock clock;

    public UpliftReport(DataSource dataSource, UpliftConfig config, ZoneId zone, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.zone = zone;
        this.clock = clock;
    }

    /** The periods compared, in report order. */
    enum Period {
        WINDOW("window"),
        FOLLOW_UP("followUp"),
        WINDOW_AND_FOLLOW_UP("windowAndFollowUp");

        final String label;

        Period(String label) {
            this.label = label;
        }
    }

    /** The campaign as the report needs it. */
    private record Campaign(UUID id, String code, String name, String state, Instant startsAt, Instant endsAt,
                            BigDecimal holdout) {
    }

    /** Days of the program's zone: the window is [firstDay, windowEnd), the follow-up [windowEnd, followUpEnd). */
    private record Days(LocalDate firstDay, LocalDate windowEnd, LocalDate followUpEnd) {
        LocalDate first(Period period) {
            return period == Period.FOLLOW_UP ? windowEnd : firstDay;
        }

        LocalDate end(Period period) {
            return period == Period.WINDOW ? windowEnd : followUpEnd;
        }
    }

    /** What one arm did in one period: members, purchasers, and each member's purchase days and net spend. */
    private static final class Arm {
        long purchasers;
        long visits;
        long spend;
        final Sample visitsPerMember = new Sample();
        final Sample spendPerMember = new Sample();

        void add(long memberVisits, long memberSpend) {
            purchasers += memberVisits > 0 ? 1 : 0;
            visits += memberVisits;
            spend += memberSpend;
            visitsPerMember.add(memberVisits);
            spendPerMember.add(memberSpend);
        }

        long members() {
            return visitsPerMember.count();
        }
    }

    /** Both arms of every period, and the points awarded per arm. */
    private static final class Totals {
        final Arm[][] arms = new Arm[Period.values().length][2];
        final long[] points = new long[2];

        Totals() {
            for (Arm[] period : arms) {
                period[0] = new Arm();
                period[1] = new Arm();
            }
        }

        Arm treatment(Period period) {
            return arms[period.ordinal()][Arms.Arm.TREATMENT.ordinal()];
        }

        Arm control(Period period) {
            return arms[period.ordinal()][Arms.Arm.CONTROL.ordinal()];
        }
    }

    /**
     * The report of campaign {@code id} with a follow-up of {@code followUpDays} (null: the configured one); an
     * unknown campaign is a 404.
     */
    public Report report(UUID id, Integer followUpDays) {
        int followUp = followUpDays == null ? config.followUpDays() : followUpDays;
        return Jdbc.inTransaction(dataSource, connection -> {
            Campaign campaign = campaign(connection, id);
            Instant asOf = asOf(connection);
            Days days = days(campaign, followUp);
            Totals totals = totals(connection, campaign, days);
            return build(campaign, days, followUp, asOf, totals);
        });
    }

    private Days days(Campaign campaign, int followUpDays) {
        LocalDate firstDay = campaign.startsAt().atZone(zone).toLocalDate();
        LocalDateTime end = campaign.endsAt().atZone(zone).toLocalDateTime();
        LocalDate windowEnd = end.toLocalTime().equals(LocalTime.MIDNIGHT) ? end.toLocalDate()
                : end.toLocalDate().plusDays(1);
        return new Days(firstDay, windowEnd, windowEnd.plusDays(followUpDays));
    }

    /**
     * Streams one row per campaign member: their arm, points, and purchase days and spend in the window and in the
     * follow-up, summed in the database over their member_day rows from the later of the window's first day and
     * their assignment day. The assignment day is taken at the zone's offset at the window's start (one offset in
     * SQL, as the projection rebuild does; a daylight-saving switch could move an assignment near midnight by a day).
     */
    private Totals totals(Connection connection, Campaign campaign, Days days) throws SQLException {
        Totals totals = new Totals();
        int offsetSeconds = zone.getRules().getOffset(campaign.startsAt()).getTotalSeconds();
        // Grouped by the primary key, so that the database groups in index order as it reads, without a temporary
        // table; a member's arm and points are one value per group (MAX only says so portably).
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(cm.arm), MAX(cm.points_awarded),"
                        + " COUNT(CASE WHEN d.day < ? AND d.purchases > 0 THEN 1 END),"
                        + " COALESCE(SUM(CASE WHEN d.day < ? THEN d.spend END), 0),"
                        + " COUNT(CASE WHEN d.day >= ? AND d.purchases > 0 THEN 1 END),"
                        + " COALESCE(SUM(CASE WHEN d.day >= ? THEN d.spend END), 0)"
                        + " FROM campaign_member cm LEFT JOIN member_day d ON d.member_id = cm.member_id"
                        + " AND d.day >= GREATEST(?, DATE(DATE_ADD(cm.assigned_at, INTERVAL ? SECOND)))"
                        + " AND d.day < ?"
                        + " WHERE cm.campaign_id = ? GROUP BY cm.campaign_id, cm.member_id",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            for (int parameter = 1; parameter <= 4; parameter++) {
                select.setObject(parameter, days.windowEnd());
            }
            select.setObject(5, days.firstDay());
            select.setInt(6, offsetSeconds);
            select.setObject(7, days.followUpEnd());
            select.setBytes(8, UuidConverter.toBytes(campaign.id()));
            // Streamed row by row: the per-member rows never sit in memory together.
            select.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int arm = Arms.Arm.valueOf(rows.getString(1)).ordinal();
                    totals.points[arm] += rows.getLong(2);
                    long windowVisits = rows.getLong(3);
                    long windowSpend = rows.getLong(4);
                    long followUpVisits = rows.getLong(5);
                    long followUpSpend = rows.getLong(6);
                    totals.arms[Period.WINDOW.ordinal()][arm].add(windowVisits, windowSpend);
                    totals.arms[Period.FOLLOW_UP.ordinal()][arm].add(followUpVisits, followUpSpend);
                    totals.arms[Period.WINDOW_AND_FOLLOW_UP.ordinal()][arm].add(windowVisits + followUpVisits,
                            windowSpend + followUpSpend);
                }
            }
        }
        return totals;
    }

    private Report build(Campaign campaign, Days days, int followUpDays, Instant asOf, Totals totals) {
        long treatmentMembers = totals.treatment(Period.WINDOW).members();
        long controlMembers = totals.control(Period.WINDOW).members();
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("report", "campaignUplift");
        header.put("asOf", text(asOf));
        header.put("campaignId", campaign.id().toString());
        header.put("code", campaign.code());
        header.put("name", campaign.name());
        header.put("state", campaign.state());
        header.put("startsAt", text(campaign.startsAt()));
        header.put("endsAt", text(campaign.endsAt()));
        header.put("followUpDays", followUpDays);
        header.put("windowComplete", !today.isBefore(days.windowEnd()));
        header.put("followUpComplete", !today.isBefore(days.followUpEnd()));
        header.put("confidence", UpliftStatistics.CONFIDENCE);
        header.put("yenPerPointCost", config.yenPerPointCost());
        header.put("holdout", campaign.holdout());
        header.put("treatmentMembers", treatmentMembers);
        header.put("controlMembers", controlMembers);
        long members = treatmentMembers + controlMembers;
        header.put("controlShare", members == 0 ? null : (double) controlMembers / members);
        List<List<Object>> rows = new ArrayList<>();
        for (Period period : Period.values()) {
            if (period != Period.WINDOW && followUpDays == 0) {
                continue;
            }
            rows.addAll(rows(period, days, totals));
        }
        return new Report(header, COLUMNS, rows);
    }

    /** The rows of one period: purchased, visits, spend, (in the window: points and their cost,) spend per point. */
    private List<List<Object>> rows(Period period, Days days, Totals totals) {
        Arm treatment = totals.treatment(period);
        Arm control = totals.control(period);
        Row row = new Row(period, days, treatment.members(), control.members());
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row.of("purchased", treatment.purchasers, control.purchasers, share(treatment.purchasers,
                        treatment.members()), share(control.purchasers, control.members()), PROPORTIONS,
                UpliftStatistics.proportions(treatment.purchasers, treatment.members(), control.purchasers,
                        control.members())));
        rows.add(row.of("visits", treatment.visits, control.visits, mean(treatment.visitsPerMember),
                mean(control.visitsPerMember), WELCH,
                UpliftStatistics.means(treatment.visitsPerMember, control.visitsPerMember)));
        Difference spend = UpliftStatistics.means(treatment.spendPerMember, control.spendPerMember);
        rows.add(row.of("spend", treatment.spend, control.spend, mean(treatment.spendPerMember),
                mean(control.spendPerMember), WELCH, spend));
        long points = totals.points[Arms.Arm.TREATMENT.ordinal()];
        long controlPoints = totals.points[Arms.Arm.CONTROL.ordinal()];
        if (period == Period.WINDOW) {
            rows.add(row.counted("pointsIssued", points, controlPoints, treatment.members(), control.members()));
            BigDecimal cost = config.yenPerPointCost().multiply(BigDecimal.valueOf(points));
            BigDecimal controlCost = config.yenPerPointCost().multiply(BigDecimal.valueOf(controlPoints));
            rows.add(row.counted("pointsCost", cost, controlCost, treatment.members(), control.members()));
        }
        rows.add(row.of("incrementalSpendPerPoint", null, null, null, null, WELCH, points == 0
                ? new Difference(null, null, null, null, null, "no estimate: no points were issued")
                : spend.scaled((double) treatment.members() / points)));
        return rows;
    }

    /** Writes the cells of one row of a period. */
    private record Row(Period period, Days days, long treatmentMembers, long controlMembers) {
        List<Object> of(String metric, Number treatmentTotal, Number controlTotal, Double treatment, Double control,
                        String test, Difference difference) {
            return Arrays.asList(period.label, days.first(period).toString(),
                    days.end(period).minusDays(1).toString(), metric, treatmentMembers, controlMembers,
                    treatmentTotal, controlTotal, treatment, control, difference.estimate(), difference.lower(),
                    difference.upper(), difference.pValue(), difference.estimate() == null ? null : test,
                    difference.degreesOfFreedom(), difference.note());
        }

        /** Points are counted, not sampled: per member, the difference, and no interval or test. */
        List<Object> counted(String metric, Number treatmentTotal, Number controlTotal, long treatmentSize,
                             long controlSize) {
            Double treatment = treatmentSize == 0 ? null : treatmentTotal.doubleValue() / treatmentSize;
            Double control = controlSize == 0 ? null : controlTotal.doubleValue() / controlSize;
            Double difference = treatment == null || control == null ? null : treatment - control;
            return Arrays.asList(period.label, days.first(period).toString(),
                    days.end(period).minusDays(1).toString(), metric, treatmentMembers, controlMembers,
                    treatmentTotal, controlTotal, treatment, control, difference, null, null, null, null, null,
                    COUNTED);
        }
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Double mean(Sample sample) {
        return sample.count() == 0 ? null : sample.mean();
    }

    private static Campaign campaign(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT code, name, state, starts_at, ends_at,"
                + " holdout FROM campaign WHERE id = ?")) {
            select.setBytes(1, UuidConverter.toBytes(id));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new KizunaException(ErrorCode.NOT_FOUND, "There is no campaign " + id + ".");
                }
                return new Campaign(id, row.getString(1), row.getString(2), row.getString(3),
                        instant(row.getObject(4, LocalDateTime.class)), instant(row.getObject(5, LocalDateTime.class)),
                        row.getBigDecimal(6));
            }
        }
    }

    /** When the projections last moved forward: the report is as fresh as they are. */
    private static Instant asOf(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT updated_at FROM feed_cursor WHERE name = ?")) {
            select.setString(1, Projections.CURSOR);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? instant(row.getObject(1, LocalDateTime.class)) : null;
            }
        }
    }

    private static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
