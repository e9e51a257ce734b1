package io.kizuna.analytics;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.persistence.Jdbc;

/**
 * The heavy reports, computed in the background from the projections in four stages: "rfm" (read every member's
 * orders, spend and purchase days, counting the monthly cohorts on the way, and score RFM), "clv" (fit BG/NBD and
 * Gamma-Gamma, predict per member), "cross-sell" (mine the baskets by SKU and by category) and "scores" (store
 * member_score and the snapshots).
 *
 * <p>It scales by streaming: member_stats and member_day are read once each in member id order into
 * {@link MemberTable}'s primitive arrays, and the baskets are streamed from purchase_fact twice per kind (FP-Growth
 * counts, then builds its tree) without being held. All reading happens in one transaction, so every stage sees
 * the same snapshot of the projections.
 */
public final class Recompute {
    /** Told of each stage's progress; may throw to stop the recompute (a lost lease does). */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(String stage, int percent);
    }

    /** What a run produced: no personal data, it is logged. */
    public record Summary(Instant computedAt, Instant asOf, int members, int rules) {
    }

    private static final int STREAM = Integer.MIN_VALUE;
    private static final int WRITE_BATCH = 1_000;
    private static final String[] BASKET_KINDS = {"sku", "category"};

    private final DataSource dataSource;
    private final Clock clock;
    private final ZoneId zone;
    private final AnalyticsConfig config;
    private final ObjectMapper json;

    public Recompute(DataSource dataSource, Clock clock, ZoneId zone, AnalyticsConfig config, ObjectMapper json) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.zone = zone;
        this.config = config;
        this.json = json;
    }

    /** Runs every stage as an unnamed run (benchmarks call this; the API's runs go through {@link Recomputes}). */
    public Summary run(ProgressListener listener) {
        return run(io.kizuna.persistence.Ids.next(), listener);
    }

    /** Runs every stage; {@code runId} names the run in the snapshots. */
    public Summary run(java.util.UUID runId, ProgressListener listener) {
        Instant computedAt = clock.instant();
        LocalDate today = LocalDate.ofInstant(computedAt, zone);
        MemberTable members = new MemberTable();
        Map<String, Report> snapshots = new LinkedHashMap<>();
        Instant asOf = Jdbc.inTransaction(dataSource, connection -> {
            Instant projectionsAsOf = Freshness.projectionsAsOf(connection);
            listener.progress("rfm", 0);
            Cohorts cohorts = new Cohorts(today);
            readMembers(connection, members, cohorts, today);
            snapshots.putAll(cohorts.reports(projectionsAsOf, computedAt));
            listener.progress("rfm", 30);
            snapshots.put("rfm", rfm(members, today, computedAt, projectionsAsOf));
            listener.progress("clv", 40);
            snapshots.put("clv", new LifetimeValue(config.horizonWeeks(), config.maxFitMembers())
                    .fitAndPredict(members, today).header("asOf", Freshness.text(projectionsAsOf))
                    .header("computedAt", Freshness.text(computedAt)).build());
            listener.progress("cross-sell", 60);
            for (String kind : BASKET_KINDS) {
                snapshots.put("cross-sell-" + kind, crossSell(connection, kind, computedAt, projectionsAsOf));
            }
            return projectionsAsOf;
        });
        listener.progress("scores", 80);
        writeScores(members, computedAt, listener);
        Jdbc.inTransaction(dataSource, connection -> {
            writeRules(connection, snapshots);
            return writeSnapshots(connection, runId, asOf, computedAt, snapshots);
        });
        listener.progress("scores", 100);
        int rules = snapshots.get("cross-sell-sku").rows().size() + snapshots.get("cross-sell-category").rows().size();
        return new Summary(computedAt, asOf, members.size, rules);
    }

    /**
     * Reads every member's statistics and slice attributes, then their purchase days, both in member id order so
     * that each day row finds its member by walking forward. The cohorts are counted on the way.
     */
    private void readMembers(Connection connection, MemberTable members, Cohorts cohorts, LocalDate today)
            throws SQLException {
        try (PreparedStatement select = streaming(connection, "SELECT s.member_id, s.purchases, s.spend,"
                + " m.birth_date, m.gender, m.prefecture, s.first_store_code FROM member_stats s"
                + " LEFT JOIN member m ON m.id = s.member_id ORDER BY s.member_id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                int index = members.add(rows.getBytes(1), rows.getInt(2), rows.getLong(3));
                cohorts.member(index, rows.getObject(4), rows.getString(5), rows.getString(6), rows.getString(7));
            }
        }
        try (PreparedStatement select = streaming(connection, "SELECT member_id, day, spend FROM member_day"
                + " WHERE purchases > 0 AND day <= ? ORDER BY member_id, day")) {
            select.setObject(1, today);
            try (ResultSet rows = select.executeQuery()) {
                int index = 0;
                while (rows.next()) {
                    ByteBuffer id = ByteBuffer.wrap(rows.getBytes(1));
                    long high = id.getLong();
                    long low = id.getLong();
                    while (index < members.size && members.compare(index, high, low) < 0) {
                        index++;
                    }
                    if (index == members.size || members.compare(index, high, low) != 0) {
                        continue; // a day of a member without statistics cannot happen; it is skipped if it does
                    }
                    LocalDate date = rows.getObject(2, LocalDate.class);
                    cohorts.day(index, date);
                    int day = (int) date.toEpochDay();
                    if (members.days[index] == 0) {
                        members.firstDay[index] = day;
                    } else {
                        members.repeatSpend[index] += rows.getLong(3);
                    }
                    members.lastDay[index] = day;
                    members.days[index]++;
                }
            }
        }
        members.prepareResults();
    }

    /**
     * Scores with {@link Rfm#of}: each member's orders are handed over as that many purchases on the last purchase
     * day (the first carrying the whole spend), which gives Rfm exactly the member's recency, order count and
     * spend, generated one at a time instead of held.
     */
    private static Report rfm(MemberTable members, LocalDate today, Instant computedAt, Instant asOf) {
        Collection<Purchase> purchases = new AbstractCollection<>() {
            @Override
            public Iterator<Purchase> iterator() {
                return new OrdersOfMembers(members);
            }

            @Override
            public int size() {
                long total = 0;
                for (int i = 0; i < members.size; i++) {
                    total += members.days[i] > 0 ? members.orders[i] : 0;
                }
                return (int) Math.min(Integer.MAX_VALUE, total);
            }
        };
        List<Rfm> scored = Rfm.of(purchases, today);
        for (Rfm rfm : scored) {
            int index = MemberTable.index(rfm.customerId());
            members.recencyDays[index] = (int) rfm.recencyDays();
            members.recencyScore[index] = (byte) rfm.recencyScore();
            members.frequencyScore[index] = (byte) rfm.frequencyScore();
            members.monetaryScore[index] = (byte) rfm.monetaryScore();
            members.segment[index] = (byte) rfm.segment().ordinal();
        }
        return new Report.Builder("rfm").header("asOf", Freshness.text(asOf))
                .header("computedAt", Freshness.text(computedAt)).header("analysisDate", today.toString())
                .header("members", scored.size()).build();
    }

    /** Each member's orders as purchases on their last purchase day: the first with the spend, the rest with 0. */
    private static final class OrdersOfMembers implements Iterator<Purchase> {
        private final MemberTable members;
        private int index = -1;
        private int left;
        private String name;
        private LocalDate day;

        OrdersOfMembers(MemberTable members) {
            this.members = members;
            advance();
        }

        private void advance() {
            do {
                index++;
            } while (index < members.size && (members.days[index] == 0 || members.orders[index] < 1));
            if (index < members.size) {
                left = members.orders[index];
                name = MemberTable.name(index);
                day = LocalDate.ofEpochDay(members.lastDay[index]);
            }
        }

        @Override
        public boolean hasNext() {
            return index < members.size;
        }

        @Override
        public Purchase next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            boolean first = left == members.orders[index];
            Purchase purchase = new Purchase(name, day,
                    first ? BigDecimal.valueOf(members.spend[index]) : BigDecimal.ZERO);
            if (--left == 0) {
                advance();
            }
            return purchase;
        }
    }

    /** Association rules over every sale's basket of this kind, by {@link FrequentItemsets} and its rules. */
    private Report crossSell(Connection connection, String kind, Instant computedAt, Instant asOf)
            throws SQLException {
        String column = kind.equals("sku") ? "skus" : "categories";
        int baskets;
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM purchase_fact");
             ResultSet row = count.executeQuery()) {
            row.next();
            baskets = row.getInt(1);
        }
        List<AssociationRule> rules = baskets == 0 ? List.of() : AssociationRules.of(
                FrequentItemsets.mine(new Baskets(connection, column, baskets), config.minimumSupport(),
                        config.maxItemsetSize()),
                AssociationRules.Criteria.singleItemConsequent(config.minimumConfidence()));
        Report.Builder report = new Report.Builder("cross-sell", "antecedent", "consequent", "count", "support",
                "confidence", "lift")
                .header("asOf", Freshness.text(asOf)).header("computedAt", Freshness.text(computedAt))
                .header("by", kind).header("baskets", baskets)
                .header("minSupport", config.minimumSupport()).header("minConfidence", config.minimumConfidence());
        for (AssociationRule rule : rules.subList(0, Math.min(rules.size(), config.maxRules()))) {
            report.row(String.join(" ", rule.antecedent()), String.join(" ", rule.consequent()), rule.count(),
                    rule.support(), rule.confidence(), rule.lift());
        }
        return report.build();
    }

    /** Every sale's basket, streamed from purchase_fact each time it is iterated (FP-Growth reads it twice). */
    private static final class Baskets extends AbstractCollection<Collection<String>> {
        private final Connection connection;
        private final String column;
        private final int size;

        Baskets(Connection connection, String column, int size) {
            this.connection = connection;
            this.column = column;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Collection<String>> iterator() {
            try {
                PreparedStatement select = streaming(connection, "SELECT " + column + " FROM purchase_fact");
                ResultSet rows = select.executeQuery();
                return new Iterator<>() {
                    private Boolean ahead;

                    @Override
                    public boolean hasNext() {
                        if (ahead == null) {
                            try {
                                ahead = rows.next();
                                if (!ahead) {
                                    select.close();
                                }
                            } catch (SQLException e) {
                                throw new IllegalStateException("Reading baskets failed", e);
                            }
                        }
                        return ahead;
                    }

                    @Override
                    public Collection<String> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        ahead = null;
                        try {
                            String items = rows.getString(1);
                            return items.isBlank() ? List.of() : List.of(items.split(" "));
                        } catch (SQLException e) {
                            throw new IllegalStateException("Reading baskets failed", e);
                        }
                    }
                };
            } catch (SQLException e) {
                throw new IllegalStateException("Reading baskets failed", e);
            }
        }
    }

    private void writeScores(MemberTable members, Instant computedAt, ProgressListener listener) {
        LocalDateTime at = Freshness.utc(computedAt);
        List<Integer> scored = new ArrayList<>(WRITE_BATCH);
        int lastPercent = 80;
        for (int index = 0; index < members.size; index++) {
            if (members.recencyScore[index] > 0) {
                scored.add(index);
            }
            if (scored.size() == WRITE_BATCH || index == members.size - 1) {
                List<Integer> batch = List.copyOf(scored);
                scored.clear();
                Jdbc.inTransaction(dataSource, connection -> writeScoreBatch(connection, members, batch, at));
                int percent = 80 + (int) (15L * (index + 1) / members.size);
                if (percent != lastPercent) {
                    listener.progress("scores", percent);
                    lastPercent = percent;
                }
            }
        }
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM member_score WHERE computed_at < ?")) {
                delete.setObject(1, at);
                return delete.executeUpdate();
            }
        });
    }

    private static int writeScoreBatch(Connection connection, MemberTable members, List<Integer> batch,
                                       LocalDateTime at) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO member_score (member_id,"
                + " recency_days, frequency, monetary, recency_score, frequency_score, monetary_score, rfm_segment,"
                + " probability_alive, expected_purchases, predicted_value, computed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                + " recency_days = VALUES(recency_days), frequency = VALUES(frequency), monetary = VALUES(monetary),"
                + " recency_score = VALUES(recency_score), frequency_score = VALUES(frequency_score),"
                + " monetary_score = VALUES(monetary_score), rfm_segment = VALUES(rfm_segment),"
                + " probability_alive = VALUES(probability_alive), expected_purchases = VALUES(expected_purchases),"
                + " predicted_value = VALUES(predicted_value), computed_at = VALUES(computed_at)")) {
            for (int index : batch) {
                upsert.setBytes(1, members.idBytes(index));
                upsert.setInt(2, members.recencyDays[index]);
                upsert.setInt(3, members.orders[index]);
                upsert.setLong(4, members.spend[index]);
                upsert.setInt(5, members.recencyScore[index]);
                upsert.setInt(6, members.frequencyScore[index]);
                upsert.setInt(7, members.monetaryScore[index]);
                upsert.setString(8, RfmSegment.values()[members.segment[index]].name());
                upsert.setObject(9, orNull(members.probabilityAlive[index]));
                upsert.setObject(10, orNull(members.expectedPurchases[index]));
                upsert.setObject(11, orNull(members.predictedValue[index]));
                upsert.setObject(12, at);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        return batch.size();
    }

    /** The cross-sell rules as rows too (segments target them), replacing the last run's, with the snapshots. */
    private static void writeRules(Connection connection, Map<String, Report> snapshots) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM cross_sell_rule")) {
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cross_sell_rule (kind, antecedent,"
                + " consequent, support, confidence, lift) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (String kind : BASKET_KINDS) {
                for (List<Object> rule : snapshots.get("cross-sell-" + kind).rows()) {
                    insert.setString(1, kind);
                    insert.setString(2, (String) rule.get(0));
                    insert.setString(3, (String) rule.get(1));
                    insert.setDouble(4, ((Number) rule.get(3)).doubleValue());
                    insert.setDouble(5, ((Number) rule.get(4)).doubleValue());
                    insert.setDouble(6, ((Number) rule.get(5)).doubleValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private int writeSnapshots(Connection connection, java.util.UUID runId, Instant asOf, Instant computedAt,
                               Map<String, Report> snapshots) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO analytics_snapshot (report, run_id,"
                + " as_of, computed_at, body) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE run_id = VALUES(run_id),"
                + " as_of = VALUES(as_of), computed_at = VALUES(computed_at), body = VALUES(body)")) {
            for (Map.Entry<String, Report> snapshot : snapshots.entrySet()) {
                upsert.setString(1, snapshot.getKey());
                upsert.setBytes(2, io.kizuna.db.UuidConverter.toBytes(runId));
                upsert.setObject(3, asOf == null ? null : Freshness.utc(asOf));
                upsert.setObject(4, Freshness.utc(computedAt));
                upsert.setString(5, write(snapshot.getValue()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        return snapshots.size();
    }

    private String write(Report report) {
        try {
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("header", report.header());
            stored.put("columns", report.columns());
            stored.put("rows", report.rows());
            return json.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A report cannot be written as JSON", e);
        }
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** A forward-only statement that streams its rows instead of reading them all into memory first. */
    static PreparedStatement streaming(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(STREAM);
        return statement;
    }
}
