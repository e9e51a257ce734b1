package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.kizuna.persistence.Jdbc;

/**
 * Builds the analytics projections anew from the source of truth (receipts, their lines, and transfers) with a few
 * set-based statements, for a bulk load or after a projection has changed meaning. It writes exactly what applying
 * every event one by one would have written, and moves the projections' cursor to the end of the feed.
 *
 * <p>It is maintenance work: run it while no sales are being recorded (the events of a sale that commits during
 * the rebuild could be counted twice). It is not exposed through the API.
 */
public final class ProjectionRebuild {
    private static final String UNCATEGORISED = "'" + Projections.UNCATEGORISED + "'";
    private static final int MEMBERS_PER_SLICE = 20_000;

    private final DataSource dataSource;
    private final ZoneId zone;
    private final int membersPerSlice;

    public ProjectionRebuild(DataSource dataSource, ZoneId zone) {
        this(dataSource, zone, MEMBERS_PER_SLICE);
    }

    /** With slices of {@code membersPerSlice} members: tests use tiny ones to cross slice bounds. */
    ProjectionRebuild(DataSource dataSource, ZoneId zone, int membersPerSlice) {
        this.dataSource = dataSource;
        this.zone = zone;
        this.membersPerSlice = membersPerSlice;
    }

    /** Rebuilds every projection; {@code stages} hears the name of each stage as it starts. */
    public void run(Consumer<String> stages) {
        try (Connection connection = dataSource.getConnection()) {
            int offsetSeconds = fixedOffsetSeconds(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION group_concat_max_len = 1048576");
                for (String table : List.of("purchase_fact", "member_day", "member_stats", "member_category",
                        "points_daily")) {
                    statement.execute("TRUNCATE TABLE " + table);
                }
            }
            connection.setAutoCommit(false);
            stages.accept("purchase_fact");
            execute(connection, purchaseFacts(offsetSeconds));
            stages.accept("member_day");
            execute(connection, memberDays());
            execute(connection, memberDayReturns());
            stages.accept("member_stats");
            execute(connection, memberStats());
            execute(connection, memberStatsReturns());
            stages.accept("member_category");
            memberCategories(connection);
            execute(connection, memberCategoryReturns());
            stages.accept("points_daily");
            execute(connection, pointsDaily(offsetSeconds));
            long end = EventLog.lastPosition(connection);
            FeedCursors.lock(connection, Projections.CURSOR);
            FeedCursors.advance(connection, Projections.CURSOR, end);
            connection.commit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("The projections could not be rebuilt (SQL state " + e.getSQLState()
                    + ", error " + e.getErrorCode() + ")", e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static String purchaseFacts(int offsetSeconds) {
        return "INSERT INTO purchase_fact (receipt_id, member_id, store_code, sold_at, local_day, day_of_week,"
                + " hour_of_day, total_amount, net_amount, skus, categories)"
                + " SELECT r.id, r.member_id, r.store_code, r.created_at, r.business_day, WEEKDAY(r.business_day) + 1,"
                + " HOUR(DATE_ADD(r.created_at, INTERVAL " + offsetSeconds + " SECOND)), r.total_amount,"
                + " r.total_amount - COALESCE(b.back, 0), l.skus, l.categories"
                + " FROM receipt r"
                + " JOIN (SELECT receipt_id,"
                + "   GROUP_CONCAT(DISTINCT sku ORDER BY CAST(sku AS BINARY) SEPARATOR ' ') AS skus,"
                + "   GROUP_CONCAT(DISTINCT COALESCE(category, " + UNCATEGORISED + ")"
                + "     ORDER BY CAST(COALESCE(category, " + UNCATEGORISED + ") AS BINARY) SEPARATOR ' ') AS categories"
                + "   FROM receipt_line GROUP BY receipt_id) l ON l.receipt_id = r.id"
                + " LEFT JOIN (SELECT original_receipt_id, SUM(total_amount) AS back FROM receipt"
                + "   WHERE kind <> 'SALE' GROUP BY original_receipt_id) b ON b.original_receipt_id = r.id"
                + " WHERE r.kind = 'SALE'";
    }

    private static String memberDays() {
        return "INSERT INTO member_day (member_id, day, purchases, spend)"
                + " SELECT member_id, business_day, COUNT(*), SUM(total_amount) FROM receipt"
                + " WHERE kind = 'SALE' AND member_id IS NOT NULL GROUP BY member_id, business_day";
    }

    /** A return takes its amount off the day of the sale it returns. */
    private static String memberDayReturns() {
        return "UPDATE member_day d JOIN (SELECT o.member_id, o.business_day, SUM(b.total_amount) AS back"
                + " FROM receipt b JOIN receipt o ON o.id = b.original_receipt_id"
                + " WHERE b.kind <> 'SALE' AND b.member_id IS NOT NULL GROUP BY o.member_id, o.business_day) x"
                + " ON x.member_id = d.member_id AND x.business_day = d.day SET d.spend = d.spend - x.back";
    }

    private static String memberStats() {
        return "INSERT INTO member_stats (member_id, first_purchase_at, last_purchase_at, purchases, purchase_days,"
                + " returns, spend, points_earned, points_paid, first_store_code)"
                + " SELECT s.member_id, s.first_at, s.last_at, s.purchases, s.days, 0, s.spend, s.earned, s.paid,"
                + " f.store_code FROM (SELECT member_id, MIN(created_at) AS first_at, MAX(created_at) AS last_at,"
                + "   COUNT(*) AS purchases, COUNT(DISTINCT business_day) AS days, SUM(total_amount) AS spend,"
                + "   SUM(points_earned) AS earned, SUM(points_paid) AS paid FROM receipt"
                + "   WHERE kind = 'SALE' AND member_id IS NOT NULL GROUP BY member_id) s"
                + " JOIN (SELECT member_id, store_code, ROW_NUMBER() OVER (PARTITION BY member_id"
                + "   ORDER BY created_at, id) AS nth FROM receipt WHERE kind = 'SALE' AND member_id IS NOT NULL) f"
                + " ON f.member_id = s.member_id AND f.nth = 1";
    }

    private static String memberStatsReturns() {
        return "UPDATE member_stats m JOIN (SELECT member_id, COUNT(*) AS n, SUM(total_amount) AS back,"
                + " SUM(points_earned) AS reversed, SUM(points_paid) AS refunded FROM receipt"
                + " WHERE kind <> 'SALE' AND member_id IS NOT NULL GROUP BY member_id) x ON x.member_id = m.member_id"
                + " SET m.returns = m.returns + x.n, m.spend = m.spend - x.back,"
                + " m.points_earned = m.points_earned - x.reversed, m.points_paid = m.points_paid - x.refunded";
    }

    /**
     * Member by category, a slice of members at a time: grouping every purchase line of the program by member and
     * category at once needs a temporary table far larger than memory, while a slice of {@value #MEMBERS_PER_SLICE}
     * members groups in memory, read through the receipts' member index. The slices' bounds are every n-th member
     * id of member_stats (built just before), so they fit any id distribution, time-ordered ids too.
     */
    private void memberCategories(Connection connection) throws SQLException {
        List<byte[]> bounds = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT member_id FROM member_stats ORDER BY member_id");
             ResultSet rows = select.executeQuery()) {
            for (long row = 0; rows.next(); row++) {
                if (row % membersPerSlice == 0) {
                    bounds.add(rows.getBytes(1));
                }
            }
        }
        for (int slice = 0; slice < bounds.size(); slice++) {
            boolean last = slice + 1 == bounds.size();
            // The last slice has no upper bound: a condition with OR would keep the index from bounding the others.
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO member_category (member_id,"
                    + " category, purchases, spend) SELECT r.member_id, COALESCE(l.category, " + UNCATEGORISED + "),"
                    + " COUNT(DISTINCT r.id), SUM(l.amount - l.discount) FROM receipt r"
                    + " JOIN receipt_line l ON l.receipt_id = r.id WHERE r.kind = 'SALE' AND r.member_id >= ?"
                    + (last ? "" : " AND r.member_id < ?")
                    + " GROUP BY r.member_id, COALESCE(l.category, " + UNCATEGORISED + ")")) {
                insert.setBytes(1, bounds.get(slice));
                if (!last) {
                    insert.setBytes(2, bounds.get(slice + 1));
                }
                insert.executeUpdate();
            }
        }
    }

    private static String memberCategoryReturns() {
        return "UPDATE member_category c JOIN (SELECT r.member_id, COALESCE(l.category, " + UNCATEGORISED
                + ") AS category, SUM(l.amount - l.discount) AS back FROM receipt r"
                + " JOIN receipt_line l ON l.receipt_id = r.id WHERE r.kind <> 'SALE' AND r.member_id IS NOT NULL"
                + " GROUP BY r.member_id, COALESCE(l.category, " + UNCATEGORISED + ")) x"
                + " ON x.member_id = c.member_id AND x.category = c.category SET c.spend = c.spend - x.back";
    }

    /** Points per day, code and phase, and which way they moved the wallets: +1 in, -1 out, 0 between two. */
    private static String pointsDaily(int offsetSeconds) {
        String day = "DATE(DATE_ADD(t.created_at, INTERVAL " + offsetSeconds + " SECOND))";
        String walletChange = "(CASE WHEN c.kind IN ('MEMBER_WALLET', 'CARD_WALLET') THEN 1 ELSE 0 END)"
                + " - (CASE WHEN d.kind IN ('MEMBER_WALLET', 'CARD_WALLET') THEN 1 ELSE 0 END)";
        return "INSERT INTO points_daily (day, code, phase, wallet_change, points)"
                + " SELECT " + day + ", t.code, t.phase, " + walletChange + ", SUM(t.amount) FROM transfer t"
                + " JOIN account d ON d.id = t.debit_account_id JOIN account c ON c.id = t.credit_account_id"
                + " GROUP BY " + day + ", t.code, t.phase, " + walletChange;
    }

    /**
     * The program zone's offset from UTC over the span of the data. Local days and hours are computed in SQL with
     * one offset; a zone that changed its offset within the span (daylight saving) is refused rather than
     * misplacing an hour of sales.
     */
    private int fixedOffsetSeconds(Connection connection) throws SQLException {
        List<Instant> span = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MIN(created_at), MAX(created_at) FROM transfer UNION ALL"
                        + " SELECT MIN(created_at), MAX(created_at) FROM receipt");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                for (int column = 1; column <= 2; column++) {
                    LocalDateTime value = rows.getObject(column, LocalDateTime.class);
                    if (value != null) {
                        span.add(value.toInstant(ZoneOffset.UTC));
                    }
                }
            }
        }
        Instant first = span.stream().min(Instant::compareTo).orElse(Instant.EPOCH);
        Instant last = span.stream().max(Instant::compareTo).orElse(Instant.EPOCH);
        ZoneOffsetTransition change = zone.getRules().nextTransition(first);
        if (change != null && !change.getInstant().isAfter(last)) {
            throw new IllegalStateException("The program zone " + zone + " changes its offset at "
                    + change.getInstant() + ", within the data; the rebuild needs one offset");
        }
        return zone.getRules().getOffset(first).getTotalSeconds();
    }
}
