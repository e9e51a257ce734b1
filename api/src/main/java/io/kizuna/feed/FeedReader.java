package io.kizuna.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Jdbc;

/**
 * The feed as other systems read it (the pull feed and webhooks): positioned events in order, each as
 * {@code {"position", "id", "type", "memberId", "at", "data"}}. A member who has not consented to analytics use
 * appears without their member id, card and wallet, decided by their consent when the event is read, so that a
 * withdrawn consent also covers events not yet delivered. A consent change always names its member, so that
 * downstream systems learn of it.
 */
public final class FeedReader {
    private final DataSource dataSource;
    private final ObjectMapper json;

    public FeedReader(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** A page of the feed: its events, and the position to read after next (the last one's, or {@code after}). */
    public record Page(List<ObjectNode> events, long next) {
    }

    public Page after(long after, int limit) {
        return Jdbc.inTransaction(dataSource, connection -> page(connection, after, limit));
    }

    /** The events after {@code after}, inside the caller's transaction. */
    public Page page(Connection connection, long after, int limit) throws SQLException {
        List<StoredEvent> events = EventLog.after(connection, after, limit);
        Set<UUID> consenting = consentingMembers(connection,
                events.stream().map(StoredEvent::memberId).filter(id -> id != null).distinct().toList());
        List<ObjectNode> views = events.stream().map(event -> view(event, consenting)).toList();
        return new Page(views, events.isEmpty() ? after : events.getLast().position());
    }

    public ObjectNode view(StoredEvent event, Set<UUID> consenting) {
        ObjectNode node = json.createObjectNode();
        node.put("position", event.position());
        node.put("id", event.id().toString());
        node.put("type", event.type());
        boolean named = event.memberId() != null && (consenting.contains(event.memberId())
                || EventType.CONSENTS_CHANGED.wireName().equals(event.type()));
        if (named) {
            node.put("memberId", event.memberId().toString());
        }
        node.put("at", event.createdAt().toString());
        ObjectNode data = parse(event);
        if (event.memberId() != null && !consenting.contains(event.memberId())) {
            data.remove(List.of("person", "walletId"));
        }
        node.set("data", data);
        return node;
    }

    private ObjectNode parse(StoredEvent event) {
        try {
            return (ObjectNode) json.readTree(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Outbox event at position " + event.position() + " is not JSON", e);
        }
    }

    private static Set<UUID> consentingMembers(Connection connection, List<UUID> members) throws SQLException {
        Set<UUID> consenting = new HashSet<>();
        if (members.isEmpty()) {
            return consenting;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(members.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM member WHERE consent_analytics AND id IN (" + marks + ")")) {
            for (int i = 0; i < members.size(); i++) {
                select.setBytes(i + 1, UuidConverter.toBytes(members.get(i)));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    consenting.add(UuidConverter.fromBytes(rows.getBytes(1)));
                }
            }
        }
        return consenting;
    }
}
