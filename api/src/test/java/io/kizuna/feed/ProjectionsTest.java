package io.kizuna.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analytics projections on a small data set of their own, checked number by number; applying the feed twice
 * changes nothing; a rebuild from the receipts and transfers writes exactly what the events wrote.
 */
class ProjectionsTest {
    private static final LocalDate APRIL_1 = LocalDate.parse("2026-04-01");
    private static final LocalDate APRIL_3 = LocalDate.parse("2026-04-03");
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static Shop shibuya;
    private static Shop umeda;
    private static Shop.Member hanako;
    private static Shop.Member taro;
    private static long hour;

    @BeforeAll
    static void aSmallDataSet() {
        kizuna = TestServer.startOwn("projections" + System.nanoTime());
        hour = TestServer.CLOCK.instant().atZone(java.time.ZoneId.of("Asia/Tokyo")).getHour();
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        shibuya = Shop.open(admin);
        umeda = Shop.open(admin);
        hanako = Shop.enroll(admin, "\"profile\": {\"name\": \"Hanako\"}");
        taro = Shop.enroll(admin, "\"profile\": {\"name\": \"Taro\"}");
        // Hanako: two sales on April 1 (one day of purchases), one on April 3 at another store, one line returned.
        Shop.Sale first = shibuya.sale(hanako.card(), APRIL_1, Shop.line("4901234567894", "FOOD", 1200),
                Shop.line("4909999999990", "DRINK", 300));
        shibuya.sale(hanako.card(), APRIL_1, Shop.line("4909999999990", "DRINK", 500));
        umeda.sale(hanako.card(), APRIL_3, Shop.line("4901234567894", "FOOD", 2000));
        shibuya.returnLine(first, 2, APRIL_3);
        // Taro: one sale, then his points adjusted by staff. An anonymous sale besides.
        shibuya.sale(taro.card(), APRIL_3, Shop.line("4901234567894", "FOOD", 700));
        admin.post("/api/v1/members/" + taro.id() + "/adjustments", "{\"points\": 50, \"reason\": \"apology\"}")
                .expect(201);
        umeda.sale(null, APRIL_3, Shop.line("4909999999990", "DRINK", 150));
        kizuna.core().dispatcher.run();
    }

    @AfterAll
    static void stop() {
        admin.assertLedgerBalanced();
        kizuna.close();
    }

    @Test
    void memberStatisticsAddUpTheMembersSalesAndReturns() throws SQLException {
        Map<String, Object> stats = row("SELECT purchases, purchase_days, returns, spend, points_earned, points_paid,"
                + " first_store_code FROM member_stats WHERE HEX(member_id) = '" + hex(hanako.id()) + "'");
        assertEquals(3L, number(stats, "purchases"));
        assertEquals(2L, number(stats, "purchase_days"), "two purchases on April 1 make one purchase day");
        assertEquals(1L, number(stats, "returns"));
        assertEquals(1500 + 500 + 2000 - 300L, number(stats, "spend"));
        assertEquals(15 + 5 + 20 - 3L, number(stats, "points_earned"), "the return took back 300 yen's 3 points");
        assertEquals(shibuya.code(), stats.get("first_store_code"));

        assertEquals(List.of(List.of("2026-04-01", 2L, 1500 + 500 - 300L), List.of("2026-04-03", 1L, 2000L)),
                rows("SELECT CAST(day AS CHAR), purchases, spend FROM member_day WHERE HEX(member_id) = '"
                        + hex(hanako.id()) + "' ORDER BY day"),
                "the return counts against the day of the sale it returns");
        assertEquals(List.of(List.of("DRINK", 2L, 300 + 500 - 300L), List.of("FOOD", 2L, 3200L)),
                rows("SELECT category, purchases, spend FROM member_category WHERE HEX(member_id) = '"
                        + hex(hanako.id()) + "' ORDER BY category"));
    }

    @Test
    void everySaleIsAFactWithItsBasketTimeAndNetAmountAnonymousOnesToo() throws SQLException {
        assertEquals(List.of(
                        List.of(1500L, 1200L, "4901234567894 4909999999990", "DRINK FOOD", 3L, hour),
                        List.of(500L, 500L, "4909999999990", "DRINK", 3L, hour),
                        List.of(2000L, 2000L, "4901234567894", "FOOD", 5L, hour),
                        List.of(700L, 700L, "4901234567894", "FOOD", 5L, hour),
                        List.of(150L, 150L, "4909999999990", "DRINK", 5L, hour)),
                rows("SELECT total_amount, net_amount, skus, categories, day_of_week, hour_of_day FROM purchase_fact"
                        + " ORDER BY receipt_id"),
                "April 1 2026 is a Wednesday (3), April 3 a Friday (5); the hour is the test clock's, in Tokyo");
        assertEquals(1L, number(row("SELECT COUNT(*) AS n FROM purchase_fact WHERE member_id IS NULL"), "n"));
    }

    @Test
    void pointsMovedAreAddedUpByDayCodeAndPhase() throws SQLException {
        assertEquals(List.of(List.of("ADJUSTMENT", "SINGLE", 50L), List.of("EARN", "SINGLE", 15 + 5 + 20 + 7L),
                        List.of("REVERSAL", "SINGLE", 3L)),
                rows("SELECT code, phase, points FROM points_daily ORDER BY code"));
    }

    @Test
    void applyingTheFeedAgainChangesNothingAndARebuildWritesWhatTheEventsWrote() throws SQLException {
        Map<String, List<List<Object>>> applied = snapshot();
        assertEquals(new OutboxDispatcher.Summary(0, 0), kizuna.core().dispatcher.run());
        assertEquals(applied, snapshot());

        try (Connection connection = kizuna.database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE member_stats SET spend = -1");
        }
        assertNotEquals(applied, snapshot(), "the snapshot sees a change");
        List<String> stages = new ArrayList<>();
        // One member a slice: member by category is built in two slices, across a bound.
        new ProjectionRebuild(kizuna.database().dataSource(), kizuna.core().ledgerConfig.zone(), 1).run(stages::add);
        assertEquals(applied, snapshot());
        assertEquals(List.of("purchase_fact", "member_day", "member_stats", "member_category", "points_daily"),
                stages);
        assertEquals(new OutboxDispatcher.Summary(0, 0), kizuna.core().dispatcher.run(),
                "the rebuild moved the cursor to the end of the feed: nothing is applied twice");
    }

    private static Map<String, List<List<Object>>> snapshot() throws SQLException {
        Map<String, List<List<Object>>> tables = new TreeMap<>();
        for (String table : List.of("purchase_fact", "member_day", "member_stats", "member_category",
                "points_daily")) {
            tables.put(table, rows("SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        return tables;
    }

    private static List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = kizuna.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    Object value = result.getObject(column);
                    row.add(value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes)
                            : value instanceof Number number ? (Object) number.longValue()
                            : value == null ? null : value instanceof String ? value : value.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String sql) throws SQLException {
        try (Connection connection = kizuna.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            Map<String, Object> row = new TreeMap<>();
            for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
            }
            return row;
        }
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static String hex(String uuid) {
        return uuid.replace("-", "").toUpperCase(java.util.Locale.ROOT);
    }
}
