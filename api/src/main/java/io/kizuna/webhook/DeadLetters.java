package io.kizuna.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Ids;

/** The dead-letter rows as the delivery job writes and reads them, inside its batch transaction. */
final class DeadLetters {
    private DeadLetters() {
    }

    static void add(Connection connection, UUID subscription, List<ObjectNode> events, Instant now, String error)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO webhook_dead_letter (id,"
                + " subscription_id, position, event_id, type, failed_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ObjectNode event : events) {
                insert.setBytes(1, UuidConverter.toBytes(Ids.next()));
                insert.setBytes(2, UuidConverter.toBytes(subscription));
                insert.setLong(3, event.get("position").asLong());
                insert.setBytes(4, UuidConverter.toBytes(UUID.fromString(event.get("id").asText())));
                insert.setString(5, event.get("type").asText());
                insert.setObject(6, WebhookDelivery.utc(now));
                insert.setString(7, error);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Dead letters marked for replay, oldest position first. */
    static List<WebhookViews.DeadLetter> requested(Connection connection, UUID subscription, int limit)
            throws SQLException {
        List<WebhookViews.DeadLetter> letters = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, position, event_id, type, failed_at, last_error, replay_requested_at"
                        + " FROM webhook_dead_letter WHERE subscription_id = ? AND replay_requested_at IS NOT NULL"
                        + " ORDER BY position LIMIT ?")) {
            select.setBytes(1, UuidConverter.toBytes(subscription));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    letters.add(new WebhookViews.DeadLetter(UuidConverter.fromBytes(rows.getBytes(1)),
                            rows.getLong(2), UuidConverter.fromBytes(rows.getBytes(3)), rows.getString(4),
                            WebhookSubscriptions.instant(rows, 5), rows.getString(6),
                            WebhookSubscriptions.instant(rows, 7)));
                }
            }
        }
        return letters;
    }

    static void delete(Connection connection, List<UUID> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM webhook_dead_letter WHERE id = ?")) {
            for (UUID id : ids) {
                delete.setBytes(1, UuidConverter.toBytes(id));
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    static void cancelReplay(Connection connection, List<UUID> ids, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE webhook_dead_letter SET replay_requested_at = NULL, last_error = ? WHERE id = ?")) {
            for (UUID id : ids) {
                update.setString(1, error);
                update.setBytes(2, UuidConverter.toBytes(id));
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
