package io.kizuna.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Row counts of every table the API writes, and the sum of cached balances: equal snapshots, nothing written. */
public final class RowCounts {
    private static final List<String> TABLES = List.of("member", "card", "account", "transfer", "lot",
            "lot_movement", "pending_transfer", "idempotency_record", "staff_credential", "audit_log", "store",
            "terminal", "product", "receipt", "receipt_line", "receipt_rule", "app_account", "app_session",
            "app_failed_attempt", "nps_answer", "tier_definition", "member_tier", "tier_history",
            "tier_qualification_month", "tier_review", "segment", "campaign", "campaign_member");

    private RowCounts() {
    }

    public static Map<String, Long> snapshot() {
        return snapshot(TestServer.get().database().dataSource());
    }

    /** The same snapshot of another server's database (a test's own Kizuna). */
    public static Map<String, Long> snapshot(DataSource dataSource) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                counts.put(table, single(statement, "SELECT COUNT(*) FROM " + table));
            }
            counts.put("posted", single(statement, "SELECT COALESCE(SUM(posted), 0) FROM account"));
            counts.put("held", single(statement, "SELECT COALESCE(SUM(pending_debits), 0) FROM account"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static long single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
