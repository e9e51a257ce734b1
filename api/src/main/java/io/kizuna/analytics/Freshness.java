package io.kizuna.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.kizuna.feed.Projections;

/** How fresh the projections are: the time of the last event they applied (null before the first). */
final class Freshness {
    private Freshness() {
    }

    static Instant projectionsAsOf(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT e.created_at FROM feed_cursor c"
                + " JOIN outbox_event e ON e.position = c.position WHERE c.name = ?")) {
            select.setString(1, Projections.CURSOR);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? instant(row.getObject(1, LocalDateTime.class)) : null;
            }
        }
    }

    static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** An instant as the reports write it: ISO-8601 in UTC, or null. */
    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
