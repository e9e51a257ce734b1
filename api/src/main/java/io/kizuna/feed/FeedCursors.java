package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** How far each consumer of the feed has got: a row per consumer, locked while its next batch is applied. */
public final class FeedCursors {
    private FeedCursors() {
    }

    /** Locks the consumer's cursor for the rest of the transaction and answers its position. */
    public static long lock(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT position FROM feed_cursor WHERE name = ? FOR UPDATE")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("The feed has no cursor called " + name);
                }
                return row.getLong(1);
            }
        }
    }

    public static void advance(Connection connection, String name, long position) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE feed_cursor SET position = ?, updated_at = UTC_TIMESTAMP(6) WHERE name = ?")) {
            update.setLong(1, position);
            update.setString(2, name);
            update.executeUpdate();
        }
    }

    public static void create(Connection connection, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO feed_cursor (name, position, updated_at) VALUES (?, 0, UTC_TIMESTAMP(6))")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
    }
}
