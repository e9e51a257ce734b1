package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.kizuna.db.UuidConverter;

/** Reads positioned events in feed order. */
public final class EventLog {
    private EventLog() {
    }

    /** Up to {@code limit} events after {@code position}, in position order. */
    public static List<StoredEvent> after(Connection connection, long position, int limit) throws SQLException {
        List<StoredEvent> events = new ArrayList<>(limit);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT position, id, type, member_id, created_at, payload FROM outbox_event"
                        + " WHERE position > ? ORDER BY position LIMIT ?")) {
            select.setLong(1, position);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] member = rows.getBytes(4);
                    events.add(new StoredEvent(rows.getLong(1), UuidConverter.fromBytes(rows.getBytes(2)),
                            rows.getString(3), member == null ? null : UuidConverter.fromBytes(member),
                            rows.getObject(5, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            rows.getString(6)));
                }
            }
        }
        return events;
    }

    /** The last position given so far (0 before the first). */
    public static long lastPosition(Connection connection) throws SQLException {
        return Sequencer.lastPosition(connection);
    }
}
