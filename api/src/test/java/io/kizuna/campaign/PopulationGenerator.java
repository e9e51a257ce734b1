package io.kizuna.campaign;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;

import io.kizuna.db.UuidConverter;

/**
 * A year of purchase days for a population, written straight into the {@code member_day} projection, with an
 * effect planted in the treatment group of chosen campaigns, and the truth to hold the uplift report to.
 *
 * <p>Each member buys on a day with a personal probability (Gamma-distributed, mean 0.04: about one purchase day in
 * 25) and spends around a personal mean (log-normal, median 2,500 yen) with log-normal noise of mean 1. In a planted
 * campaign, a treatment member's days from their assignment to the window's end buy {@link #RATE_LIFT} times as
 * often and spend {@link #SPEND_LIFT} times as much; nothing is planted after the window. Most members are assigned
 * at the window's start, {@link #LATE_SHARE} on a later day of the window (at 08:30 in the program's zone, which is
 * the day before in UTC), as late qualifiers are. Treatment members are awarded one campaign point per 100 yen they
 * spent in the window from their assignment.
 *
 * <p>The truth is the average over all members of what treatment would change for each of them in expectation,
 * given their own probability, mean spend and days in the window: the quantity a randomised comparison estimates.
 */
final class PopulationGenerator {
    static final double RATE_LIFT = 1.2;
    static final double SPEND_LIFT = 1.1;
    static final double LATE_SHARE = 0.15;
    static final int WINDOW_DAYS = 30;
    static final int FOLLOW_UP_DAYS = 30;
    private static final BigDecimal HOLDOUT = new BigDecimal("0.2");
    private static final double SPEND_NOISE = 0.5;
    private static final int BATCH = 10_000;

    /** The report's periods, by their labels. */
    enum Period {
        WINDOW("window"),
        FOLLOW_UP("followUp"),
        WINDOW_AND_FOLLOW_UP("windowAndFollowUp");

        final String label;

        Period(String label) {
            this.label = label;
        }
    }

    private final Random random;
    private final ZoneId zone;
    private final LocalDate firstDay;
    private final LocalDate endDay;

    /** Purchases on the days [firstDay, endDay). */
    PopulationGenerator(long seed, ZoneId zone, LocalDate firstDay, LocalDate endDay) {
        this.random = new Random(seed);
        this.zone = zone;
        this.firstDay = firstDay;
        this.endDay = endDay;
    }

    /** An id drawn from the seed: the arms are a hash of ids, so seeded ids make every number replay. */
    UUID nextId() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** A campaign over the population: its arms as assigned, each member's assignment day, and what was counted. */
    static final class Campaign {
        final UUID id;
        final boolean planted;
        final LocalDate windowStart;
        final LocalDate windowEnd;
        final LocalDate followUpEnd;
        final Map<UUID, Boolean> control = new HashMap<>();
        final Map<UUID, LocalDate> assigned = new HashMap<>();
        /** [period][arm: 0 treatment, 1 control][purchasers, visits, spend, members]. */
        private final long[][][] tallies = new long[Period.values().length][2][4];
        private final double[] effectSums = new double[3];
        private long points;
        private long members;

        Campaign(UUID id, boolean planted, LocalDate windowStart) {
            this.id = id;
            this.planted = planted;
            this.windowStart = windowStart;
            this.windowEnd = windowStart.plusDays(WINDOW_DAYS);
            this.followUpEnd = windowEnd.plusDays(FOLLOW_UP_DAYS);
        }

        long[][] tally(Period period) {
            return tallies[period.ordinal()];
        }

        long points() {
            return points;
        }

        /** The planted average effect on a window metric; 0 for a campaign without one. */
        double plantedEffect(String metric) {
            return switch (metric) {
                case "purchased" -> effectSums[0] / members;
                case "visits" -> effectSums[1] / members;
                case "spend" -> effectSums[2] / members;
                case "incrementalSpendPerPoint" -> effectSums[2] / members * tally(Period.WINDOW)[0][3] / points;
                default -> throw new IllegalArgumentException(metric);
            };
        }

        boolean boosted(UUID member, LocalDate day) {
            return planted && !control.get(member) && !day.isBefore(assigned.get(member)) && day.isBefore(windowEnd);
        }
    }

    /**
     * Reads the campaign's arms (checking each against the hash in Java) and moves its members' assignment to the
     * window's start, or for some to a later day of the window.
     */
    Campaign campaign(DataSource data, UUID id, LocalDate windowStart, boolean planted) throws SQLException {
        Campaign campaign = new Campaign(id, planted, windowStart);
        try (Connection connection = data.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT member_id, arm FROM campaign_member WHERE campaign_id = ? ORDER BY member_id")) {
                select.setBytes(1, UuidConverter.toBytes(id));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        UUID member = UuidConverter.fromBytes(rows.getBytes(1));
                        boolean control = rows.getString(2).equals("CONTROL");
                        if (control != Arms.isControl(id, member, HOLDOUT)) {
                            throw new AssertionError("the stored arm of " + member + " is not the hash's");
                        }
                        campaign.control.put(member, control);
                    }
                }
            }
            try (PreparedStatement all = connection.prepareStatement(
                    "UPDATE campaign_member SET assigned_at = ? WHERE campaign_id = ?")) {
                all.setObject(1, UpliftReportTest.utc(windowStart, LocalTime.MIDNIGHT, zone));
                all.setBytes(2, UuidConverter.toBytes(id));
                all.executeUpdate();
            }
            try (PreparedStatement late = connection.prepareStatement(
                    "UPDATE campaign_member SET assigned_at = ? WHERE campaign_id = ? AND member_id = ?")) {
                for (UUID member : campaign.control.keySet().stream().sorted().toList()) {
                    LocalDate day = windowStart;
                    if (random.nextDouble() < LATE_SHARE) {
                        day = windowStart.plusDays(1 + random.nextInt(WINDOW_DAYS - 1));
                        late.setObject(1, UpliftReportTest.utc(day, LocalTime.of(8, 30), zone));
                        late.setBytes(2, UuidConverter.toBytes(id));
                        late.setBytes(3, UuidConverter.toBytes(member));
                        late.addBatch();
                    }
                    campaign.assigned.put(member, day);
                }
                late.executeBatch();
            }
            connection.commit();
        }
        return campaign;
    }

    /** Writes every member's purchase days and the treatment groups' points; answers how many days were written. */
    long generate(DataSource data, List<UUID> members, List<Campaign> campaigns) throws SQLException {
        long written = 0;
        try (Connection connection = data.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO member_day (member_id, day, purchases, spend) VALUES (?, ?, ?, ?)");
             PreparedStatement award = connection.prepareStatement(
                     "UPDATE campaign_member SET points_awarded = ? WHERE campaign_id = ? AND member_id = ?")) {
            connection.setAutoCommit(false);
            int pending = 0;
            for (UUID member : members) {
                double probability = Math.min(0.3, -0.02 * (Math.log(1 - random.nextDouble())
                        + Math.log(1 - random.nextDouble())));
                double meanSpend = 2500 * Math.exp(0.4 * random.nextGaussian());
                Map<LocalDate, long[]> days = new HashMap<>();
                for (LocalDate day = firstDay; day.isBefore(endDay); day = day.plusDays(1)) {
                    boolean boosted = false;
                    for (Campaign campaign : campaigns) {
                        boosted |= campaign.control.containsKey(member) && campaign.boosted(member, day);
                    }
                    double chance = boosted ? Math.min(1, probability * RATE_LIFT) : probability;
                    if (random.nextDouble() >= chance) {
                        continue;
                    }
                    int purchases = random.nextDouble() < 0.1 ? 2 : 1;
                    double noise = Math.exp(SPEND_NOISE * random.nextGaussian() - SPEND_NOISE * SPEND_NOISE / 2);
                    long spend = Math.round(meanSpend * (boosted ? SPEND_LIFT : 1) * noise / 10) * 10;
                    days.put(day, new long[] {purchases, spend});
                    insert.setBytes(1, UuidConverter.toBytes(member));
                    insert.setObject(2, day);
                    insert.setInt(3, purchases);
                    insert.setLong(4, spend);
                    insert.addBatch();
                    written++;
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                for (Campaign campaign : campaigns) {
                    if (campaign.control.containsKey(member)) {
                        count(campaign, member, days, probability, meanSpend, award);
                    }
                }
            }
            insert.executeBatch();
            award.executeBatch();
            connection.commit();
        }
        return written;
    }

    /** Counts a member's days by the report's rules, awards treatment points, and adds the member's true effect. */
    private static void count(Campaign campaign, UUID member, Map<LocalDate, long[]> days, double probability,
                              double meanSpend, PreparedStatement award) throws SQLException {
        boolean control = campaign.control.get(member);
        LocalDate from = campaign.assigned.get(member).isAfter(campaign.windowStart)
                ? campaign.assigned.get(member) : campaign.windowStart;
        long[][] sums = new long[Period.values().length][2];
        days.forEach((day, purchasesAndSpend) -> {
            if (day.isBefore(from) || !day.isBefore(campaign.followUpEnd)) {
                return;
            }
            Period period = day.isBefore(campaign.windowEnd) ? Period.WINDOW : Period.FOLLOW_UP;
            for (Period counted : List.of(period, Period.WINDOW_AND_FOLLOW_UP)) {
                sums[counted.ordinal()][0]++;
                sums[counted.ordinal()][1] += purchasesAndSpend[1];
            }
        });
        int arm = control ? 1 : 0;
        for (Period period : Period.values()) {
            long[] tally = campaign.tallies[period.ordinal()][arm];
            long visits = sums[period.ordinal()][0];
            tally[0] += visits > 0 ? 1 : 0;
            tally[1] += visits;
            tally[2] += sums[period.ordinal()][1];
            tally[3]++;
        }
        long points = control ? 0 : sums[Period.WINDOW.ordinal()][1] / 100;
        if (points > 0) {
            campaign.points += points;
            award.setLong(1, points);
            award.setBytes(2, UuidConverter.toBytes(campaign.id));
            award.setBytes(3, UuidConverter.toBytes(member));
            award.addBatch();
        }
        campaign.members++;
        if (campaign.planted) {
            long exposed = ChronoUnit.DAYS.between(from, campaign.windowEnd);
            double treated = Math.min(1, probability * RATE_LIFT);
            campaign.effectSums[0] += Math.pow(1 - probability, exposed) - Math.pow(1 - treated, exposed);
            campaign.effectSums[1] += exposed * (treated - probability);
            campaign.effectSums[2] += exposed * (treated * SPEND_LIFT - probability) * meanSpend;
        }
    }
}
