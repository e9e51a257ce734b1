package io.kizuna.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.kizuna.persistence.Jdbc;

/**
 * The reports read straight from the projections when asked: each is a few grouped queries over member_stats,
 * member_day, purchase_fact and points_daily (nps_answer for NPS), never over receipts, transfers or lots. Slices
 * are grouped by their raw column in SQL and merged by label here ({@link Slice}).
 */
final class LiveReports {
    private static final String SALES = " FROM purchase_fact f LEFT JOIN member m ON m.id = f.member_id";
    private static final String POSTED = "('SINGLE', 'POST')";

    private final DataSource dataSource;
    private final Clock clock;
    private final ZoneId zone;
    private final List<Long> priceBands;

    private final Supplier<String> lowestTier;

    LiveReports(DataSource dataSource, Clock clock, ZoneId zone, List<Long> priceBandBoundaries,
                Supplier<String> lowestTier) {
        this.lowestTier = lowestTier;
        this.dataSource = dataSource;
        this.clock = clock;
        this.zone = zone;
        this.priceBands = priceBandBoundaries;
    }

    /** Sales and points between two business days, inclusive. */
    record Period(LocalDate from, LocalDate to) {
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    Report kpis(Slice slice, Period period) {
        return Jdbc.inTransaction(dataSource, connection -> {
            String column = slice.column("m", "f.store_code", lowestTier.get());
            Map<List<Object>, long[]> members = sums(connection, slice, 0, "SELECT raw, COUNT(*),"
                    + " SUM(CASE WHEN days >= 2 THEN 1 ELSE 0 END), SUM(purchases) FROM (SELECT f.member_id, "
                    + column + " AS raw, COUNT(DISTINCT f.local_day) AS days, COUNT(*) AS purchases" + SALES
                    + " WHERE f.member_id IS NOT NULL AND f.local_day BETWEEN ? AND ? GROUP BY f.member_id, "
                    + column + ") x GROUP BY raw", period.from(), period.to());
            Map<List<Object>, long[]> sales = sums(connection, slice, 0, "SELECT " + column
                    + ", COUNT(*), SUM(f.net_amount)" + SALES + " WHERE f.local_day BETWEEN ? AND ? GROUP BY "
                    + column, period.from(), period.to());
            Report.Builder report = header(connection, "kpis", slice, period, "slice", "metric", "value");
            TreeMap<List<Object>, long[]> labels = new TreeMap<>(KEY_ORDER);
            labels.putAll(sales);
            members.keySet().forEach(label -> labels.putIfAbsent(label, new long[2]));
            for (List<Object> label : labels.keySet()) {
                long[] member = members.getOrDefault(label, new long[3]);
                long[] sale = labels.get(label);
                Object name = label.getFirst();
                report.row(name, "activeMembers", member[0])
                        .row(name, "repeatRate", ratio(member[1], member[0]))
                        .row(name, "purchaseFrequency", ratio(member[2], member[0]))
                        .row(name, "sales", sale[0])
                        .row(name, "revenue", sale[1])
                        .row(name, "averageBasket", ratio(sale[1], sale[0]));
            }
            points(connection, period, report);
            return report.build();
        });
    }

    /**
     * Points over the period (issued, redeemed, expired: posted movements only) and at its end (outstanding: the
     * wallets' posted balance). Breakage is the share of the points that left the wallets by expiry rather than
     * by redemption, up to the period's end; the expected breakage is that share of the outstanding points. Points
     * are program-wide, never sliced: points_daily does not say whose they were.
     */
    private static void points(Connection connection, Period period, Report.Builder report) throws SQLException {
        long issued = 0;
        long redeemed = 0;
        long expired = 0;
        long redeemedEver = 0;
        long expiredEver = 0;
        long outstanding = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT day >= ?, code, wallet_change,"
                + " SUM(points) FROM points_daily WHERE day <= ? AND phase IN " + POSTED + " GROUP BY 1, 2, 3")) {
            select.setObject(1, period.from());
            select.setObject(2, period.to());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    boolean inPeriod = rows.getBoolean(1);
                    String code = rows.getString(2);
                    long points = rows.getLong(4);
                    outstanding += rows.getInt(3) * points;
                    switch (code) {
                        case "EARN" -> issued += inPeriod ? points : 0;
                        case "REDEMPTION" -> {
                            redeemed += inPeriod ? points : 0;
                            redeemedEver += points;
                        }
                        case "EXPIRY" -> {
                            expired += inPeriod ? points : 0;
                            expiredEver += points;
                        }
                        default -> {
                            // reversals, adjustments and moves between wallets count in the outstanding balance only
                        }
                    }
                }
            }
        }
        Double breakage = ratio(expiredEver, redeemedEver + expiredEver);
        report.row("all", "pointsIssued", issued)
                .row("all", "pointsRedeemed", redeemed)
                .row("all", "pointsExpired", expired)
                .row("all", "pointsOutstanding", outstanding)
                .row("all", "breakageRate", breakage)
                .row("all", "expectedBreakage", breakage == null ? null : Math.round(outstanding * breakage));
    }

    /** Sales and revenue by day of week (1 = Monday) and hour of day, in the program's zone; empty cells left out. */
    Report heatmap(Slice slice, Period period) {
        return Jdbc.inTransaction(dataSource, connection -> {
            String column = slice.column("m", "f.store_code", lowestTier.get());
            Map<List<Object>, long[]> cells = sums(connection, slice, 2, "SELECT " + column
                    + ", f.day_of_week, f.hour_of_day, COUNT(*), SUM(f.net_amount)" + SALES
                    + " WHERE f.local_day BETWEEN ? AND ? GROUP BY " + column + ", f.day_of_week, f.hour_of_day",
                    period.from(), period.to());
            Report.Builder report = header(connection, "heatmap", slice, period,
                    "slice", "dayOfWeek", "hour", "sales", "revenue");
            cells.forEach((key, values) -> report.row(key.get(0), key.get(1), key.get(2), values[0], values[1]));
            return report.build();
        });
    }

    /** How many sales fall in each price band of their net amount, and their share of the slice's sales. */
    Report priceBands(Slice slice, Period period) {
        return Jdbc.inTransaction(dataSource, connection -> {
            String column = slice.column("m", "f.store_code", lowestTier.get());
            StringBuilder band = new StringBuilder("CASE");
            for (int i = 0; i < priceBands.size(); i++) {
                band.append(" WHEN f.net_amount < ").append(priceBands.get(i)).append(" THEN ").append(i);
            }
            band.append(" ELSE ").append(priceBands.size()).append(" END");
            Map<List<Object>, long[]> counts = sums(connection, slice, 1, "SELECT " + column + ", " + band
                    + ", COUNT(*)" + SALES + " WHERE f.local_day BETWEEN ? AND ? GROUP BY " + column + ", " + band,
                    period.from(), period.to());
            Map<Object, Long> salesOfSlice = new TreeMap<>(Comparator.comparing(Object::toString));
            counts.forEach((key, values) -> salesOfSlice.merge(key.getFirst(), values[0], Long::sum));
            Report.Builder report = header(connection, "price-bands", slice, period,
                    "slice", "band", "lowestAmount", "highestAmount", "sales", "share");
            counts.forEach((key, values) -> {
                int index = ((Number) key.get(1)).intValue();
                Long lowest = index == 0 ? 0L : priceBands.get(index - 1);
                Long highest = index == priceBands.size() ? null : priceBands.get(index) - 1;
                report.row(key.getFirst(), lowest + (highest == null ? "+" : "-" + highest), lowest, highest,
                        values[0], ratio(values[0], salesOfSlice.get(key.getFirst())));
            });
            return report.build();
        });
    }

    /** The n-th purchase drop-off over every member's purchase days so far ({@link PurchaseDropOff}). */
    Report dropOff(Slice slice) {
        return Jdbc.inTransaction(dataSource, connection -> {
            String column = slice.column("m", "s.first_store_code", lowestTier.get());
            int cap = PurchaseDropOff.MAX_PURCHASE_DAYS + 1;
            Map<List<Object>, long[]> counts = sums(connection, slice, 1, "SELECT " + column
                    + ", LEAST(s.purchase_days, " + cap + "), COUNT(*)"
                    + " FROM member_stats s LEFT JOIN member m ON m.id = s.member_id"
                    + " WHERE s.purchase_days > 0 GROUP BY " + column + ", LEAST(s.purchase_days, " + cap + ")");
            SortedMap<Object, int[]> withDays = new TreeMap<>(Comparator.comparing(Object::toString));
            counts.forEach((key, values) -> withDays.computeIfAbsent(key.getFirst(), label -> new int[cap + 2])
                    [((Number) key.get(1)).intValue()] += (int) values[0]);
            Report.Builder report = header(connection, "drop-off", slice, null,
                    "slice", "purchases", "members", "membersWithNext", "share");
            withDays.forEach((label, exactly) -> {
                int[] atLeast = new int[cap + 2];
                for (int n = cap; n >= 1; n--) {
                    atLeast[n] = atLeast[n + 1] + exactly[n];
                }
                for (int n = 1; n <= PurchaseDropOff.MAX_PURCHASE_DAYS; n++) {
                    PurchaseDropOff step = new PurchaseDropOff(n, atLeast[n], atLeast[n + 1]);
                    report.row(label, n, step.customersWithAtLeast(), step.customersWithAtLeastNext(),
                            step.share().isPresent() ? step.share().getAsDouble() : null);
                }
            });
            return report.build();
        });
    }

    /** NPS by month of answer (in the program's zone), from every survey answer ({@link NetPromoterScore}). */
    Report nps(Slice slice) {
        return Jdbc.inTransaction(dataSource, connection -> {
            String column = slice.column("m", "s.first_store_code", lowestTier.get());
            LocalDate today = today();
            Map<String, List<NpsAnswer>> answersOfSlice = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + column
                    + ", a.score, a.answered_at FROM nps_answer a LEFT JOIN member m ON m.id = a.member_id"
                    + " LEFT JOIN member_stats s ON s.member_id = a.member_id")) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        LocalDate day = rows.getObject(3, LocalDateTime.class).atOffset(ZoneOffset.UTC)
                                .atZoneSameInstant(zone).toLocalDate();
                        answersOfSlice.computeIfAbsent(slice.label(rows.getObject(1), today),
                                label -> new ArrayList<>()).add(new NpsAnswer(rows.getInt(2), day));
                    }
                }
            }
            Report.Builder report = new Report.Builder("nps", "slice", "month", "answers", "promoters", "passives",
                    "detractors", "nps")
                    .header("asOf", Freshness.text(clock.instant()))
                    .header("by", slice.parameter());
            answersOfSlice.forEach((label, answers) -> NetPromoterScore.byMonth(answers).forEach((month, score) ->
                    report.row(label, month.toString(), score.answers(), score.promoters(), score.passives(),
                            score.detractors(), score.score())));
            return report.build();
        });
    }

    private Report.Builder header(Connection connection, String name, Slice slice, Period period, String... columns)
            throws SQLException {
        Report.Builder report = new Report.Builder(name, columns)
                .header("asOf", Freshness.text(Freshness.projectionsAsOf(connection)))
                .header("by", slice.parameter());
        if (period != null) {
            report.header("from", period.from().toString()).header("to", period.to().toString());
        }
        return report;
    }

    /**
     * Runs a grouped query whose first column is the slice's raw value, the next {@code keyColumns} further group
     * keys and the rest numbers, and adds up the numbers of the rows whose raw values fall in the same slice.
     */
    private Map<List<Object>, long[]> sums(Connection connection, Slice slice, int keyColumns, String sql,
                                          Object... parameters) throws SQLException {
        LocalDate today = today();
        TreeMap<List<Object>, long[]> sums = new TreeMap<>(KEY_ORDER);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                int width = rows.getMetaData().getColumnCount() - 1 - keyColumns;
                while (rows.next()) {
                    List<Object> key = new ArrayList<>();
                    key.add(slice.label(rows.getObject(1), today));
                    for (int i = 0; i < keyColumns; i++) {
                        Object value = rows.getObject(2 + i);
                        key.add(value instanceof Number number ? (Object) number.intValue() : value.toString());
                    }
                    long[] values = sums.computeIfAbsent(key, k -> new long[width]);
                    for (int i = 0; i < width; i++) {
                        values[i] += rows.getLong(2 + keyColumns + i);
                    }
                }
            }
        }
        return sums;
    }

    /** Orders group keys cell by cell: numbers numerically, anything else by its text. */
    private static final Comparator<List<Object>> KEY_ORDER = (left, right) -> {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            Object a = left.get(i);
            Object b = right.get(i);
            int order = a instanceof Integer x && b instanceof Integer y ? Integer.compare(x, y)
                    : a.toString().compareTo(b.toString());
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    };

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
