package io.kizuna.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Jdbc;

/**
 * The heavy reports as the last recompute left them: the snapshots' headers (as of, computed at, fitted models,
 * mined rules) and the member scores, sliced and paged here. Before the first recompute they answer no rows and a
 * null {@code computedAt}.
 */
final class StoredReports {
    private static final String SCORES = " FROM member_score s LEFT JOIN member m ON m.id = s.member_id"
            + " LEFT JOIN member_stats t ON t.member_id = s.member_id";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;
    private final ZoneId zone;

    private final Supplier<String> lowestTier;

    StoredReports(DataSource dataSource, ObjectMapper json, Clock clock, ZoneId zone, Supplier<String> lowestTier) {
        this.lowestTier = lowestTier;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
        this.zone = zone;
    }

    /** Members per RFM segment, every segment listed in declaration order with its share of the slice. */
    Report rfm(Slice slice) {
        return Jdbc.inTransaction(dataSource, connection -> {
            LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
            Map<String, Map<RfmSegment, Integer>> counts = new TreeMap<>();
            String column = slice.column("m", "t.first_store_code", lowestTier.get());
            try (PreparedStatement select = connection.prepareStatement("SELECT " + column + ", s.rfm_segment,"
                    + " COUNT(*)" + SCORES + " GROUP BY " + column + ", s.rfm_segment");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(slice.label(rows.getObject(1), today),
                            label -> new EnumMap<>(RfmSegment.class))
                            .merge(RfmSegment.valueOf(rows.getString(2)), rows.getInt(3), Integer::sum);
                }
            }
            Report.Builder report = fromSnapshot(connection, "rfm", "slice", "segment", "members", "share")
                    .header("by", slice.parameter());
            counts.forEach((label, bySegment) -> {
                RfmSegmentCounts segments = new RfmSegmentCounts(bySegment);
                segments.customersBySegment().forEach((segment, members) -> report.row(label,
                        segment.displayName(), members, (double) members / segments.total()));
            });
            return report.build();
        });
    }

    /** One page of members' RFM values and scores, in member id order, after {@code after}. */
    Report rfmMembers(Optional<RfmSegment> segment, Optional<UUID> after, int limit) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Report.Builder report = fromSnapshot(connection, "rfm", "memberId", "recencyDays", "frequency",
                    "monetary", "recencyScore", "frequencyScore", "monetaryScore", "segment");
            String next = page(connection, "recency_days, frequency, monetary, recency_score, frequency_score,"
                    + " monetary_score, rfm_segment", segment, after, limit, (id, rows) -> report.row(id,
                    rows.getInt(2), rows.getInt(3), rows.getLong(4), rows.getInt(5), rows.getInt(6), rows.getInt(7),
                    RfmSegment.valueOf(rows.getString(8)).displayName()));
            return report.header("next", next).build();
        });
    }

    /** The fitted models and, per slice, members, mean probability alive, expected purchases and predicted value. */
    Report clv(Slice slice) {
        return Jdbc.inTransaction(dataSource, connection -> {
            LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
            String column = slice.column("m", "t.first_store_code", lowestTier.get());
            Map<String, double[]> sums = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + column + ", COUNT(*),"
                    + " SUM(s.probability_alive), SUM(s.expected_purchases), SUM(s.predicted_value)" + SCORES
                    + " GROUP BY " + column);
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    double[] values = sums.computeIfAbsent(slice.label(rows.getObject(1), today),
                            label -> new double[4]);
                    for (int i = 0; i < 4; i++) {
                        values[i] += rows.getDouble(2 + i);
                    }
                }
            }
            Report.Builder report = fromSnapshot(connection, "clv", "slice", "members", "averageProbabilityAlive",
                    "expectedPurchases", "predictedValue").header("by", slice.parameter());
            sums.forEach((label, values) -> report.row(label, (long) values[0], values[1] / values[0], values[2],
                    values[3]));
            return report.build();
        });
    }

    /** Monthly cohort retention as the last recompute counted it ({@link Cohorts}). */
    Report cohorts(Slice slice) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<Map<String, Object>> stored = snapshot(connection, "cohorts-" + slice.parameter());
            Report.Builder report = new Report.Builder("cohorts", "slice", "cohort", "monthOffset", "cohortSize",
                    "activeMembers", "share").header("asOf", null).header("computedAt", null)
                    .header("by", slice.parameter());
            stored.ifPresent(found -> {
                header(found).forEach(report::header);
                rows(found).forEach(row -> report.row(row.toArray()));
            });
            return report.build();
        });
    }

    /** One page of members' lifetime-value predictions, in member id order, after {@code after}. */
    Report clvMembers(Optional<UUID> after, int limit) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Report.Builder report = fromSnapshot(connection, "clv", "memberId", "probabilityAlive",
                    "expectedPurchases", "predictedValue");
            String next = page(connection, "probability_alive, expected_purchases, predicted_value",
                    Optional.empty(), after, limit, (id, rows) -> report.row(id, nullable(rows, 2),
                            nullable(rows, 3), nullable(rows, 4)));
            return report.header("next", next).build();
        });
    }

    /**
     * The stored rules of this basket kind that reach the asked support and confidence. The recompute mined at
     * the configured minimums, so asking for less cannot be answered from it.
     */
    Report crossSell(String kind, Optional<Double> minimumSupport, Optional<Double> minimumConfidence) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Optional<Map<String, Object>> stored = snapshot(connection, "cross-sell-" + kind);
            Report.Builder report = new Report.Builder("cross-sell", "antecedent", "consequent", "count",
                    "support", "confidence", "lift");
            if (stored.isEmpty()) {
                return report.header("asOf", null).header("computedAt", null).header("by", kind).build();
            }
            Map<String, Object> header = header(stored.get());
            double minedSupport = ((Number) header.get("minSupport")).doubleValue();
            double minedConfidence = ((Number) header.get("minConfidence")).doubleValue();
            double support = minimumSupport.orElse(minedSupport);
            double confidence = minimumConfidence.orElse(minedConfidence);
            if (support < minedSupport || confidence < minedConfidence) {
                throw KizunaException.invalid("Rules were mined at minSupport " + minedSupport + " and minConfidence "
                        + minedConfidence + "; ask for those or more (kizuna.analytics.cross-sell sets them).");
            }
            header.forEach((name, value) -> report.header(name, value));
            report.header("minSupport", support).header("minConfidence", confidence);
            for (List<Object> row : rows(stored.get())) {
                double rowSupport = ((Number) row.get(3)).doubleValue();
                if (rowSupport >= support && ((Number) row.get(4)).doubleValue() >= confidence) {
                    report.row(row.toArray());
                }
            }
            return report.build();
        });
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(String memberId, ResultSet rows) throws SQLException;
    }

    private static String page(Connection connection, String columns, Optional<RfmSegment> segment,
                               Optional<UUID> after, int limit, RowWriter writer) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT member_id, " + columns
                + " FROM member_score WHERE member_id > ?" + (segment.isPresent() ? " AND rfm_segment = ?" : "")
                + " ORDER BY member_id LIMIT ?")) {
            int parameter = 1;
            select.setBytes(parameter++, after.map(UuidConverter::toBytes).orElse(new byte[16]));
            if (segment.isPresent()) {
                select.setString(parameter++, segment.get().name());
            }
            select.setInt(parameter, limit);
            String last = null;
            int count = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = UuidConverter.fromBytes(rows.getBytes(1)).toString();
                    writer.write(last, rows);
                    count++;
                }
            }
            return count == limit ? last : null;
        }
    }

    private static Double nullable(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    /** A report builder headed by the snapshot's report name, as of, computed at and other header values. */
    private Report.Builder fromSnapshot(Connection connection, String name, String... columns) throws SQLException {
        Report.Builder report = new Report.Builder(name, columns).header("asOf", null).header("computedAt", null);
        snapshot(connection, name).ifPresent(stored -> header(stored).forEach(report::header));
        return report;
    }

    private Optional<Map<String, Object>> snapshot(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT body FROM analytics_snapshot WHERE report = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> stored = json.readValue(row.getString(1), Map.class);
                return Optional.of(stored);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(Map<String, Object> stored) {
        return (Map<String, Object>) stored.get("header");
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> rows(Map<String, Object> stored) {
        return new ArrayList<>((List<List<Object>>) stored.get("rows"));
    }
}
